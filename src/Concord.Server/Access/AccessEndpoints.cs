using System.Security.Claims;
using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Territories;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Concord.Server.Access;

public sealed record SignInRequest(string? UserName, string? Password, string? Totp);

public sealed record TokenRequest(string? Name, string[]? Scopes, int? ExpiresInDays, string? UserName);

public sealed record UserRequest(string? UserName, string? DisplayName, string? UnitCode, string[]? Roles, string[]? GridCodes, string? Password, bool? IsService);

public sealed record RolesRequest(string[]? Roles, string[]? GridCodes);

public sealed record CodeRequest(string? Code);

/// <summary>Sign-in and sign-out, the current user, bearer tokens, two-factor set-up, and staff accounts.</summary>
public static class AccessEndpoints
{
    public const int MaxTokenDays = 366;

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/v1/session").WithTags("Access");
        session.MapPost("/", SignInAsync).AllowAnonymous().RequireRateLimiting(AccessSetup.SignInRateLimit)
            .WithSummary("Sign in with user name, password and (when enabled) a TOTP code; sets the session cookie");
        session.MapDelete("/", async (SignInManager<StaffUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.NoContent();
        }).RequireAuthorization(Permissions.Self).WithSummary("Sign out");

        var me = app.MapGroup("/api/v1/me").WithTags("Access").RequireAuthorization(Permissions.Self);
        me.MapGet("/", MeAsync).WithSummary("The current user: unit, roles, scope");
        me.MapPost("/two-factor", StartTwoFactorAsync).WithSummary("Start TOTP set-up: returns the shared key and an otpauth URI");
        me.MapPost("/two-factor/confirm", ConfirmTwoFactorAsync).WithSummary("Confirm TOTP set-up with a code from the app; sign-in then needs a code");

        var tokens = app.MapGroup("/api/v1/tokens").WithTags("Access").RequireAuthorization(Permissions.Self);
        tokens.MapGet("/", ListTokensAsync).WithSummary("My tokens (never the secret)");
        tokens.MapPost("/", CreateTokenAsync).WithSummary("Create a personal access token, or (admin) an integration key for a service account; shown once");
        tokens.MapDelete("/{id:long}", RevokeTokenAsync).WithSummary("Revoke a token");

        var users = app.MapGroup("/api/v1/users").WithTags("Access").RequireAuthorization(Permissions.UsersManage);
        users.MapGet("/", async (ConcordDb db, CancellationToken ct) => Results.Ok(await UserListAsync(db, ct))).WithSummary("Staff accounts");
        users.MapPost("/", CreateUserAsync).WithSummary("Create a staff account or a service account");
        users.MapPut("/{userName}/roles", SetRolesAsync).WithSummary("Set a user's roles (and a grid worker's grids)");
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, StaffSignIn staffSignIn, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<SignInRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var request = read.Value;
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request?.UserName)) errors.Add(new("userName", "required"));
        if (string.IsNullOrEmpty(request?.Password)) errors.Add(new("password", "required"));
        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        var result = await staffSignIn.SignInAsync(request!.UserName!, request.Password!, request.Totp, http.Connection.RemoteIpAddress?.ToString() ?? "local", ct);
        return result.Kind switch
        {
            SignInResultKind.SignedIn => Results.NoContent(),
            SignInResultKind.LockedOut => Problem.Create(StatusCodes.Status423Locked, "locked-out", "title.locked_out", Messages.Text("detail.locked_out", result.LockedMinutes)),
            SignInResultKind.TwoFactorRequired => Problem.Create(StatusCodes.Status401Unauthorized, "two-factor-required", "title.two_factor_required", Messages.Text("detail.two_factor_required")),
            SignInResultKind.TwoFactorWrong => Problem.Create(StatusCodes.Status401Unauthorized, "two-factor-required", "title.two_factor_required", Messages.Text("detail.two_factor_wrong")),
            _ => Problem.Create(StatusCodes.Status401Unauthorized, "sign-in-failed", "title.sign_in_failed", Messages.Text("detail.sign_in_failed")),
        };
    }

    private static async Task<IResult> MeAsync(CurrentStaff staff, CatalogStore catalog, UserManager<StaffUser> users, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(staff.UserId!);
        var scope = await staff.ScopeAsync(ct);
        var unit = staff.UnitCode is { } code && catalog.Current.Units.TryGetValue(code, out var u) ? u : null;
        return Results.Ok(new
        {
            userName = user?.UserName,
            displayName = user?.DisplayName,
            unit = unit is null ? null : new { unit.Code, unit.Name },
            roles = staff.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal),
            scope = new
            {
                everything = scope.Everything,
                territory = scope.Territory is null ? null : new { scope.Territory.Code, scope.Territory.Name, level = scope.Territory.Level.ToWire() },
                unit = scope.GridCodes.Count > 0 ? null : scope.UnitCode,
                grids = scope.GridCodes,
            },
            tokenScopes = staff.User.FindAll(StaffClaims.Scope).Select(c => c.Value),
            twoFactorEnabled = user?.TwoFactorEnabled ?? false,
        });
    }

    private static async Task<IResult> StartTwoFactorAsync(CurrentStaff staff, UserManager<StaffUser> users)
    {
        var user = await users.FindByIdAsync(staff.UserId!);
        if (user is null)
        {
            return Results.Unauthorized();
        }

        await users.ResetAuthenticatorKeyAsync(user);
        var key = await users.GetAuthenticatorKeyAsync(user);
        var uri = $"otpauth://totp/Concord:{Uri.EscapeDataString(user.UserName ?? user.Id)}?secret={key}&issuer=Concord&digits=6";
        return Results.Ok(new { sharedKey = key, otpauthUri = uri });
    }

    private static async Task<IResult> ConfirmTwoFactorAsync(HttpContext http, CurrentStaff staff, UserManager<StaffUser> users, ConcordDb db, TimeProvider clock, CancellationToken ct)
    {
        var request = await RequestBody.ReadObjectAsync<CodeRequest>(http.Request, ct);
        if (request.Problem is not null)
        {
            return request.Problem;
        }

        var user = await users.FindByIdAsync(staff.UserId!);
        var code = request.Value?.Code?.Replace(" ", "") ?? "";
        if (user is null || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return Problem.Validation([new FieldError("code", "bad_filter", code)]);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        AuditLog.Append(db, staff.Actor, "user.two-factor-enabled", "user", user.UserName, null, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    private static async Task<IResult> ListTokensAsync(CurrentStaff staff, ConcordDb db, CancellationToken ct) =>
        Results.Ok(await db.ApiTokens.AsNoTracking().Where(t => t.UserId == staff.UserId).OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.Kind, t.Name, t.Prefix, scopes = t.Scopes, t.CreatedAt, t.ExpiresAt, t.RevokedAt })
            .ToListAsync(ct));

    private static async Task<IResult> CreateTokenAsync(HttpContext http, CurrentStaff staff, UserManager<StaffUser> users, ConcordDb db, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<TokenRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var request = read.Value!;
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100) errors.Add(new("name", string.IsNullOrWhiteSpace(request.Name) ? "required" : "too_long", 100, request.Name?.Length ?? 0));
        var days = request.ExpiresInDays ?? 90;
        if (days is < 1 or > MaxTokenDays) errors.Add(new("expiresInDays", "expiry_range", MaxTokenDays));

        // A personal token is for oneself; an integration key is made by an admin for a service account.
        var owner = await users.FindByIdAsync(staff.UserId!);
        var kind = ApiTokens.PersonalKind;
        if (request.UserName is { } userName && userName != owner?.UserName)
        {
            if (!staff.User.IsInRole(Roles.Admin))
            {
                return Results.Forbid();
            }

            owner = await users.FindByNameAsync(userName);
            if (owner is null || !owner.IsService)
            {
                errors.Add(new("userName", "bad_filter", userName));
            }

            kind = ApiTokens.IntegrationKind;
        }

        // A token can never do more than its owner: each scope must belong to a permission one of the owner's roles grants.
        var ownerRoles = owner is null ? [] : await users.GetRolesAsync(owner);
        var grantable = Permissions.Table.Values.Where(g => g.Scope is not null && g.Roles.Any(ownerRoles.Contains)).Select(g => g.Scope!).ToHashSet();
        var scopes = request.Scopes ?? [];
        if (scopes.Length == 0) errors.Add(new("scopes", "required"));
        for (var i = 0; i < scopes.Length; i++)
        {
            if (!TokenScopes.All.Contains(scopes[i])) errors.Add(new($"scopes[{i}]", "unknown_scope", scopes[i], string.Join(", ", TokenScopes.All)));
            else if (!grantable.Contains(scopes[i])) errors.Add(new($"scopes[{i}]", "scope_not_allowed", scopes[i]));
        }

        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (row, token) = await ApiTokens.CreateAsync(db, owner!, kind, request.Name!, scopes, now, now.AddDays(days));
        AuditLog.Append(db, staff.Actor, "token.created", "token", row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new { kind, owner = owner!.UserName, scopes = row.Scopes, row.Prefix, expiresAt = row.ExpiresAt }, now);
        await db.SaveChangesAsync(ct);
        return Results.Json(new { row.Id, row.Kind, row.Name, row.Prefix, scopes = row.Scopes, row.ExpiresAt, token }, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeTokenAsync(long id, CurrentStaff staff, ConcordDb db, IMemoryCache cache, TimeProvider clock, CancellationToken ct)
    {
        var row = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, ct);
        // Someone else's token does not exist for you, unless you are an admin.
        if (row is null || (row.UserId != staff.UserId && !staff.User.IsInRole(Roles.Admin)))
        {
            return Problem.NotFound("detail.token_not_found", id);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        row.RevokedAt ??= now;
        AuditLog.Append(db, staff.Actor, "token.revoked", "token", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { row.Prefix }, now);
        await db.SaveChangesAsync(ct);
        cache.Remove(ApiTokenHandler.CacheKey(row.Hash));
        return Results.NoContent();
    }

    private static async Task<object> UserListAsync(ConcordDb db, CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(ct);
        return users.Select(u => new
        {
            u.UserName,
            u.DisplayName,
            u.UnitCode,
            u.IsService,
            u.TwoFactorEnabled,
            lockedUntil = u.LockoutEnd,
            roles = roles.Where(r => r.UserId == u.Id).Select(r => r.Name).Order(StringComparer.Ordinal),
        });
    }

    private static async Task<IResult> CreateUserAsync(HttpContext http, CurrentStaff staff, UserManager<StaffUser> users, ConcordDb db, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<UserRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var request = read.Value!;
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.UserName)) errors.Add(new("userName", "required"));
        if (string.IsNullOrWhiteSpace(request.DisplayName)) errors.Add(new("displayName", "required"));
        if (request.UnitCode is null || !catalog.Current.Units.ContainsKey(request.UnitCode)) errors.Add(new("unitCode", "unknown_unit", request.UnitCode ?? ""));
        errors.AddRange(ValidateRoles(request.Roles, request.GridCodes, catalog.Current));
        if (request.IsService != true && string.IsNullOrEmpty(request.Password)) errors.Add(new("password", "required"));
        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        if (await users.FindByNameAsync(request.UserName!) is not null)
        {
            return Problem.Create(StatusCodes.Status409Conflict, "conflict", "title.conflict", Messages.Text("detail.user_exists", request.UserName));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var user = new StaffUser { UserName = request.UserName, DisplayName = request.DisplayName!, UnitCode = request.UnitCode!, IsService = request.IsService == true, CreatedAt = now };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = request.IsService == true ? await users.CreateAsync(user) : await users.CreateAsync(user, request.Password!);
        if (!created.Succeeded)
        {
            return Problem.Validation(created.Errors.Select(e => new FieldError(e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName", "password", e.Description)));
        }

        await users.AddToRolesAsync(user, request.Roles!);
        await SetGridsAsync(db, user.Id, request.GridCodes, ct);
        AuditLog.Append(db, staff.Actor, "user.created", "user", user.UserName, new { user.UnitCode, roles = request.Roles, grids = request.GridCodes, user.IsService }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Results.Created($"/api/v1/users/{user.UserName}", new { user.UserName, user.UnitCode, roles = request.Roles });
    }

    private static async Task<IResult> SetRolesAsync(string userName, HttpContext http, CurrentStaff staff, UserManager<StaffUser> users, ConcordDb db, CatalogStore catalog, TimeProvider clock, CancellationToken ct)
    {
        var read = await RequestBody.ReadObjectAsync<RolesRequest>(http.Request, ct);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            return Problem.NotFound("detail.user_not_found", userName);
        }

        var errors = ValidateRoles(read.Value!.Roles, read.Value.GridCodes, catalog.Current);
        if (errors.Count > 0)
        {
            return Problem.Validation(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var before = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, before);
        await users.AddToRolesAsync(user, read.Value.Roles!);
        await SetGridsAsync(db, user.Id, read.Value.GridCodes, ct);
        // A permission change takes effect at the user's next sign-in; the security stamp ends current cookies now.
        await users.UpdateSecurityStampAsync(user);
        AuditLog.Append(db, staff.Actor, "user.roles-changed", "user", userName, new { before, after = read.Value.Roles, grids = read.Value.GridCodes }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Results.NoContent();
    }

    private static List<FieldError> ValidateRoles(string[]? roles, string[]? grids, CatalogSnapshot catalog)
    {
        var errors = new List<FieldError>();
        if (roles is null || roles.Length == 0) errors.Add(new("roles", "required"));
        for (var i = 0; i < (roles?.Length ?? 0); i++)
        {
            if (!Roles.All.Contains(roles![i])) errors.Add(new($"roles[{i}]", "unknown_role", roles[i], string.Join(", ", Roles.All)));
        }

        for (var i = 0; i < (grids?.Length ?? 0); i++)
        {
            if (catalog.Tree.Find(grids![i]) is not { Level: TerritoryLevel.Grid }) errors.Add(new($"gridCodes[{i}]", "not_a_grid", grids[i]));
        }

        return errors;
    }

    private static async Task SetGridsAsync(ConcordDb db, string userId, string[]? grids, CancellationToken ct)
    {
        await db.StaffGrids.Where(g => g.UserId == userId).ExecuteDeleteAsync(ct);
        foreach (var grid in (grids ?? []).Distinct())
        {
            db.StaffGrids.Add(new StaffGridRow { UserId = userId, GridCode = grid });
        }
    }
}
