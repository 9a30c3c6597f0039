namespace Concord.Server.Access;

/// <summary>The staff roles. A user belongs to one unit and may hold several roles.</summary>
public static class Roles
{
    public const string Admin = "admin";
    /// <summary>派单员: center staff who dispatch.</summary>
    public const string Dispatcher = "dispatcher";
    /// <summary>承办人: handles matters in a unit.</summary>
    public const string Handler = "handler";
    public const string UnitHead = "unit_head";
    /// <summary>网格员: field staff of one or more grids.</summary>
    public const string GridWorker = "grid_worker";
    public const string Mediator = "mediator";
    /// <summary>研判: reads everything in scope for analysis, with personal data masked.</summary>
    public const string Analyst = "analyst";
    /// <summary>Read-only overview.</summary>
    public const string Leader = "leader";
    public const string Auditor = "auditor";
    /// <summary>A service account behind integration keys (hotline system, Open311 gateway).</summary>
    public const string Integration = "integration";

    public static readonly IReadOnlyList<string> All =
        [Admin, Dispatcher, Handler, UnitHead, GridWorker, Mediator, Analyst, Leader, Auditor, Integration];
}

/// <summary>Scopes a bearer token may carry; a token can never do more than its owner.</summary>
public static class TokenScopes
{
    public const string MattersIntake = "matters:intake";
    public const string MattersRead = "matters:read";
    public const string MattersWrite = "matters:write";
    public const string PersonalDataReveal = "personal-data:reveal";
    public const string TerritoriesImport = "territories:import";
    public const string CatalogueRead = "catalogue:read";
    public const string AuditRead = "audit:read";
    /// <summary>Publish a version of the dispatch catalogue.</summary>
    public const string CataloguePublish = "catalogue:publish";

    public static readonly IReadOnlyList<string> All =
        [MattersIntake, MattersRead, MattersWrite, PersonalDataReveal, TerritoriesImport, CatalogueRead, AuditRead, CataloguePublish];
}
