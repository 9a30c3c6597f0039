using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Concord.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Concord.Server.Access;

/// <summary>
/// Bearer tokens: personal access tokens and integration keys. A token is shown once at
/// creation; only its SHA-256 is stored. A token carries scopes and can never do more than its
/// owner's roles allow.
/// </summary>
public static class ApiTokens
{
    public const string Scheme = "Bearer";
    public const string TokenPrefix = "cct_";
    public const string PersonalKind = "personal";
    public const string IntegrationKind = "integration";

    public static string NewToken() =>
        TokenPrefix + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))).ToLowerInvariant();

    public static string PrefixOf(string token) => token.Length > 12 ? token[..12] : token;

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Creates a token for a user and returns it in clear (the only time it exists in clear).</summary>
    public static async Task<(ApiTokenRow Row, string Token)> CreateAsync(
        ConcordDb db, StaffUser owner, string kind, string name, IEnumerable<string> scopes, DateTime now, DateTime? expiresAt, bool isDemo = false, string? token = null)
    {
        token ??= NewToken();
        var row = new ApiTokenRow
        {
            Kind = kind,
            Name = name,
            UserId = owner.Id,
            Prefix = PrefixOf(token),
            Hash = Hash(token),
            Scopes = string.Join(' ', scopes.Distinct().Order(StringComparer.Ordinal)),
            CreatedAt = now,
            ExpiresAt = expiresAt,
            IsDemo = isDemo,
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync();
        return (row, token);
    }
}

/// <summary>Authenticates <c>Authorization: Bearer cct_…</c> against the token table.</summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ConcordDb db,
    IMemoryCache cache,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Resolved tokens are cached briefly; a revocation on another node takes effect within this time.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(ApiTokens.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail("Not a Concord token.");
        }

        var hash = ApiTokens.Hash(token);
        var principal = await cache.GetOrCreateAsync(CacheKey(hash), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return await ResolveAsync(hash);
        });
        return principal is null
            ? AuthenticateResult.Fail("Unknown, expired or revoked token.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    public static string CacheKey(string hash) => $"token:{hash}";

    private async Task<ClaimsPrincipal?> ResolveAsync(string hash)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash);
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } expires && expires <= now))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == row.UserId);
        if (user is null || (user.LockoutEnd is { } lockout && lockout > clock.GetUtcNow()))
        {
            return null;
        }

        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == user.Id
                           select r.Name!).ToListAsync();
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id),
            new(ClaimTypes.Name, user.UserName ?? user.Id),
            new(StaffClaims.Unit, user.UnitCode),
            new(StaffClaims.AuthenticatedBy, StaffClaims.ByToken),
            new(StaffClaims.TokenId, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => new Claim(StaffClaims.Scope, s)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, ApiTokens.Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
