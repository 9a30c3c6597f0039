using Concord.Domain.Duplicates;
using Concord.Server.Access;
using Concord.Server.Data;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Concord.Server.Features.Duplicates;

/// <summary>
/// 并单 as an API: the candidates of a matter (<c>GET /api/v1/matters/{code}/duplicates</c>) and the
/// matters merged into it. Candidates also come with the intake answer; merge and unmerge are
/// handling steps (<c>POST …/merge</c>, <c>POST …/unmerge</c>).
/// </summary>
public static class DuplicateEndpoints
{
    public const string SettingsSection = "Concord:Duplicates";

    public static IServiceCollection AddDuplicates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DuplicateSettings>()
            .Bind(configuration.GetSection(SettingsSection))
            .Validate(s => s.RadiusMeters > 0 && s.WindowDays >= 0 && s.MaxCandidates > 0 && s.MinScore is >= 0 and <= 1 && s.MinTextSimilarity is >= 0 and <= 1,
                $"{SettingsSection}: RadiusMeters > 0, WindowDays >= 0, MaxCandidates > 0, MinScore and MinTextSimilarity in [0, 1]")
            .ValidateOnStart();
        // The tokens of the text measure: character shingles until a word segmenter is wired in here.
        services.AddSingleton<Shingler>(TextShingles.Default);
        services.AddScoped<DuplicateSearch>();
        services.AddScoped<SignatureBackfill>();
        services.AddHostedService<SignatureBackfillService>();
        return services;
    }

    public static IEndpointRouteBuilder MapDuplicates(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/matters/{code}/duplicates", DuplicatesAsync).WithTags("Duplicates")
            .RequireAuthorization(Permissions.MattersRead)
            .WithSummary("并单: the open matters near this one in place, time, category and text (score and reasons, best first), and the matters merged into it")
            .Produces<DuplicatesView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> DuplicatesAsync(string code, ConcordDb db, CurrentStaff staff, DuplicateSearch search, CancellationToken ct)
    {
        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);
        var scope = await staff.ScopeAsync(ct);
        if (matter is null || !scope.Covers(matter))
        {
            return Problem.NotFound("detail.matter_not_found", code);
        }

        // A merged matter has no candidates of its own: its reporter follows the survivor.
        var candidates = matter.MergedIntoId is null ? await search.FindAsync(matter, scope, ct) : [];
        var merged = await MatterReporters.FollowersAsync(db, matter.Id, ct);
        return Results.Ok(new DuplicatesView(candidates, merged.Select(m => new MergedMatterView(m.Code, m.Title, m.MergedAt)).ToList()));
    }
}

public sealed record DuplicatesView(IReadOnlyList<DuplicateCandidate> Candidates, IReadOnlyList<MergedMatterView> Merged);

public sealed record MergedMatterView(string Code, string Title, DateTime MergedAt);
