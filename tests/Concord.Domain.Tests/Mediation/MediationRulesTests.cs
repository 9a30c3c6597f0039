using Concord.Domain.Mediation;

namespace Concord.Domain.Tests.Mediation;

public sealed class MediationRulesTests
{
    private static readonly string[] Chain = ["620000", "620800", "620802", "620802001", "620802001001"];

    private static OrganizationLoad Org(string code, string kind, string territory, int capacity, int open, params string[] specialties) =>
        new(code, kind, territory, specialties, capacity, open);

    [Fact]
    public void Triage_prefers_the_specialty_then_the_nearest_territory_and_names_its_reasons()
    {
        var suggestions = Triage.Suggest("labour", Chain, 2,
        [
            Org("city-center", "center", "620800", 200, 10),
            Org("county-labour", "industry", "620802", 40, 5, "labour"),
            Org("township", "township_committee", "620802001", 30, 3, "neighbour"),
            Org("other-county-labour", "industry", "620821", 40, 0, "labour"),
            Org("county-medical", "industry", "620802", 40, 0, "medical"),
        ]);

        // Only organizations on the dispute's chain; an industry body of another specialty does not qualify.
        Assert.Equal(["county-labour", "township", "city-center"], suggestions.Select(s => s.OrganizationCode).ToArray());
        Assert.Equal("mediation.reason.specialty", suggestions[0].Reasons[0].Key);
        Assert.Contains(suggestions[0].Reasons, r => r.Key == "mediation.reason.load" && (int)r.Args[0] == 5 && (int)r.Args[1] == 40);
        Assert.Contains(suggestions[1].Reasons, r => r.Key == "mediation.reason.general");
    }

    [Fact]
    public void Triage_leaves_out_full_organizations_and_keeps_group_disputes_from_villages_and_studios()
    {
        var organizations = new[]
        {
            Org("village", "village_committee", "620802001001", 10, 0),
            Org("studio", "studio", "620802", 8, 0, "labour"),
            Org("full", "township_committee", "620802001", 30, 30),
            Org("county-labour", "industry", "620802", 40, 39, "labour"),
        };
        Assert.Equal(["county-labour"], Triage.Suggest("labour", Chain, 8, organizations).Select(s => s.OrganizationCode).ToArray());
        Assert.Contains("village", Triage.Suggest("labour", Chain, 2, organizations).Select(s => s.OrganizationCode));
        Assert.True(CaseFlow.IsGroup(5));
        Assert.False(CaseFlow.IsGroup(4));
    }

    [Fact]
    public void The_flow_allows_each_step_only_from_its_states()
    {
        Assert.True(CaseFlow.Allows(CaseStatus.AwaitingConsent, CaseStep.Consent));
        Assert.False(CaseFlow.Allows(CaseStatus.Triage, CaseStep.Consent));
        Assert.False(CaseFlow.Allows(CaseStatus.AwaitingConsent, CaseStep.Session));
        Assert.False(CaseFlow.Allows(CaseStatus.Failed, CaseStep.Agree));
        Assert.True(CaseFlow.Allows(CaseStatus.Agreed, CaseStep.FollowUp));
        Assert.True(CaseFlow.Allows(CaseStatus.Withdrawn, CaseStep.Refer));
        Assert.False(CaseFlow.Allows(CaseStatus.Agreed, CaseStep.Withdraw));
    }

    [Fact]
    public void Figures_count_diversion_success_median_and_performance_by_their_definitions()
    {
        var t0 = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var now = t0.AddDays(60);
        CaseFact Case(string status, bool court, bool consented, int days, string? judicial = null, params (int Due, int? Performed)[] obligations) =>
            new(status, court, consented, t0, status is "triage" or "awaiting_consent" or "in_mediation" ? null : t0.AddDays(days), judicial,
                obligations.Select(o => (t0.AddDays(o.Due), o.Performed is { } p ? t0.AddDays(p) : (DateTime?)null)).ToList());

        var figures = MediationTally.Of(
        [
            Case("agreed", true, true, 10, "confirmed", (20, 19)),        // on time
            Case("agreed", false, true, 4, "applied", (20, 22)),          // late
            Case("agreed", false, true, 6, null, (20, 20), (90, null)),   // not all due yet: not counted
            Case("failed", true, true, 20),
            Case("refused", true, false, 1),
            Case("in_mediation", false, true, 0),
        ], now);

        Assert.Equal(6, figures.Received);
        Assert.Equal(3, figures.CourtReceived);
        Assert.Equal(2, figures.CourtDiverted);
        Assert.Equal(0.6667, figures.DiversionRate);
        Assert.Equal(0.75, figures.SuccessRate);
        Assert.Equal(6, figures.MedianDays); // ended after 1, 4, 6, 10, 20 days
        Assert.Equal(2, figures.AgreementsDue);
        Assert.Equal(1, figures.PerformedOnTime);
        Assert.Equal(2, figures.JudicialApplied);
        Assert.Equal(1, figures.JudicialConfirmed);
        Assert.Null(MediationTally.Of([], now).SuccessRate);
    }

    [Fact]
    public void A_directory_file_is_checked_whole_with_every_fault_named_by_its_line()
    {
        DirectoryRecord Record(string where, string type, string code, string name, string kind, string? territory, string? org, string[] specialties, string? capacity) =>
            new(where, type, code, name, kind, territory, org, specialties, [], capacity, null);
        var errors = DirectoryImport.Validate(
        [
            Record("line 2", "organization", "A", "甲调委会", "township_committee", "620802001", null, ["neighbour"], "30"),
            Record("line 3", "organization", "A", "", "club", "999", null, ["gardening"], "0"),
            Record("line 4", "mediator", "M1", "调解员", "", null, "A", ["labour"], null),
            Record("line 5", "mediator", "M2", "调解员", "", null, "Z", [], null),
            Record("line 6", "person", "P", "某人", "", null, null, [], null),
        ], code => code.StartsWith("6208", StringComparison.Ordinal), _ => false);

        Assert.Equal(["line 3", "line 3", "line 3", "line 3", "line 3", "line 3", "line 5", "line 6"], errors.Select(e => e.Field).ToArray());
        Assert.Contains(errors, e => e.Field == "line 3" && e.MessageKey == "mediation.import.duplicate_code");
        Assert.Contains(errors, e => e.Field == "line 5" && e.MessageKey == "mediation.import.unknown_organization");
    }
}
