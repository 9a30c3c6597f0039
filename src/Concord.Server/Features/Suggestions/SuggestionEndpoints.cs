using Concord.Domain.Suggestions;
using Concord.Server.Access;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Suggestions;

/// <summary>A suggested label, named in the request's language.</summary>
public sealed record SuggestedLabel(string Code, string Name, double Confidence);

/// <summary>One suggestion: the label (none below the threshold), the ranking it came from, and the words that drove it.</summary>
public sealed record SuggestionView(SuggestedLabel? Suggested, IReadOnlyList<SuggestedLabel> Top, IReadOnlyList<string> DrivingWords);

/// <summary>What the model suggests for a matter (智能分拨).</summary>
public sealed record MatterSuggestionsView(string Matter, long DecisionsLearned, double Threshold, SuggestionView Category, SuggestionView LeadUnit);

/// <summary>智能分拨: <c>GET /api/v1/matters/{code}/suggestions</c>; the same suggestions ride on the dispatch queue's items.</summary>
public static class SuggestionEndpoints
{
    public static IServiceCollection AddSuggestions(this IServiceCollection services)
    {
        services.AddSingleton<SuggestionStore>();
        services.AddHostedService<SuggestionTrainer>();
        return services;
    }

    public static IEndpointRouteBuilder MapSuggestions(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/matters/{code}/suggestions", SuggestAsync).WithTags("Suggestions")
            .RequireAuthorization(Permissions.MattersDispatch)
            .WithSummary("Category and lead-unit suggestions learned from the dispatchers' decisions, with confidence and driving words; none below the threshold");
        return app;
    }

    private static async Task<IResult> SuggestAsync(string code, ConcordDb db, CurrentStaff staff, SuggestionStore store, CatalogStore catalog, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);
        var scope = await staff.ScopeAsync(ct);
        if (matter is null || !scope.Covers(matter))
        {
            return Problem.NotFound("detail.matter_not_found", code);
        }

        await store.CatchUpAsync(ct);
        return Results.Ok(View(matter, store, catalog.Current));
    }

    public static MatterSuggestionsView View(MatterRow matter, SuggestionStore store, CatalogSnapshot catalog)
    {
        var (category, unit) = store.Suggest(matter);
        return new MatterSuggestionsView(matter.Code, store.Decisions, store.Threshold,
            Render(category, c => Views.Category(c, catalog)?.Name ?? c, catalog),
            Render(unit, u => Views.UnitOf(u, catalog)?.Name ?? u, catalog));
    }

    private static SuggestionView Render(Suggestion suggestion, Func<string, string> name, CatalogSnapshot catalog)
    {
        SuggestedLabel Label(ScoredLabel s) => new(s.Label, name(s.Label), Math.Round(s.Confidence, 3));
        return new SuggestionView(
            suggestion.Suggested is { } s ? Label(s) : null,
            suggestion.Top.Select(Label).ToList(),
            suggestion.DrivingWords.Select(w => PlaceWord(w, catalog)).ToList());
    }

    /// <summary>A place feature reads as the place's name; a word as itself.</summary>
    private static string PlaceWord(string feature, CatalogSnapshot catalog)
    {
        foreach (var prefix in new[] { TextFeatures.CountyPrefix, TextFeatures.TownshipPrefix })
        {
            if (feature.StartsWith(prefix, StringComparison.Ordinal))
            {
                var code = feature[prefix.Length..];
                return catalog.Tree.Find(code)?.Name ?? code;
            }
        }

        return feature;
    }
}
