using System.Net;
using Concord.Server.Features.Handling;
using Concord.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Server.Tests.Handling;

/// <summary>Two server instances on one PostgreSQL sweep the same overdue set: each letter is issued exactly once.</summary>
public sealed class TwoNodeSweepTests(PostgresSweepHost host) : IClassFixture<PostgresSweepHost>
{
    [Fact]
    public async Task Two_servers_sweeping_the_same_overdue_matters_issue_each_letter_once()
    {
        var start = new DateTimeOffset(2026, 10, 12, 9, 0, 0, TimeSpan.FromHours(8)); // Monday
        host.Clock.SetUtcNow(start);
        var codes = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
            {
                kind = "appeal", channel = "hotline", title = $"工地欠薪{i}", description = "工地欠薪。", categoryCode = "020101", location = new { lat = 35.54, lon = 106.68 },
            })));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            codes.Add((await Json.ReadAsync(response))["code"]!.GetValue<string>());
        }

        // Every accept deadline (2 working hours) has passed.
        host.Clock.SetUtcNow(start.AddHours(6));
        using var second = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Concord:Database:Provider", "Postgres");
            web.UseSetting("ConnectionStrings:Concord", host.ConnectionString);
            web.UseSetting("Concord:Demo", "true");
            web.UseSetting("Concord:Demo:Token", ConcordHost.DispatcherToken);
            web.UseSetting("Concord:Handling:SweepSeconds", "0");
            foreach (var (key, value) in PersonalData.TestPersonalDataKeys.Settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(host.Clock));
        });
        _ = second.CreateClient();

        async Task SweepOn(IServiceProvider services)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeadlineSweep>().RunAsync(CancellationToken.None);
        }

        await Task.WhenAll(SweepOn(host.Services), SweepOn(second.Services), SweepOn(host.Services), SweepOn(second.Services));

        var perMatter = await host.QueryAsync(db => (from l in db.Letters
                                                     join lm in db.LetterMatters on l.Id equals lm.LetterId
                                                     join m in db.Matters on lm.MatterId equals m.Id
                                                     where codes.Contains(m.Code) && l.Kind == "supervision"
                                                     group l by m.Code into g
                                                     select new { Code = g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(codes.Count, perMatter.Count);
        Assert.All(perMatter, x => Assert.Equal(1, x.Count));

        // Twelve supervision letters to one unit in a month pass the caution threshold: one caution letter.
        var cautions = await host.QueryAsync(db => db.Letters.CountAsync(l => l.Kind == "caution" && l.AddresseeUnitCode == "620802.rsj"));
        Assert.Equal(1, cautions);
        var numbers = await host.QueryAsync(db => db.Letters.Select(l => l.Number).ToListAsync());
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }
}
