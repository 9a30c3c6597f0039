using System.Data.Common;
using System.Globalization;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Access.PersonalData;

/// <summary>What a rekey did.</summary>
/// <param name="Matters">Matters whose personal data was rewritten.</param>
/// <param name="Values">Values moved from an older key to the current one.</param>
/// <param name="ClearValues">Values found in clear (stored before encryption at rest) and encrypted.</param>
/// <param name="PhoneHashes">Phone hashes filled in where they were missing.</param>
/// <param name="Remaining">Matters still not under the current key when the run ended: written meanwhile by a node with another current key.</param>
public sealed record RekeyResult(int Matters, int Values, int ClearValues, int PhoneHashes, int Remaining);

/// <summary>
/// Key rotation: re-encrypts under the current key every personal-data value of every matter that
/// is under another key (or still in clear), in batches of one transaction each, walking the
/// matters by id. A matter changed meanwhile by a request (its version moved) is read again.
/// A value under a key that is no longer configured stops the run with that key's id.
/// </summary>
public sealed class PersonalDataRekeying(ConcordDb db, PersonalDataProtector protector, ILogger<PersonalDataRekeying> logger)
{
    public const int DefaultBatchSize = 500;
    public const string Command = "personal-data";
    public const int Done = 0;
    public const int Failed = 1;
    public const int Incomplete = 2;
    public const int Usage = 64; // EX_USAGE

    private const int MaxAttempts = 5;

    public async Task<RekeyResult> RunAsync(int batchSize = DefaultBatchSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var prefix = protector.CurrentKeyId + ":";
        long after = 0;
        int matters = 0, values = 0, clearValues = 0, phoneHashes = 0;
        while (true)
        {
            var attempt = 0;
            while (true)
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var batch = await NotUnderCurrentKey(prefix)
                    .Where(m => m.Id > after)
                    .OrderBy(m => m.Id)
                    .Take(batchSize)
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    db.ChangeTracker.Clear();
                    var remaining = await NotUnderCurrentKey(prefix).CountAsync(cancellationToken);
                    return new RekeyResult(matters, values, clearValues, phoneHashes, remaining);
                }

                var counts = new Counts();
                foreach (var matter in batch)
                {
                    if (Rekey(matter, counts))
                    {
                        counts.Matters++;
                    }
                }

                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
                catch (DbUpdateConcurrencyException) when (++attempt < MaxAttempts)
                {
                    // A request changed one of these matters since we read it: read the batch again.
                    await transaction.RollbackAsync(CancellationToken.None);
                    continue;
                }

                matters += counts.Matters;
                values += counts.Values;
                clearValues += counts.ClearValues;
                phoneHashes += counts.PhoneHashes;
                after = batch[^1].Id;
                logger.LogInformation("Personal data under key {Key}: {Matters} matters rewritten so far (up to matter id {Id}).", protector.CurrentKeyId, matters, after);
                break;
            }
        }
    }

    /// <summary>Matters with a personal-data value not under the current key, or a phone without its hash.</summary>
    private IQueryable<MatterRow> NotUnderCurrentKey(string prefix) =>
        db.Matters.Where(m =>
            (m.ReporterName != null && !m.ReporterName.StartsWith(prefix))
            || (m.ReporterPhone != null && !m.ReporterPhone.StartsWith(prefix))
            || (m.ReporterIdNumber != null && !m.ReporterIdNumber.StartsWith(prefix))
            || (m.Parties != null && !m.Parties.StartsWith(prefix))
            || (m.ReporterPhone != null && m.ReporterPhoneHash == null));

    private bool Rekey(MatterRow matter, Counts counts)
    {
        var changed = false;
        matter.ReporterName = Rewrite(matter.ReporterName, counts, ref changed);
        matter.ReporterPhone = Rewrite(matter.ReporterPhone, counts, ref changed);
        matter.ReporterIdNumber = Rewrite(matter.ReporterIdNumber, counts, ref changed);
        matter.Parties = Rewrite(matter.Parties, counts, ref changed);
        if (matter.ReporterPhone is not null && matter.ReporterPhoneHash is null)
        {
            matter.ReporterPhoneHash = protector.PhoneHash(protector.Unprotect(matter.ReporterPhone));
            counts.PhoneHashes++;
            changed = true;
        }

        return changed;
    }

    private string? Rewrite(string? stored, Counts counts, ref bool changed)
    {
        if (protector.IsCurrent(stored))
        {
            return stored;
        }

        changed = true;
        if (PersonalDataProtector.KeyIdOf(stored) is null)
        {
            // Stored in clear before encryption at rest.
            counts.ClearValues++;
            return protector.Protect(stored);
        }

        counts.Values++;
        return protector.Protect(protector.Unprotect(stored));
    }

    /// <summary>
    /// The command line: <c>personal-data rekey [--batch-size N]</c>. Returns the exit code, or
    /// null when the arguments are not a personal-data command. Needs a migrated database.
    /// </summary>
    public static Task<int?> TryRunAsync(string[] args, IServiceProvider services) =>
        TryRunAsync(args, services, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int?> TryRunAsync(string[] args, IServiceProvider services, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(services);
        if (args.Length == 0 || !string.Equals(args[0], Command, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var batchSize = DefaultBatchSize;
        var valid = args.Length >= 2 && string.Equals(args[1], "rekey", StringComparison.OrdinalIgnoreCase);
        for (var i = 2; valid && i < args.Length; i++)
        {
            valid = args[i] == "--batch-size" && i + 1 < args.Length
                && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out batchSize) && batchSize > 0;
        }

        if (!valid)
        {
            await error.WriteLineAsync($"usage: {Command} rekey [--batch-size N]   re-encrypt every matter's personal data under the current key (default batches of {DefaultBatchSize})");
            return Usage;
        }

        await using var scope = services.CreateAsyncScope();
        var rekeying = scope.ServiceProvider.GetRequiredService<PersonalDataRekeying>();
        var current = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().CurrentKeyId;
        RekeyResult result;
        try
        {
            result = await rekeying.RunAsync(batchSize, cancellationToken);
        }
        catch (Exception e) when (e is PersonalDataException or DbException or DbUpdateException or InvalidOperationException)
        {
            await error.WriteLineAsync($"personal-data rekey failed: {e.Message}");
            return Failed;
        }

        await output.WriteLineAsync(
            $"Personal data now under key '{current}': {result.Matters} matters rewritten ({result.Values} values from older keys, "
            + $"{result.ClearValues} values found in clear, {result.PhoneHashes} phone hashes filled in).");
        if (result.Remaining > 0)
        {
            await error.WriteLineAsync(
                $"{result.Remaining} matters were written under another key while the rekey ran: is every node restarted with "
                + $"{PersonalDataKeyRing.CurrentKeySetting}={current}? Run the rekey again before removing an old key.");
            return Incomplete;
        }

        return Done;
    }

    private sealed class Counts
    {
        public int Matters { get; set; }
        public int Values { get; set; }
        public int ClearValues { get; set; }
        public int PhoneHashes { get; set; }
    }
}
