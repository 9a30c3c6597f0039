using System.Linq.Expressions;
using System.Security.Claims;
using Concord.Domain.Territories;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Access;

/// <summary>
/// Which matters a user may see and act on: the subtree of their unit's territory plus the
/// matters assigned to their unit anywhere; a grid worker sees their grids only. A matter
/// outside the scope does not exist for the user (404), so existence does not leak.
/// </summary>
public sealed record AccessScope(bool Everything, Territory? Territory, string? UnitCode, IReadOnlyList<string> GridCodes)
{
    public static readonly AccessScope Nothing = new(false, null, null, []);

    public IQueryable<MatterRow> Apply(IQueryable<MatterRow> matters)
    {
        if (Everything)
        {
            return matters;
        }

        if (GridCodes.Count > 0)
        {
            var grids = GridCodes.ToList();
            return matters.Where(m => m.GridCode != null && grids.Contains(m.GridCode));
        }

        var inTerritory = Territory is null ? (Expression<Func<MatterRow, bool>>)(m => false) : InTerritory(Territory);
        if (UnitCode is null)
        {
            return matters.Where(inTerritory);
        }

        var unit = UnitCode;
        var delimited = $",{unit},";
        // OR of the territory test and the unit tests, built as one expression so that the store sees one predicate.
        var parameter = inTerritory.Parameters[0];
        var byUnit = (Expression<Func<MatterRow, bool>>)(m => m.LeadUnitCode == unit || ("," + m.AssistingUnitCodes + ",").Contains(delimited));
        var body = Expression.OrElse(inTerritory.Body, new ParameterReplacer(byUnit.Parameters[0], parameter).Visit(byUnit.Body));
        return matters.Where(Expression.Lambda<Func<MatterRow, bool>>(body, parameter));
    }

    public bool Covers(MatterRow matter) =>
        Everything
        || (GridCodes.Count > 0
            ? matter.GridCode is not null && GridCodes.Contains(matter.GridCode)
            : (Territory is not null && CoversTerritory(matter.TerritoryChain())) || (UnitCode is not null && (matter.LeadUnitCode == UnitCode || matter.AssistingUnitCodes.Split(',').Contains(UnitCode))));

    /// <summary>Whether a matter's place lies in the scope: the test for writes such as intake (assignment to the unit does not count).</summary>
    public bool CoversPlace(MatterRow matter) =>
        Everything
        || (GridCodes.Count > 0
            ? matter.GridCode is not null && GridCodes.Contains(matter.GridCode)
            : Territory is not null && CoversTerritory(matter.TerritoryChain()));

    private bool CoversTerritory(IEnumerable<string> chainCodes) => chainCodes.Contains(Territory!.Code);

    /// <summary>"This territory and everything below": an equality on the matter's column for the territory's level.</summary>
    public static Expression<Func<MatterRow, bool>> InTerritory(Territory t)
    {
        var code = t.Code;
        return t.Level switch
        {
            TerritoryLevel.Province => m => m.ProvinceCode == code,
            TerritoryLevel.City => m => m.CityCode == code,
            TerritoryLevel.County => m => m.CountyCode == code,
            TerritoryLevel.Township => m => m.TownshipCode == code,
            TerritoryLevel.Community => m => m.CommunityCode == code,
            _ => m => m.GridCode == code,
        };
    }

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

public static class MatterChains
{
    public static IEnumerable<string> TerritoryChain(this MatterRow m) =>
        new[] { m.ProvinceCode, m.CityCode, m.CountyCode, m.TownshipCode, m.CommunityCode, m.GridCode }.OfType<string>();
}

/// <summary>The signed-in staff member (or token owner) of the current request.</summary>
public sealed class CurrentStaff(IHttpContextAccessor http, CatalogStore catalog, ConcordDb db)
{
    private AccessScope? scope;

    public ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public string? UserId => User.FindFirstValue(ClaimTypes.NameIdentifier);

    public string? UnitCode => User.FindFirstValue(StaffClaims.Unit);

    /// <summary>The subject of audit entries: user id (and token id when a token acted), and the client address.</summary>
    public Actor Actor
    {
        get
        {
            var id = UserId is null ? "anonymous"
                : User.FindFirstValue(StaffClaims.TokenId) is { } token ? $"{UserId} (token {token})"
                : UserId;
            return new Actor(id, http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "local");
        }
    }

    public async Task<AccessScope> ScopeAsync(CancellationToken cancellationToken)
    {
        if (scope is not null)
        {
            return scope;
        }

        if (UserId is not { } userId)
        {
            return scope = AccessScope.Nothing;
        }

        var tree = catalog.Current.Tree;
        if (User.IsInRole(Roles.GridWorker))
        {
            var grids = await db.StaffGrids.AsNoTracking().Where(g => g.UserId == userId).Select(g => g.GridCode).ToListAsync(cancellationToken);
            return scope = new AccessScope(false, null, null, grids.Count > 0 ? grids : ["-"]);
        }

        var unitTerritory = UnitCode is { } unit && catalog.Current.Units.TryGetValue(unit, out var u) ? tree.Find(u.TerritoryCode) : null;
        var everything = unitTerritory is not null && tree.Find(unitTerritory.ParentCode) is null;
        return scope = new AccessScope(everything, unitTerritory, UnitCode, []);
    }
}
