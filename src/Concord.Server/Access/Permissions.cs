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
    /// <summary>Suggestions and the dispatch catalogue: publish a new version of the catalogue (派单目录).</summary>
    public const string CataloguePublish = "catalogue.publish";
    /// <summary>Any signed-in staff member or token owner acting on their own account (tokens, 2FA, me).</summary>
    public const string Self = "self";

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
        // Suggestions and the dispatch catalogue: the center changes who owns what.
        [CataloguePublish] = new([Roles.Admin, Roles.Dispatcher], TokenScopes.CataloguePublish),
        [Self] = new([.. Staff, Roles.Integration], null),
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
