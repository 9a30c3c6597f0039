using Concord.Domain.Matters;
using Concord.Domain.Mediation;
using Concord.Domain.Territories;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Mediation;

/// <summary>
/// The Pingliang mediation demo, clearly synthetic (names end in （示例）): the city center's committee
/// (where the demo account <c>mediator</c> works), a people's mediation committee in every township and
/// in the first village or community of each, six industry committees and a 金牌调解员 studio in every
/// county, a few dozen mediators, counselling and legal aid providers, and about a hundred disputes of the
/// last five months in every state, so that the queue, the figures and the directory have something to show.
/// </summary>
public sealed class MediationDemo(ConcordDb db, CatalogStore catalog, MatterPersonalData personalData, PersonalDataProtector protector, TimeProvider clock, LocalCalendar calendar, ILogger<MediationDemo> logger)
{
    public const string CenterOrganization = "620800.mtzx.rmtwh";
    public const string DemoMediatorUser = "mediator";
    public const string DemoMediatorCode = "M-620800-01";
    public const int CaseCount = 96;

    private static readonly (string Specialty, string Name)[] Industries =
    [
        ("labour", "劳动争议人民调解委员会"), ("medical", "医疗纠纷人民调解委员会"), ("traffic", "道路交通事故纠纷人民调解委员会"),
        ("property", "物业纠纷人民调解委员会"), ("consumer", "消费纠纷人民调解委员会"), ("family", "婚姻家庭纠纷人民调解委员会"),
    ];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "马", "周", "吴", "徐", "孙"];
    private static readonly string[] Given = ["建国", "秀兰", "志强", "桂英", "海军", "玉梅", "国平", "红霞"];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Set<MediationOrganizationRow>().AnyAsync(ct) || catalog.Current.Tree.Find("620800") is null)
        {
            return false;
        }

        var tree = catalog.Current.Tree;
        var records = Directory(tree);
        var result = await MediationDirectory.ImportAsync(db, catalog, records, synthetic: true, Actor.System, clock.GetUtcNow().UtcDateTime, ct);
        if (result.Errors.Count > 0)
        {
            throw new InvalidDataException($"The mediation demo directory is broken: {result.Errors[0]}");
        }

        await SeedCasesAsync(tree, ct);
        logger.LogInformation("Mediation demo loaded: {Organizations} organizations, {Mediators} mediators, {Providers} providers, {Cases} disputes",
            result.Organizations, result.Mediators, result.Providers, CaseCount);
        return true;
    }

    public static List<DirectoryRecord> Directory(TerritoryTree tree)
    {
        var records = new List<DirectoryRecord>();
        var n = 0;
        DirectoryRecord Org(string code, string name, string kind, string territory, string[] specialties, int capacity, string? unit = null) =>
            new($"demo {++n}", "organization", code, name, kind, territory, null, specialties, [], capacity.ToString(System.Globalization.CultureInfo.InvariantCulture), unit);
        DirectoryRecord Mediator(string code, string org, string name, string[] specialties, string[] languages, string? user = null) =>
            new($"demo {++n}", "mediator", code, name, "", null, org, specialties, languages, null, user);
        DirectoryRecord Provider(string code, string name, string kind, string territory) =>
            new($"demo {++n}", "provider", code, name, kind, territory, null, [], [], null, null);

        records.Add(Org(CenterOrganization, "平凉市矛盾纠纷调解中心人民调解委员会", "center", "620800", [], 200, "620800.mtzx"));
        records.Add(Mediator(DemoMediatorCode, CenterOrganization, "马明远（示例）", ["labour", "neighbour", "family"], ["普通话", "平凉话"], DemoMediatorUser));
        records.Add(Mediator("M-620800-02", CenterOrganization, "李秀兰（示例）", ["medical", "consumer"], ["普通话"]));
        records.Add(Mediator("M-620800-03", CenterOrganization, "张志强（示例）", ["property", "contract"], ["普通话", "平凉话"]));
        records.Add(Provider("P-620800-psy", "平凉市社会心理服务中心（示例）", "psychological", "620800"));
        records.Add(Provider("P-620800-pls", "平凉市公共法律服务中心", "public_legal_service", "620800"));
        var counties = tree.ChildrenOf("620800").Where(t => t.Level == TerritoryLevel.County).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        var m = 0;
        foreach (var county in counties)
        {
            foreach (var (specialty, name) in Industries)
            {
                records.Add(Org($"{county.Code}.{specialty}", county.Name + name, "industry", county.Code, [specialty], 40));
            }

            var studio = $"{county.Code}.studio";
            var surname = Surnames[m % Surnames.Length];
            records.Add(Org(studio, $"{county.Name}{surname}金牌调解员工作室（示例）", "studio", county.Code, ["neighbour", "family", "land"], 8));
            records.Add(Mediator($"M-{county.Code}-s", studio, $"{surname}{Given[m % Given.Length]}（示例）", ["neighbour", "family", "land"], ["平凉话", "普通话"]));
            records.Add(Mediator($"M-{county.Code}-l", $"{county.Code}.labour", $"{Surnames[(m + 3) % Surnames.Length]}{Given[(m + 1) % Given.Length]}（示例）", ["labour"], ["普通话"]));
            records.Add(Mediator($"M-{county.Code}-f", $"{county.Code}.family", $"{Surnames[(m + 5) % Surnames.Length]}{Given[(m + 2) % Given.Length]}（示例）", ["family"], ["平凉话"]));
            records.Add(Provider($"P-{county.Code}-psy", $"{county.Name}心理咨询服务站（示例）", "psychological", county.Code));
            records.Add(Provider($"P-{county.Code}-aid", $"{county.Name}法律援助中心（示例）", "legal_aid", county.Code));
            m++;
            foreach (var township in tree.ChildrenOf(county.Code).Where(t => t.Level == TerritoryLevel.Township).OrderBy(t => t.Code, StringComparer.Ordinal))
            {
                records.Add(Org($"{township.Code}.rmtwh", township.Name + "人民调解委员会", "township_committee", township.Code, ["neighbour", "family", "land", "contract"], 30));
                if (county.Code == "620802")
                {
                    records.Add(Mediator($"M-{township.Code}", $"{township.Code}.rmtwh", $"{Surnames[m % Surnames.Length]}{Given[m % Given.Length]}（示例）", ["neighbour", "land"], ["平凉话"]));
                    m++;
                }

                if (tree.ChildrenOf(township.Code).Where(t => t.Level == TerritoryLevel.Community).OrderBy(t => t.Code, StringComparer.Ordinal).FirstOrDefault() is { } village)
                {
                    var kind = village.Name.EndsWith("社区", StringComparison.Ordinal) ? "community_committee" : "village_committee";
                    records.Add(Org($"{village.Code}.rmtwh", village.Name + "人民调解委员会", kind, village.Code, ["neighbour", "family", "land"], 10));
                }
            }
        }

        return records;
    }

    private static readonly (string Specialty, string Title, string Category)[] Kinds =
    [
        ("labour", "工地拖欠农民工工资纠纷（示例）", "labour"), ("neighbour", "邻里宅基地界址纠纷（示例）", "neighbour"),
        ("family", "赡养老人费用分担纠纷（示例）", "family"), ("traffic", "道路交通事故赔偿纠纷（示例）", "traffic"),
        ("property", "小区物业服务费纠纷（示例）", "property"), ("medical", "医疗损害赔偿纠纷（示例）", "medical"),
        ("consumer", "预付卡退费消费纠纷（示例）", "consumer"), ("land", "土地承包经营权纠纷（示例）", "land"),
    ];

    private async Task SeedCasesAsync(TerritoryTree tree, CancellationToken ct)
    {
        var random = new Random(620807);
        var now = clock.GetUtcNow().UtcDateTime;
        var orgs = await db.Set<MediationOrganizationRow>().AsNoTracking().ToListAsync(ct);
        var mediators = await db.Set<MediatorRow>().AsNoTracking().ToListAsync(ct);
        var townships = tree.All.Where(t => t.Level == TerritoryLevel.Township).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        for (var i = 0; i < CaseCount; i++)
        {
            var (specialty, title, _) = Kinds[i % Kinds.Length];
            // Most disputes in 崆峒区 (the demo's accounts work there), the rest anywhere.
            var township = i % 3 == 0 ? townships[random.Next(townships.Count)] : townships.Where(t => t.Code.StartsWith("620802", StringComparison.Ordinal)).ElementAt(random.Next(17));
            var chain = tree.ChainOf(township.Code);
            var fromCourt = i % 3 == 1;
            var group = specialty == "labour" && i % 2 == 0;
            var received = now.AddDays(-random.Next(3, 150)).AddHours(-random.Next(0, 8));
            var forDemoMediator = i < 6;
            if (forDemoMediator)
            {
                received = now.AddDays(-(i + 1));
            }

            var matter = new MatterRow
            {
                Code = MatterCode.Format(calendar.LocalDate(new DateTimeOffset(received, TimeSpan.Zero)), await MatterNumbers.NextAsync(db, ct)),
                Kind = MatterKind.Dispute.ToWire(),
                Channel = (fromCourt ? Channel.CourtDiversion : Channel.WalkIn).ToWire(),
                Status = MatterStatus.InProgress.ToWire(),
                Title = title,
                Description = "（示例数据）" + title.Replace("（示例）", "") + "，当事人申请调解。",
                TerritoryCode = township.Code,
                LocationMatch = "territory_code",
                ReceivedAt = received,
                UpdatedAt = received,
                RoutingBasis = "manual",
                LeadUnitCode = "620800.mtzx",
                DispatchedAt = received,
                AcceptedAt = received,
            };
            foreach (var t in chain)
            {
                switch (t.Level)
                {
                    case TerritoryLevel.Province: matter.ProvinceCode = t.Code; break;
                    case TerritoryLevel.City: matter.CityCode = t.Code; break;
                    case TerritoryLevel.County: matter.CountyCode = t.Code; break;
                    case TerritoryLevel.Township: matter.TownshipCode = t.Code; break;
                }
            }

            var partyCount = group ? 6 + random.Next(10) : 2;
            var parties = Enumerable.Range(0, partyCount)
                .Select(p => new PersonData($"{Surnames[(i + p) % Surnames.Length]}{Given[(i * 3 + p) % Given.Length]}（示例）", $"1390933{(i * 37 + p) % 10000:D4}", p == partyCount - 1 ? "被申请人" : "申请人"))
                .ToList();
            personalData.Store(matter, new PersonalDataView(null, parties));
            db.Matters.Add(matter);
            await db.SaveChangesAsync(ct);

            var org = forDemoMediator ? orgs.Single(o => o.Code == CenterOrganization)
                : orgs.FirstOrDefault(o => o.Kind == "industry" && o.TerritoryCode == matter.CountyCode && o.Specialties == specialty)
                  ?? orgs.First(o => o.Code == $"{township.Code}.rmtwh");
            var mediator = forDemoMediator ? DemoMediatorCode : mediators.FirstOrDefault(x => x.OrganizationCode == org.Code)?.Code;
            var c = new MediationCaseRow
            {
                MatterId = matter.Id,
                MatterCode = matter.Code,
                Status = CaseStatus.InMediation,
                Specialty = specialty,
                TerritoryCode = township.Code,
                CountyCode = matter.CountyCode,
                TownshipCode = matter.TownshipCode,
                PartyCount = partyCount,
                HighRisk = CaseFlow.IsGroup(partyCount),
                ReceivedAt = received,
                FromCourt = fromCourt,
                CourtName = fromCourt ? "平凉市崆峒区人民法院" : null,
                CourtReference = fromCourt ? $"（2026）甘0802诉前调{1000 + i}号" : null,
                DueAt = fromCourt ? received.AddDays(CaseFlow.CourtDiversionDays) : null,
                OrganizationCode = org.Code,
                MediatorCode = mediator,
                AssignedAt = received.AddHours(2),
                ConsentedAt = received.AddDays(1),
            };
            db.Set<MediationCaseRow>().Add(c);
            await db.SaveChangesAsync(ct);

            var roll = random.Next(100);
            var age = (now - received).TotalDays;
            if (forDemoMediator)
            {
                // The demo mediator's queue: one awaiting consent, the rest in mediation, one session coming.
                if (i == 0)
                {
                    c.Status = CaseStatus.AwaitingConsent;
                    c.ConsentedAt = null;
                }

                if (i == 5)
                {
                    // An agreement whose first obligation fell due yesterday: a follow-up waiting on the queue.
                    var ended = now.AddDays(-3);
                    c.Status = CaseStatus.Agreed;
                    c.AgreedAt = ended;
                    c.EndedAt = ended;
                    c.AgreementNumber = $"平调协〔{calendar.LocalDate(new DateTimeOffset(ended, TimeSpan.Zero)).Year}〕{c.Id}号";
                    c.AgreementFacts = protector.Protect("（示例）" + title);
                    c.OutcomeSummary = "agreement reached";
                    c.JudicialDueAt = ended.AddDays(CaseFlow.JudicialConfirmationDays);
                    db.Set<MediationObligationRow>().Add(new MediationObligationRow { CaseId = c.Id, Party = "乙方", Description = protector.Protect("（示例）支付拖欠工资")!, DueAt = now.AddDays(-1) });
                }

                if (i == 1)
                {
                    db.Set<MediationSessionRow>().Add(new MediationSessionRow { CaseId = c.Id, ScheduledAt = now.AddDays(1).AddHours(1), Place = "center_room", PlaceDetail = "第一调解室", RecordedBy = "system" });
                }
            }
            else if (roll < 8)
            {
                c.Status = CaseStatus.Refused;
                c.ConsentedAt = null;
                c.RefusedAt = received.AddDays(1);
                c.RefusedBy = "被申请人";
                c.RefusalNextStep = "litigation_advice";
                c.EndedAt = c.RefusedAt;
                c.OutcomeSummary = "refused: litigation advice given";
            }
            else if (roll < 13 || age < 6)
            {
                // Still in mediation.
            }
            else
            {
                var ended = received.AddDays(2 + random.Next(0, (int)Math.Min(28, age - 3)));
                db.Set<MediationSessionRow>().Add(new MediationSessionRow
                {
                    CaseId = c.Id, ScheduledAt = ended.AddHours(-3), HeldAt = ended.AddHours(-2), Place = roll % 2 == 0 ? "center_room" : "on_site",
                    Notes = protector.Protect("（示例）双方陈述意见，调解员释法说理。"), RecordedBy = "system",
                });
                c.EndedAt = ended;
                if (roll < 70)
                {
                    c.Status = CaseStatus.Agreed;
                    c.AgreedAt = ended;
                    c.AgreementNumber = $"平调协〔{calendar.LocalDate(new DateTimeOffset(ended, TimeSpan.Zero)).Year}〕{c.Id}号";
                    c.AgreementFacts = protector.Protect("（示例）" + title);
                    c.OutcomeSummary = "agreement reached";
                    c.JudicialDueAt = ended.AddDays(CaseFlow.JudicialConfirmationDays);
                    if (roll % 3 == 0)
                    {
                        c.JudicialState = roll % 4 == 0 ? "rejected" : roll % 2 == 0 ? "applied" : "confirmed";
                        c.JudicialAppliedAt = ended.AddDays(3);
                        c.JudicialCourt = "平凉市崆峒区人民法院";
                        c.JudicialDecidedAt = c.JudicialState == "applied" ? null : ended.AddDays(10);
                    }

                    var obligations = 1 + roll % 2;
                    for (var k = 0; k < obligations; k++)
                    {
                        var due = ended.AddDays(7 + random.Next(30));
                        var o = new MediationObligationRow { CaseId = c.Id, Party = k == 0 ? "乙方" : "甲方", Description = protector.Protect("（示例）支付款项")!, DueAt = due };
                        var follow = random.Next(10);
                        if (due <= now && follow < 9)
                        {
                            o.FollowedUpAt = due.AddDays(1);
                            o.Performed = follow < 8;
                            o.PerformedAt = follow < 7 ? due.AddDays(-1) : follow < 8 ? due.AddDays(2) : null;
                        }

                        db.Set<MediationObligationRow>().Add(o);
                    }
                }
                else if (roll < 92)
                {
                    c.Status = CaseStatus.Failed;
                    c.FailureReferral = roll % 3 == 0 ? "arbitration" : "litigation";
                    c.FailureReason = "（示例）双方对赔偿数额分歧较大";
                    c.OutcomeSummary = $"not reached: referred to {c.FailureReferral}";
                }
                else
                {
                    c.Status = CaseStatus.Withdrawn;
                    c.OutcomeSummary = "withdrawn";
                }
            }

            if (!CaseStatus.IsOpen(c.Status))
            {
                matter.Status = MatterStatus.Closed.ToWire();
                matter.ClosedAt = c.EndedAt;
            }

            if (i % 11 == 0)
            {
                db.Set<MediationReferralRow>().Add(new MediationReferralRow
                {
                    CaseId = c.Id, Kind = "psychological", ProviderCode = $"P-{matter.CountyCode}-psy", Reason = "（示例）当事人情绪激动，需要心理疏导",
                    CreatedAt = received.AddDays(1), CompletedAt = age > 10 ? received.AddDays(8) : null, Result = age > 10 ? "（示例）已完成三次疏导" : null,
                });
            }

            MatterEvents.Record(db, matter, "mediation_opened", received, "system", new { fromCourt, demo = true });
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
