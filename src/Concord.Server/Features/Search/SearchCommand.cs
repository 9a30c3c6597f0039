using System.Globalization;
using Concord.Server.Data;

namespace Concord.Server.Features.Search;

/// <summary>
/// <c>dotnet run --project src/Concord.Server -- search reindex</c>: rebuilds the search index of
/// every matter (after a restore, or when the segmentation dictionary changed). Exit code 0.
/// </summary>
public static class SearchCommand
{
    public const int Usage = 64; // EX_USAGE

    public static Task<int?> TryRunAsync(string[] args, IServiceProvider services) =>
        TryRunAsync(args, services, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int?> TryRunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length == 0 || !string.Equals(args[0], "search", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (args.Length != 2 || !string.Equals(args[1], "reindex", StringComparison.OrdinalIgnoreCase))
        {
            await error.WriteLineAsync("usage: search reindex   rebuild the search index of every matter");
            return Usage;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordDb>();
        var count = await SearchIndex.RebuildAsync(db, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Search index rebuilt for {count} matters."));
        return 0;
    }
}
