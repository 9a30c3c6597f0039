using System.Net;
using Concord.Server.Features.Handling;
using Concord.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Handling;

public sealed class SweepCommandTestsOnSqlite(SqliteHost host) : SweepCommandTests<SqliteHost>(host);

public sealed class SweepCommandTestsOnPostgres(PostgresHost host) : SweepCommandTests<PostgresHost>(host);

/// <summary><c>sweep once</c>: one pass of the deadline sweep from the command line, saying what it did.</summary>
public abstract class SweepCommandTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    [Fact]
    public async Task Sweep_once_acts_on_an_overdue_matter_and_reports_what_it_did()
    {
        var response = await host.Client.SendAsync(Json.Post("/api/v1/matters", Json.Body(new
        {
            kind = "appeal", channel = "hotline", title = "工地欠薪（命令行巡检）", description = "工地欠薪。", categoryCode = "020101", location = new { lat = 35.54, lon = 106.68 },
        })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var code = (await Json.ReadAsync(response))["code"]!.GetValue<string>();

        host.Clock.Advance(TimeSpan.FromDays(10)); // far past the 2 working hours to accept, holidays or not
        var output = new StringWriter();
        var exit = await SweepCommand.TryRunAsync(["sweep", "once"], host.Services, output, output, CancellationToken.None);

        Assert.Equal(0, exit);
        var supervision = await host.QueryAsync(db => (from l in db.Letters
                                                       join lm in db.LetterMatters on l.Id equals lm.LetterId
                                                       join m in db.Matters on lm.MatterId equals m.Id
                                                       where m.Code == code && l.Kind == "supervision"
                                                       select l.Id).CountAsync());
        Assert.Equal(1, supervision);
        var match = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"Deadline sweep: (\d+) matters looked at, (\d+) letters issued in [\d.]+ ms\.");
        Assert.True(match.Success, output.ToString());
        Assert.True(int.Parse(match.Groups[1].Value) >= 1 && int.Parse(match.Groups[2].Value) >= 1, output.ToString());

        // A second pass finds nothing left to do for it.
        var again = new StringWriter();
        Assert.Equal(0, await SweepCommand.TryRunAsync(["sweep", "once"], host.Services, again, again, CancellationToken.None));
        Assert.Equal(1, await host.QueryAsync(db => (from l in db.Letters
                                                     join lm in db.LetterMatters on l.Id equals lm.LetterId
                                                     join m in db.Matters on lm.MatterId equals m.Id
                                                     where m.Code == code && l.Kind == "supervision"
                                                     select l.Id).CountAsync()));
    }

    [Fact]
    public async Task Other_commands_pass_and_a_wrong_sweep_command_prints_its_usage()
    {
        Assert.Null(await SweepCommand.TryRunAsync(["search", "reindex"], host.Services, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        var error = new StringWriter();
        Assert.Equal(SweepCommand.Usage, await SweepCommand.TryRunAsync(["sweep", "twice"], host.Services, TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("usage: sweep once", error.ToString());
        Assert.Equal(SweepCommand.Usage, await SweepCommand.TryRunAsync(["sweep", "once", "--passes", "0"], host.Services, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Equal(SweepCommand.Usage, await SweepCommand.TryRunAsync(["sweep", "once", "--passes"], host.Services, TextWriter.Null, TextWriter.Null, CancellationToken.None));
    }

    [Fact]
    public async Task Several_passes_in_one_process_print_a_line_each()
    {
        var output = new StringWriter();
        Assert.Equal(0, await SweepCommand.TryRunAsync(["sweep", "once", "--passes", "3"], host.Services, output, output, CancellationToken.None));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(output.ToString(), @"Deadline sweep: \d+ matters looked at, \d+ letters issued in [\d.]+ ms\.").Count);
    }
}
