using Concord.Domain.Territories;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Access;

/// <summary>
/// The demo's staff: one account per role in a few units, all with one published password, and a
/// bearer token for the demo dispatcher. Outside demo mode the server refuses to start while any
/// of them is active.
/// </summary>
public sealed class DemoAccounts(ConcordDb db, UserManager<StaffUser> users, CatalogStore catalog, TimeProvider clock, IConfiguration configuration, ILogger<DemoAccounts> logger)
{
    public const string Password = "Concord-Demo-2026";
    public const string TokenName = "demo dispatcher token";

    /// <summary>(user name, display name, unit, role). The grid worker also gets three grids of 东关街道.</summary>
    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Unit, string Role)> Accounts =
    [
        ("admin", "系统管理员", "620800.zzzx", Roles.Admin),
        ("dispatcher", "市综治中心派单员", "620800.zzzx", Roles.Dispatcher),
        ("analyst", "市综治中心研判员", "620800.zzzx", Roles.Analyst),
        ("auditor", "审计员", "620800.zzzx", Roles.Auditor),
        ("leader", "市领导", "620800.gov", Roles.Leader),
        ("mediator", "市矛调中心调解员", "620800.mtzx", Roles.Mediator),
        ("handler", "崆峒区人社局承办人", "620802.rsj", Roles.Handler),
        ("unithead", "崆峒区人社局负责人", "620802.rsj", Roles.UnitHead),
        ("township", "东关街道办事处干部", "620802001.gov", Roles.Handler),
        ("jingchuan", "泾川县政府承办人", "620821.gov", Roles.Handler),
        ("gridworker", "东关街道网格员", "620802001.gov", Roles.GridWorker),
        ("hotline", "12345 热线系统（集成）", "620800.zzzx", Roles.Integration),
    ];

    public const string GridTownship = "620802001";

    /// <summary>Creates the accounts that are missing and a fresh dispatcher token; returns the token in clear.</summary>
    public async Task<string> EnsureAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (userName, displayName, unit, role) in Accounts)
        {
            if (await users.FindByNameAsync(userName) is not null || !catalog.Current.Units.ContainsKey(unit))
            {
                continue;
            }

            var user = new StaffUser { UserName = userName, DisplayName = displayName, UnitCode = unit, IsDemo = true, IsService = role == Roles.Integration, CreatedAt = now };
            var result = user.IsService ? await users.CreateAsync(user) : await users.CreateAsync(user, Password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo account {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }

            await users.AddToRoleAsync(user, role);
            if (role == Roles.GridWorker)
            {
                foreach (var grid in DemoGrids(catalog.Current.Tree))
                {
                    db.StaffGrids.Add(new StaffGridRow { UserId = user.Id, GridCode = grid });
                }

                await db.SaveChangesAsync(cancellationToken);
            }
        }

        // The dispatcher's token: the configured one (for scripted demos), else a new random one each start.
        var dispatcher = await users.FindByNameAsync("dispatcher") ?? throw new InvalidOperationException("The demo dispatcher is missing.");
        var configured = configuration["Concord:Demo:Token"];
        await db.ApiTokens.Where(t => t.IsDemo && t.RevokedAt == null && (configured == null || t.Hash != ApiTokens.Hash(configured)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
        if (configured is not null && await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == ApiTokens.Hash(configured), cancellationToken) is { } existing)
        {
            // The configured token lives as long as demo runs go on: each start renews it.
            existing.ExpiresAt = now.AddDays(30);
            existing.RevokedAt = null;
            await db.SaveChangesAsync(cancellationToken);
            return configured;
        }

        if (configured is not null && !configured.StartsWith(ApiTokens.TokenPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Concord:Demo:Token must start with {ApiTokens.TokenPrefix}.");
        }

        var (_, token) = await ApiTokens.CreateAsync(db, dispatcher, ApiTokens.PersonalKind, TokenName,
            [TokenScopes.MattersIntake, TokenScopes.MattersRead, TokenScopes.MattersWrite, TokenScopes.PersonalDataReveal, TokenScopes.CatalogueRead], now, now.AddDays(30), isDemo: true, token: configured);
        return token;
    }

    public void Announce(string token)
    {
        var names = string.Join(", ", Accounts.Where(a => a.Role != Roles.Integration).Select(a => $"{a.UserName} ({a.Role}, {a.Unit})"));
        // Printed, not logged: the log may be shipped elsewhere; the console is the person who started the demo.
        logger.LogWarning("Demo mode: {Count} demo accounts with a published password and a demo token are active", Accounts.Count);
        Console.WriteLine($"Demo accounts, password {Password}: {names}{Environment.NewLine}Demo dispatcher token: {token}");
    }

    /// <summary>Outside demo mode: the active demo accounts and tokens that must be disabled first.</summary>
    public async Task<(int Users, int Tokens)> CountActiveAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var activeUsers = (await db.Users.Where(u => u.IsDemo).Select(u => u.LockoutEnd).ToListAsync(cancellationToken))
            .Count(lockout => lockout is null || lockout < now);
        var activeTokens = await db.ApiTokens.CountAsync(t => t.IsDemo && t.RevokedAt == null, cancellationToken);
        return (activeUsers, activeTokens);
    }

    /// <summary>Locks every demo account for good and revokes every demo token.</summary>
    public async Task DisableAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var user in await db.Users.Where(u => u.IsDemo).ToListAsync(cancellationToken))
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            await users.UpdateSecurityStampAsync(user);
        }

        await db.ApiTokens.Where(t => t.IsDemo && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now.UtcDateTime), cancellationToken);
    }

    public static IEnumerable<string> DemoGrids(TerritoryTree tree) =>
        tree.All.Where(t => t.Level == TerritoryLevel.Grid && t.Code.StartsWith(GridTownship, StringComparison.Ordinal))
            .Select(t => t.Code).Order(StringComparer.Ordinal).Take(3);
}
