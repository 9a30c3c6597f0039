using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Concord.Server.Access;

/// <summary>
/// What an endpoint needs: one named permission. Each permission lists the roles that grant it
/// and the token scope a bearer token must carry for it. Every endpoint names a permission or is
/// explicitly anonymous (a test enforces this); the fallback policy denies everything else.
/// </summary>
public static class Permissions
{
    public const string MattersIntake = "matters.intake";
    public const string MattersRead = "matters.read";
    /// <summary>Act on a matter's handling: dispatch, accept, return, extend, reply, verdicts, merge, reject.</summary>
    public const string MattersHandle = "matters.handle";
    /// <summary>The center's dispatch work: the dispatcher's queue.</summary>
    public const string MattersDispatch = "matters.dispatch";
    public const string LettersRead = "letters.read";
    public const string LettersIssue = "letters.issue";
    public const string PersonalDataReveal = "personal-data.reveal";
    public const string CallerLookup = "matters.caller-lookup";
    public const string CatalogueRead = "catalogue.read";
    public const string TerritoriesImport = "territories.import";
    public const string AuditRead = "audit.read";
    public const string UsersManage = "users.manage";
    /// <summary>The situation figures (态势) of the user's territory.</summary>
    public const string FiguresRead = "figures.read";
    // Mediation (矛盾纠纷多元化解).
    /// <summary>Read mediation cases (what each caller sees depends on their relation to the case), the directory and the queue.</summary>
    public const string MediationRead = "mediation.read";
    /// <summary>Act on mediation cases: open, triage, consent, sessions, outcomes, follow-ups, referrals.</summary>
    public const string MediationManage = "mediation.manage";
    public const string MediationFigures = "mediation.figures";
    public const string MediationDirectoryImport = "mediation.directory-import";
    // Early warning, analysis sessions and bulletins (预警, 研判, 周报/专报).
    /// <summary>Read the warning signals, the analysis sessions and the bulletins.</summary>
    public const string WarningsRead = "warnings.read";
    /// <summary>Run the engine, confirm or dismiss signals, hold sessions, draft, edit and issue bulletins: the analysts' work.</summary>
    public const string WarningsManage = "warnings.manage";
    /// <summary>Suggestions and the dispatch catalogue: publish a new version of the catalogue (派单目录).</summary>
    public const string CataloguePublish = "catalogue.publish";
    /// <summary>Any signed-in staff member or token owner acting on their own account (tokens, 2FA, me).</summary>
    public const string Self = "self";

    // Risks and information reports (Features/Risks).
    /// <summary>Read the risk register, campaigns and information reports in one's scope.</summary>
    public const string RisksRead = "risks.read";
    /// <summary>List risks, record reviews, change status, manage measures, answer campaigns.</summary>
    public const string RisksManage = "risks.manage";
    /// <summary>File information reports (信息报送) and answer follow-ups, for one's unit.</summary>
    public const string ReportsFile = "reports.file";
    /// <summary>The center's desk: acknowledge, ask for follow-up, convert, assign; open campaigns.</summary>
    public const string ReportsTriage = "reports.triage";

    private static readonly string[] Staff =
        [Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.GridWorker, Roles.Mediator, Roles.Analyst, Roles.Leader, Roles.Auditor];

    public sealed record Grant(IReadOnlyList<string> Roles, string? Scope);

    public static readonly IReadOnlyDictionary<string, Grant> Table = new Dictionary<string, Grant>
    {
        [MattersIntake] = new([Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.GridWorker, Roles.Mediator, Roles.Integration], TokenScopes.MattersIntake),
        [MattersRead] = new([Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.GridWorker, Roles.Mediator, Roles.Analyst, Roles.Leader], TokenScopes.MattersRead),
        [MattersHandle] = new([Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead], TokenScopes.MattersWrite),
        [MattersDispatch] = new([Roles.Admin, Roles.Dispatcher], TokenScopes.MattersWrite),
        [LettersRead] = new([Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.Analyst, Roles.Leader], TokenScopes.MattersRead),
        // Warning letters come from analysts (研判); assignment letters from dispatchers.
        [LettersIssue] = new([Roles.Dispatcher, Roles.Analyst], TokenScopes.MattersWrite),
        // Revealing personal data is for those who must contact the person: never analysts, leaders or auditors.
        [PersonalDataReveal] = new([Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.Mediator], TokenScopes.PersonalDataReveal),
        [CallerLookup] = new([Roles.Dispatcher], TokenScopes.MattersRead),
        [CatalogueRead] = new([.. Staff, Roles.Integration], null),
        [TerritoriesImport] = new([Roles.Admin], TokenScopes.TerritoriesImport),
        [AuditRead] = new([Roles.Auditor], TokenScopes.AuditRead),
        [UsersManage] = new([Roles.Admin], null),
        [FiguresRead] = new([Roles.Admin, Roles.Dispatcher, Roles.Analyst, Roles.Leader, Roles.UnitHead], TokenScopes.MattersRead),
        // Mediation: the handling unit reads the outcome; only dispatchers and mediators act; notes and party data are checked per case.
        [MediationRead] = new([Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.Mediator, Roles.Analyst, Roles.Leader], TokenScopes.MattersRead),
        [MediationManage] = new([Roles.Dispatcher, Roles.Mediator], TokenScopes.MattersWrite),
        [MediationFigures] = new([Roles.Admin, Roles.Dispatcher, Roles.Mediator, Roles.Analyst, Roles.Leader], TokenScopes.MattersRead),
        [MediationDirectoryImport] = new([Roles.Admin], null),
        // Early warning, analysis sessions and bulletins: analysts run them; leaders and dispatchers read.
        [WarningsRead] = new([Roles.Admin, Roles.Dispatcher, Roles.Analyst, Roles.Leader], TokenScopes.MattersRead),
        [WarningsManage] = new([Roles.Analyst], TokenScopes.MattersWrite),
        // Suggestions and the dispatch catalogue: the center changes who owns what.
        [CataloguePublish] = new([Roles.Admin, Roles.Dispatcher], TokenScopes.CataloguePublish),
        [Self] = new([.. Staff, Roles.Integration], null),
        // Risks and information reports (Features/Risks).
        [RisksRead] = new([Roles.Admin, Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.Analyst, Roles.Leader], TokenScopes.MattersRead),
        [RisksManage] = new([Roles.Dispatcher, Roles.Handler, Roles.UnitHead, Roles.Analyst], TokenScopes.MattersWrite),
        [ReportsFile] = new([Roles.Dispatcher, Roles.Handler, Roles.UnitHead], TokenScopes.MattersIntake),
        [ReportsTriage] = new([Roles.Dispatcher, Roles.Analyst], TokenScopes.MattersWrite),
    };

    public static void AddPolicies(AuthorizationOptions options)
    {
        foreach (var (name, _) in Table)
        {
            options.AddPolicy(name, p => p.RequireAuthenticatedUser().AddRequirements(new PermissionRequirement(name)));
        }

        // Deny unless allowed: an endpoint without a policy of its own needs at least a signed-in user,
        // and a test fails for any endpoint that names neither a permission nor AllowAnonymous.
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }

    /// <summary>Whether the principal holds the permission: a granting role, and (for a token) the scope.</summary>
    public static bool Allows(ClaimsPrincipal user, string permission)
    {
        if (!Table.TryGetValue(permission, out var grant) || !grant.Roles.Any(user.IsInRole))
        {
            return false;
        }

        if (user.FindFirstValue(StaffClaims.AuthenticatedBy) != StaffClaims.ByToken || grant.Scope is null)
        {
            return true;
        }

        return user.FindAll(StaffClaims.Scope).Any(c => c.Value == grant.Scope);
    }
}

public sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

public sealed class PermissionHandler : AuthorizationHandler<PermissionRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        if (Permissions.Allows(context.User, requirement.Permission))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Claim types Concord adds to a principal.</summary>
public static class StaffClaims
{
    public const string Unit = "concord:unit";
    public const string Scope = "concord:scope";
    public const string AuthenticatedBy = "concord:auth";
    public const string ByToken = "token";
    public const string ByCookie = "cookie";
    public const string TokenId = "concord:token";
}
