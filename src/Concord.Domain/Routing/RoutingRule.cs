namespace Concord.Domain.Routing;

/// <summary>
/// A line of the dispatch catalogue: matters of <see cref="CategoryCode"/> (or any category when null)
/// located in the subtree of <see cref="TerritoryCode"/> go to <see cref="LeadUnitCode"/> (主办),
/// helped by <see cref="AssistingUnitCodes"/> (协办). <see cref="AutoDispatch"/> marks rules whose
/// matters are dispatched at intake without a dispatcher (直达直办).
/// </summary>
public sealed record RoutingRule(
    string Id,
    string? CategoryCode,
    string TerritoryCode,
    string LeadUnitCode,
    IReadOnlyList<string> AssistingUnitCodes,
    bool AutoDispatch,
    string? Note = null);
