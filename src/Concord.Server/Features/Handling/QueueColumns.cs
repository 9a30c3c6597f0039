using Concord.Domain.Calendar;
using Concord.Domain.Matters;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concord.Server.Features.Handling;

/// <summary>
/// The columns the queues are read by (<see cref="MatterRow.QueueDueAt"/>, <see cref="MatterRow.QueueYellowAt"/>,
/// <see cref="MatterRow.WaitingForCenter"/>), derived from a matter's status and deadlines on every save, so that
/// both queues filter, order, page and count in the database from one index each.
/// </summary>
public static class QueueColumns
{
    /// <summary>The deadline of an open matter that has none (never made by the workflow): last, and green.</summary>
    public static readonly DateTime NoDeadline = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    public static readonly string[] Open = [MatterStatus.Dispatched.ToWire(), MatterStatus.Accepted.ToWire(), MatterStatus.InProgress.ToWire()];

    public static readonly string[] Waiting = [MatterStatus.Received.ToWire(), MatterStatus.Returned.ToWire(), MatterStatus.InReview.ToWire()];

    /// <summary>Sets the queue columns from the status and deadlines.</summary>
    /// <param name="microseconds">The store keeps instants in whole microseconds (PostgreSQL): derive from what it will read back.</param>
    public static void Refresh(MatterRow m, WorkingCalendar calendar, bool microseconds)
    {
        m.WaitingForCenter = Waiting.Contains(m.Status) || m.ExtensionRequestedUntil is not null;
        if (!Open.Contains(m.Status))
        {
            (m.QueueDueAt, m.QueueYellowAt) = (null, null);
            return;
        }

        var due = m.Status == "dispatched" ? m.AcceptDueAt : m.ReplyDueAt;
        if (due is not { } d)
        {
            (m.QueueDueAt, m.QueueYellowAt) = (NoDeadline, NoDeadline);
            return;
        }

        m.QueueDueAt = d;
        m.QueueYellowAt = m.DispatchedAt is { } s
            ? calendar.YellowFrom(Utc(s, microseconds), Utc(d, microseconds)).UtcDateTime
            : NoDeadline;
    }

    /// <summary>The light of a queue row at <paramref name="now"/> (whole microseconds), from the stored columns: the same rule the counts use in SQL.</summary>
    public static TrafficLight LightAt(DateTime due, DateTime yellowAt, DateTime now) =>
        now >= due ? TrafficLight.Red : now >= yellowAt ? TrafficLight.Yellow : TrafficLight.Green;

    /// <summary>An instant cut to whole microseconds: the queues' "now", so that the database and the rows agree.</summary>
    public static DateTime Microseconds(DateTimeOffset instant) => new(instant.UtcTicks / 10 * 10, DateTimeKind.Utc);

    private static DateTimeOffset Utc(DateTime value, bool microseconds) =>
        new(microseconds ? value.Ticks / 10 * 10 : value.Ticks, TimeSpan.Zero);

    /// <summary>
    /// Once after migrating a database from before the queue columns: fills them for the open and waiting
    /// matters that lack them (found through the status index), in batches.
    /// </summary>
    public static async Task<int> BackfillAsync(ConcordDb db, CancellationToken ct)
    {
        string[] candidates = [.. Open, .. Waiting];
        var total = 0;
        while (true)
        {
            var batch = await db.Matters
                .Where(m => candidates.Contains(m.Status) && ((Open.Contains(m.Status) && m.QueueDueAt == null) || (Waiting.Contains(m.Status) && !m.WaitingForCenter)))
                .OrderBy(m => m.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0)
            {
                db.ChangeTracker.Clear();
                return total;
            }

            foreach (var matter in batch)
            {
                // The interceptor derives the columns on save; mark the row changed so that it does.
                db.Entry(matter).Property(m => m.WaitingForCenter).IsModified = true;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            total += batch.Count;
        }
    }
}

/// <summary>Keeps the queue columns current on every save of a matter, whichever code changed it.</summary>
public sealed class QueueColumnsInterceptor(WorkingCalendar calendar) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Refresh(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Refresh(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Refresh(DbContext? context)
    {
        if (context is not ConcordDb db)
        {
            return;
        }

        db.ChangeTracker.DetectChanges();
        var microseconds = db.Provider == DatabaseProvider.Postgres;
        foreach (var entry in db.ChangeTracker.Entries<MatterRow>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                QueueColumns.Refresh(entry.Entity, calendar, microseconds);
            }
        }
    }
}
