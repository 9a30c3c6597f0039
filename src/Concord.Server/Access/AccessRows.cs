using Microsoft.AspNetCore.Identity;

namespace Concord.Server.Access;

/// <summary>A member of staff (or a service account behind integration keys).</summary>
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The unit the user belongs to; its territory is the user's territorial scope.</summary>
    public string UnitCode { get; set; } = "";

    /// <summary>Service accounts act only through integration keys and cannot sign in.</summary>
    public bool IsService { get; set; }

    /// <summary>Seeded by the demo with a published password: the server refuses to start outside demo mode while one is active.</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>The grids a grid worker (网格员) covers.</summary>
public sealed class StaffGridRow
{
    public required string UserId { get; set; }
    public required string GridCode { get; set; }
}

/// <summary>A bearer token: a personal access token or an integration key. Only its SHA-256 is stored.</summary>
public sealed class ApiTokenRow
{
    public long Id { get; set; }
    /// <summary>personal | integration</summary>
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string UserId { get; set; }
    /// <summary>The first characters of the token, to recognise it in lists and logs.</summary>
    public required string Prefix { get; set; }
    public required string Hash { get; set; }
    /// <summary>Space-separated.</summary>
    public required string Scopes { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public bool IsDemo { get; set; }
}
