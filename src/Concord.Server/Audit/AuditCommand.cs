using System.Globalization;

namespace Concord.Server.Audit;

/// <summary>
/// The audit commands of the server's command line:
/// <c>dotnet run --project src/Concord.Server -- audit verify</c> (seal what is pending, then check
/// the chain: exit code 0 when intact, 2 when broken) and <c>… -- audit seal</c> (exit code 0).
/// Needs a built host whose database has been migrated.
/// </summary>
public static class AuditCommand
{
    public const int Intact = 0;
    public const int Broken = 2;
    public const int Usage = 64; // EX_USAGE

    /// <summary>Runs an audit command and returns its exit code; null when the arguments are not an audit command.</summary>
    public static Task<int?> TryRunAsync(string[] args, IServiceProvider services) =>
        TryRunAsync(args, services, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int?> TryRunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(services);
        if (args.Length == 0 || !string.Equals(args[0], "audit", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var verb = args.Length > 1 ? args[1].ToLowerInvariant() : "";
        if (verb is not ("verify" or "seal") || args.Length > 2)
        {
            await error.WriteLineAsync("usage: audit verify   seal pending entries, then check the hash chain (exit code 0 intact, 2 broken)");
            await error.WriteLineAsync("       audit seal     seal pending entries into the chain");
            return Usage;
        }

        await using var scope = services.CreateAsyncScope();
        var sealer = scope.ServiceProvider.GetRequiredService<AuditSealer>();
        var sealedCount = await sealer.SealPendingAsync(cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Sealed {sealedCount} pending audit entries."));
        if (verb == "seal")
        {
            return Intact;
        }

        var report = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken);
        await output.WriteAsync(Describe(report));
        return report.Intact ? Intact : Broken;
    }

    /// <summary>The report in plain text, a line per fact.</summary>
    public static string Describe(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new System.Text.StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(report.Intact ? "Audit chain: INTACT" : "Audit chain: BROKEN");
        text.AppendLine(culture, $"Checked entries: {report.CheckedEntries}");
        text.AppendLine(culture, $"Pending entries: {report.PendingEntries}");
        text.AppendLine(report.Head is { } head
            ? string.Create(culture, $"Head: chain seq {head.ChainSeq}, hash {head.Hash}")
            : "Head: none (the chain is empty)");
        if (report.FirstBroken is { } broken)
        {
            var where = broken.ChainSeq is { } seq ? string.Create(culture, $"chain seq {seq}") : "chain seq unknown";
            text.AppendLine(culture, $"First broken: {where}, entry id {broken.Id}: {broken.Reason}");
        }

        return text.ToString();
    }
}
