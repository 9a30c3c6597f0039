using Concord.Domain.Matters;

namespace Concord.Domain.Mediation;

/// <summary>The stable wire names of mediation (stored and sent as such).</summary>
public static class MediationWords
{
    /// <summary>村/社区/乡镇人民调解委员会, 行业性专业性调解组织, 个人调解工作室, 矛调中心.</summary>
    public static readonly IReadOnlyList<string> OrganizationKinds = ["village_committee", "community_committee", "township_committee", "industry", "studio", "center"];

    /// <summary>What a dispute is about; an organization and a mediator list theirs.</summary>
    public static readonly IReadOnlyList<string> Specialties = ["labour", "medical", "traffic", "property", "consumer", "family", "neighbour", "land", "contract", "other"];

    /// <summary>Referral targets at any point: 心理服务, 法律援助, 公共法律服务.</summary>
    public static readonly IReadOnlyList<string> ProviderKinds = ["psychological", "legal_aid", "public_legal_service"];

    public static readonly IReadOnlyList<string> Places = ["center_room", "on_site", "online"];

    /// <summary>Where a failed mediation goes next: 诉讼, 仲裁, 行政机关.</summary>
    public static readonly IReadOnlyList<string> FailureReferrals = ["litigation", "arbitration", "administrative"];

    /// <summary>After a party refuses mediation: back to the center's triage, or advice on litigation (closes the case).</summary>
    public static readonly IReadOnlyList<string> RefusalNextSteps = ["back_to_center", "litigation_advice"];

    public static readonly IReadOnlyList<string> JudicialDecisions = ["confirmed", "rejected"];
}

/// <summary>The states of a mediation case.</summary>
public static class CaseStatus
{
    /// <summary>分流: waiting for an organization.</summary>
    public const string Triage = "triage";
    /// <summary>Assigned; both parties' consent is awaited.</summary>
    public const string AwaitingConsent = "awaiting_consent";
    public const string InMediation = "in_mediation";
    /// <summary>调解成功: an agreement was reached.</summary>
    public const string Agreed = "agreed";
    /// <summary>调解不成: referred to litigation, arbitration or an administrative body.</summary>
    public const string Failed = "failed";
    public const string Withdrawn = "withdrawn";
    /// <summary>A party refused mediation and the litigation advice was given.</summary>
    public const string Refused = "refused";

    public static readonly IReadOnlyList<string> Open = [Triage, AwaitingConsent, InMediation];

    public static bool IsOpen(string status) => Open.Contains(status);
}

/// <summary>Steps on a mediation case.</summary>
public enum CaseStep { Assign, Consent, Session, Agree, Fail, Withdraw, ApplyJudicial, DecideJudicial, FollowUp, Refer }

/// <summary>Which step is possible from which state; everything else is 409 with the states that would allow it.</summary>
public static class CaseFlow
{
    private static readonly Dictionary<CaseStep, string[]> From = new()
    {
        [CaseStep.Assign] = [CaseStatus.Triage, CaseStatus.AwaitingConsent],
        [CaseStep.Consent] = [CaseStatus.AwaitingConsent],
        [CaseStep.Session] = [CaseStatus.InMediation],
        [CaseStep.Agree] = [CaseStatus.InMediation],
        [CaseStep.Fail] = [CaseStatus.InMediation],
        [CaseStep.Withdraw] = [CaseStatus.Triage, CaseStatus.AwaitingConsent, CaseStatus.InMediation],
        [CaseStep.ApplyJudicial] = [CaseStatus.Agreed],
        [CaseStep.DecideJudicial] = [CaseStatus.Agreed],
        [CaseStep.FollowUp] = [CaseStatus.Agreed],
        // Counselling or legal aid may be needed at any point, even after the case ended.
        [CaseStep.Refer] = [CaseStatus.Triage, CaseStatus.AwaitingConsent, CaseStatus.InMediation, CaseStatus.Agreed, CaseStatus.Failed, CaseStatus.Withdrawn, CaseStatus.Refused],
    };

    public static bool Allows(string status, CaseStep step) => From[step].Contains(status);

    public static IReadOnlyList<string> StatesFor(CaseStep step) => From[step];

    /// <summary>诉前委派调解: the court's period, 30 days unless the court sets another.</summary>
    public const int CourtDiversionDays = 30;

    /// <summary>司法确认 must be applied for within 30 days of the agreement taking effect.</summary>
    public const int JudicialConfirmationDays = 30;

    /// <summary>A dispute with this many parties or more is a group dispute (群体性纠纷), flagged high-risk.</summary>
    public const int GroupPartyThreshold = 5;

    public static bool IsGroup(int partyCount) => partyCount >= GroupPartyThreshold;
}

/// <summary>An organization as triage sees it: its place, specialties, capacity and current open cases.</summary>
public sealed record OrganizationLoad(string Code, string Kind, string TerritoryCode, IReadOnlyList<string> Specialties, int Capacity, int OpenCases);

/// <summary>Why an organization is suggested: a message key and its arguments.</summary>
public sealed record Reason(string Key, params object[] Args);

public sealed record Suggestion(string OrganizationCode, int Score, IReadOnlyList<Reason> Reasons);

/// <summary>
/// 分流: ranks the organizations that may take a dispute. Only organizations whose territory lies on
/// the dispute's chain (its own township, county or the city) qualify, and not those at capacity.
/// Matching specialty weighs most, then closeness (the nearer the level, the better), then free
/// capacity; a group dispute is kept away from village committees and individual studios.
/// </summary>
public static class Triage
{
    public static IReadOnlyList<Suggestion> Suggest(string? specialty, IReadOnlyList<string> territoryChain, int partyCount, IEnumerable<OrganizationLoad> organizations, int take = 5)
    {
        var group = MediationRulesGroup(partyCount);
        var result = new List<Suggestion>();
        foreach (var o in organizations)
        {
            var depth = IndexOf(territoryChain, o.TerritoryCode);
            if (depth < 0 || o.OpenCases >= o.Capacity)
            {
                continue;
            }

            if (group && o.Kind is "village_committee" or "studio")
            {
                continue;
            }

            var reasons = new List<Reason>();
            var score = 0;
            if (specialty is not null && o.Specialties.Contains(specialty))
            {
                score += 40;
                reasons.Add(new Reason("mediation.reason.specialty", specialty));
            }
            else if (o.Specialties.Count == 0 || o.Kind.EndsWith("_committee", StringComparison.Ordinal) || o.Kind == "center")
            {
                // People's mediation committees and the center take any dispute.
                score += 10;
                reasons.Add(new Reason("mediation.reason.general"));
            }
            else
            {
                continue;
            }

            // Deeper on the chain = nearer to the parties (就地化解): up to 30 points.
            var closeness = territoryChain.Count <= 1 ? 30 : 30 * depth / (territoryChain.Count - 1);
            score += closeness;
            reasons.Add(new Reason("mediation.reason.territory", o.TerritoryCode));

            var free = o.Capacity - o.OpenCases;
            score += Math.Min(20, 20 * free / Math.Max(1, o.Capacity));
            reasons.Add(new Reason("mediation.reason.load", o.OpenCases, o.Capacity));
            if (group && o.Kind is "township_committee" or "center" or "industry")
            {
                score += 10;
                reasons.Add(new Reason("mediation.reason.group"));
            }

            result.Add(new Suggestion(o.Code, score, reasons));
        }

        return result.OrderByDescending(s => s.Score).ThenBy(s => s.OrganizationCode, StringComparer.Ordinal).Take(take).ToList();
    }

    private static bool MediationRulesGroup(int partyCount) => CaseFlow.IsGroup(partyCount);

    private static int IndexOf(IReadOnlyList<string> chain, string code)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            if (chain[i] == code)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One case as the figures need it (no party data).</summary>
public sealed record CaseFact(
    string Status,
    bool FromCourt,
    bool Consented,
    DateTime ReceivedAt,
    DateTime? EndedAt,
    string? JudicialState,
    IReadOnlyList<(DateTime DueAt, DateTime? PerformedAt)> Obligations);

/// <summary>The figures of a group of cases (an organization, a mediator, a territory, a period).</summary>
public sealed record MediationFigures(
    int Received,
    int CourtReceived,
    int CourtDiverted,
    double? DiversionRate,
    int Agreed,
    int Failed,
    double? SuccessRate,
    double? MedianDays,
    int AgreementsDue,
    int PerformedOnTime,
    int JudicialApplied,
    int JudicialConfirmed);

/// <summary>
/// The figures leaders are judged by (both rates above 50 % in Pingliang):
/// diversion rate = court cases that went into mediation before filing (both parties consented) / court cases received;
/// success rate = agreements / mediations ended with an outcome (agreed + failed);
/// median duration = days from receipt to the end (agreed, failed, withdrawn, refused);
/// performed on time = agreements whose obligations are all due and were all performed by their deadlines.
/// </summary>
public static class MediationTally
{
    public static MediationFigures Of(IReadOnlyCollection<CaseFact> cases, DateTime now)
    {
        var court = cases.Where(c => c.FromCourt).ToList();
        var diverted = court.Count(c => c.Consented);
        var agreed = cases.Count(c => c.Status == CaseStatus.Agreed);
        var failed = cases.Count(c => c.Status == CaseStatus.Failed);
        var durations = cases.Where(c => !CaseStatus.IsOpen(c.Status) && c.EndedAt is not null)
            .Select(c => (c.EndedAt!.Value - c.ReceivedAt).TotalDays).ToList();
        var due = cases.Where(c => c.Status == CaseStatus.Agreed && c.Obligations.Count > 0 && c.Obligations.All(o => o.DueAt <= now)).ToList();
        var onTime = due.Count(c => c.Obligations.All(o => o.PerformedAt is { } p && p <= o.DueAt));
        return new MediationFigures(
            cases.Count,
            court.Count,
            diverted,
            Rate(diverted, court.Count),
            agreed,
            failed,
            Rate(agreed, agreed + failed),
            Median(durations),
            due.Count,
            onTime,
            cases.Count(c => c.JudicialState is "applied" or "confirmed" or "rejected"),
            cases.Count(c => c.JudicialState == "confirmed"));
    }

    public static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return Math.Round(median, 2);
    }
}

/// <summary>A directory record as read from an import file, before it is checked.</summary>
public sealed record DirectoryRecord(string Where, string Type, string Code, string Name, string Kind, string? Territory, string? Organization, IReadOnlyList<string> Specialties, IReadOnlyList<string> Languages, string? Capacity, string? UserName);

/// <summary>
/// What a directory import must satisfy, checked over the whole file before anything is written:
/// a known record type (organization, mediator, provider), a unique code, a name, a known kind and
/// specialties, an existing territory, a positive capacity, and each mediator's organization in the
/// file or already known.
/// </summary>
public static class DirectoryImport
{
    public static readonly IReadOnlyList<string> Types = ["organization", "mediator", "provider"];

    public static IReadOnlyList<FieldError> Validate(IReadOnlyList<DirectoryRecord> records, Func<string, bool> territoryExists, Func<string, bool> organizationKnown)
    {
        var errors = new List<FieldError>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var organizations = records.Where(r => r.Type == "organization").Select(r => r.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (!Types.Contains(r.Type))
            {
                errors.Add(new FieldError(r.Where, "one_of", r.Type, string.Join(", ", Types)));
                continue;
            }

            if (string.IsNullOrWhiteSpace(r.Code))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.code_required"));
            }
            else if (!codes.Add($"{r.Type}:{r.Code}"))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.duplicate_code", r.Code));
            }

            if (string.IsNullOrWhiteSpace(r.Name))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.name_required"));
            }

            var kinds = r.Type switch { "organization" => MediationWords.OrganizationKinds, "provider" => MediationWords.ProviderKinds, _ => null };
            if (kinds is not null && !kinds.Contains(r.Kind))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.bad_kind", r.Kind, string.Join(", ", kinds)));
            }

            foreach (var s in r.Specialties.Where(s => !MediationWords.Specialties.Contains(s)))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.bad_specialty", s, string.Join(", ", MediationWords.Specialties)));
            }

            if (r.Type != "mediator" && (r.Territory is null || !territoryExists(r.Territory)))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.unknown_territory", r.Territory ?? ""));
            }

            if (r.Type == "organization" && (!int.TryParse(r.Capacity, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var capacity) || capacity < 1 || capacity > 10000))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.bad_capacity", r.Capacity ?? ""));
            }

            if (r.Type == "mediator" && (r.Organization is null || !(organizations.Contains(r.Organization) || organizationKnown(r.Organization))))
            {
                errors.Add(new FieldError(r.Where, "mediation.import.unknown_organization", r.Organization ?? ""));
            }
        }

        return errors;
    }
}
