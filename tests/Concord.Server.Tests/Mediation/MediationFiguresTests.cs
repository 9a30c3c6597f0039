using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Server.Features.Mediation;
using Concord.Server.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Tests.Mediation;

public sealed class MediationFiguresTestsOnSqlite(SqliteHost host) : MediationFiguresTests<SqliteHost>(host);

public sealed class MediationFiguresTestsOnPostgres(PostgresHost host) : MediationFiguresTests<PostgresHost>(host);

/// <summary>The demo's directory and the figures on the demo's disputes, checked against a calculation made here from the raw rows.</summary>
public abstract class MediationFiguresTests<THost>(THost host) : IClassFixture<THost>
    where THost : ConcordHost
{
    [Fact]
    public async Task The_demo_directory_covers_every_township_and_the_demo_mediator_belongs_to_the_center()
    {
        // The demo's organizations (another test of this class may import more into the same host first).
        var organizations = new JsonArray((await Json.ReadAsync(await host.Client.GetAsync("/api/v1/mediation/directory/organizations"))).AsArray()
            .Where(o => o!["synthetic"]!.GetValue<bool>()).Select(o => o!.DeepClone()).ToArray());
        var townships = await host.QueryAsync(db => db.Territories.Where(t => t.Level == "township").Select(t => t.Code).ToListAsync());
        Assert.Equal(113, townships.Count);
        foreach (var township in townships)
        {
            Assert.Contains(organizations, o => o!["territoryCode"]!.GetValue<string>() == township && o["kind"]!.GetValue<string>() == "township_committee");
        }

        // Industry committees in every county, and studios.
        Assert.Equal(7 * 6, organizations.Count(o => o!["kind"]!.GetValue<string>() == "industry"));
        Assert.Equal(7, organizations.Count(o => o!["kind"]!.GetValue<string>() == "studio"));

        var mediators = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/mediation/directory/mediators"))).AsArray();
        Assert.InRange(mediators.Count, 24, 80);
        var demo = await host.QueryAsync(db => db.Set<MediatorRow>().SingleAsync(m => m.UserName == "mediator"));
        Assert.Equal(MediationDemo.CenterOrganization, demo.OrganizationCode);
        // Load is a number of open cases, counted, not stored.
        var load = mediators.Single(m => m!["code"]!.GetValue<string>() == demo.Code)!["openCases"]!.GetValue<int>();
        Assert.Equal(await host.QueryAsync(db => db.Set<MediationCaseRow>().CountAsync(c => c.MediatorCode == demo.Code && (c.Status == "triage" || c.Status == "awaiting_consent" || c.Status == "in_mediation"))), load);
        Assert.True(load > 0);

        var providers = (await Json.ReadAsync(await host.Client.GetAsync("/api/v1/mediation/directory/providers?kind=psychological"))).AsArray();
        Assert.Equal(8, providers.Count);
    }

    [Fact]
    public async Task Figures_per_organization_on_the_demo_equal_a_calculation_from_the_raw_rows()
    {
        var now = host.Clock.GetUtcNow().UtcDateTime;
        var answer = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/mediation/figures?by=organization&from=2025-01-01&to=2026-12-31"));
        var cases = await host.QueryAsync(db => db.Set<MediationCaseRow>().AsNoTracking().ToListAsync());
        var obligations = await host.QueryAsync(db => db.Set<MediationObligationRow>().AsNoTracking().ToListAsync());
        Assert.True(cases.Count >= MediationDemo.CaseCount);

        var rows = answer["rows"]!.AsArray();
        Assert.Equal(cases.Select(c => c.OrganizationCode ?? "").Distinct().Count(), rows.Count);
        var checkedRows = 0;
        foreach (var group in cases.GroupBy(c => c.OrganizationCode ?? ""))
        {
            var row = rows.Single(r => r!["key"]!.GetValue<string>() == group.Key)!["figures"]!;
            Expect(row, group.ToList(), obligations, now);
            checkedRows++;
        }

        Expect(answer["total"]!, cases, obligations, now);
        Assert.True(checkedRows > 5);
        // The demo shows the two rates Pingliang is judged by.
        Assert.True(answer["total"]!["successRate"]!.GetValue<double>() > 0.5);
        Assert.True(answer["total"]!["courtReceived"]!.GetValue<int>() > 10);
    }

    /// <summary>The same figures, computed another way: plain loops over the rows, the median by position.</summary>
    private static void Expect(JsonNode figures, List<MediationCaseRow> cases, List<MediationObligationRow> obligations, DateTime now)
    {
        int court = 0, diverted = 0, agreed = 0, failed = 0, due = 0, onTime = 0, applied = 0, confirmed = 0;
        var days = new List<double>();
        foreach (var c in cases)
        {
            if (c.FromCourt)
            {
                court++;
                if (c.ConsentedAt != null)
                {
                    diverted++;
                }
            }

            agreed += c.Status == "agreed" ? 1 : 0;
            failed += c.Status == "failed" ? 1 : 0;
            if (c.Status is "agreed" or "failed" or "withdrawn" or "refused")
            {
                days.Add((c.EndedAt!.Value - c.ReceivedAt).TotalDays);
            }

            if (c.JudicialState != null)
            {
                applied++;
                confirmed += c.JudicialState == "confirmed" ? 1 : 0;
            }

            var own = obligations.Where(o => o.CaseId == c.Id).ToList();
            if (c.Status == "agreed" && own.Count > 0 && own.TrueForAll(o => o.DueAt <= now))
            {
                due++;
                var all = true;
                foreach (var o in own)
                {
                    all &= o.PerformedAt != null && o.PerformedAt <= o.DueAt;
                }

                onTime += all ? 1 : 0;
            }
        }

        days.Sort();
        double? median = days.Count == 0 ? null : Math.Round((days[(days.Count - 1) / 2] + days[days.Count / 2]) / 2, 2);
        Assert.Equal(cases.Count, figures["received"]!.GetValue<int>());
        Assert.Equal(court, figures["courtReceived"]!.GetValue<int>());
        Assert.Equal(diverted, figures["courtDiverted"]!.GetValue<int>());
        Assert.Equal(court == 0 ? null : Math.Round(diverted / (double)court, 4), figures["diversionRate"]?.GetValue<double>());
        Assert.Equal(agreed, figures["agreed"]!.GetValue<int>());
        Assert.Equal(failed, figures["failed"]!.GetValue<int>());
        Assert.Equal(agreed + failed == 0 ? null : Math.Round(agreed / (double)(agreed + failed), 4), figures["successRate"]?.GetValue<double>());
        Assert.Equal(median, figures["medianDays"]?.GetValue<double>());
        Assert.Equal(due, figures["agreementsDue"]!.GetValue<int>());
        Assert.Equal(onTime, figures["performedOnTime"]!.GetValue<int>());
        Assert.Equal(applied, figures["judicialApplied"]!.GetValue<int>());
        Assert.Equal(confirmed, figures["judicialConfirmed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Figures_are_exported_as_CSV_and_XLSX_and_a_bad_grouping_is_named()
    {
        var bad = await host.Client.GetAsync("/api/v1/mediation/figures?by=person");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull((await Json.ReadAsync(bad))["errors"]!["by"]);

        var json = await Json.ReadAsync(await host.Client.GetAsync("/api/v1/mediation/figures?by=county&from=2025-01-01&to=2026-12-31"));
        var csv = await host.Client.GetAsync("/api/v1/mediation/figures.csv?by=county&from=2025-01-01&to=2026-12-31");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("key,name,received,", lines[0]);
        Assert.Equal(json["rows"]!.AsArray().Count + 2, lines.Length);
        var total = lines[^1].Split(',');
        Assert.Equal("total", total[0]);
        Assert.Equal(json["total"]!["received"]!.GetValue<int>().ToString(), total[2]);

        var xlsx = await host.Client.GetAsync("/api/v1/mediation/figures.xlsx?by=county&from=2025-01-01&to=2026-12-31");
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        using var book = SpreadsheetDocument.Open(stream, false);
        var sheet = book.WorkbookPart!.WorksheetParts.First().Worksheet!;
        Assert.Equal(json["rows"]!.AsArray().Count + 2, sheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Row>().Count());
    }

    [Fact]
    public async Task A_directory_file_is_checked_whole_and_names_each_faulty_line()
    {
        var admin = await host.ClientForAsync("admin");
        var before = await host.QueryAsync(db => db.Set<MediationOrganizationRow>().CountAsync());
        var broken = string.Join('\n',
            MediationDirectory.Header,
            "organization,T-1,测试物业调解委员会,industry,620802,,property,,20,",
            "organization,T-2,,unknown_kind,999999,,gardening,,0,",
            "mediator,T-M1,测试调解员,,,T-404,labour,普通话,,");
        var rejected = await admin.PostAsync("/api/v1/mediation/directory/import", new StringContent(broken, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rejected.StatusCode);
        var errors = (await Json.ReadAsync(rejected))["errors"]!.AsObject();
        Assert.Equal(["line 3", "line 4"], errors.Select(e => e.Key).Order().ToArray());
        Assert.Equal(5, errors["line 3"]!.AsArray().Count); // name, kind, specialty, territory, capacity
        Assert.Equal(before, await host.QueryAsync(db => db.Set<MediationOrganizationRow>().CountAsync()));

        var good = string.Join('\n',
            MediationDirectory.Header,
            "organization,T-1,测试物业调解委员会,industry,620802,,property;contract,,20,",
            "mediator,T-M1,测试调解员,,,T-1,property,普通话;平凉话,,");
        var imported = await admin.PostAsync("/api/v1/mediation/directory/import", new StringContent(good, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var mediator = await host.QueryAsync(db => db.Set<MediatorRow>().SingleAsync(m => m.Code == "T-M1"));
        Assert.Equal("普通话,平凉话", mediator.Languages);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Client.PostAsync("/api/v1/mediation/directory/import", new StringContent(good, Encoding.UTF8, "text/csv"))).StatusCode);
    }
}
