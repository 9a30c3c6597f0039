using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Letters;

/// <summary>The five letters (五函).</summary>
public enum LetterKind
{
    /// <summary>预警函: a risk is rising (analysts, the early-warning engine).</summary>
    Warning,
    /// <summary>提示函: a matter turned yellow.</summary>
    Reminder,
    /// <summary>督办函: a matter is overdue, or a letter went unanswered.</summary>
    Supervision,
    /// <summary>交办函: the center assigns a matter point to point.</summary>
    Assignment,
    /// <summary>警示函: a unit's overdue matters passed the threshold in a period.</summary>
    Caution,
}

public static class LetterKinds
{
    public static string Wire(this LetterKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out LetterKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && text is not null && !char.IsDigit(text[0]);

    /// <summary>The character of the letter's kind in its number: 平综治督〔2026〕17号.</summary>
    public static string NumberChar(this LetterKind kind) => kind switch
    {
        LetterKind.Warning => "预",
        LetterKind.Reminder => "提",
        LetterKind.Supervision => "督",
        LetterKind.Assignment => "交",
        _ => "警",
    };

    public static string ChineseName(this LetterKind kind) => kind switch
    {
        LetterKind.Warning => "风险预警函",
        LetterKind.Reminder => "提示函",
        LetterKind.Supervision => "督办函",
        LetterKind.Assignment => "交办函",
        _ => "警示函",
    };
}

/// <summary>
/// Issues letters: a number per issuer, kind and year from a counter in the caller's transaction,
/// the matters concerned, a reply deadline; an audit entry. A letter with a once-key exists once,
/// whichever node's sweep gets there first.
/// </summary>
public sealed class LetterService(ConcordDb db, CatalogStore catalog, TimeProvider clock, Matters.LocalCalendar calendar, IConfiguration configuration)
{
    public string IssuerUnitCode => configuration["Concord:Letters:IssuerUnit"] ?? "620800.zzzx";

    public string IssuerPrefix => configuration["Concord:Letters:IssuerPrefix"] ?? "平综治";

    public async Task<LetterRow> IssueAsync(LetterKind kind, string addressee, IReadOnlyList<MatterRow> matters, string title, string body,
        DateTime? replyDueAt, string? onceKey, string issuedBy, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var year = calendar.LocalDate(now).Year;
        var counter = $"letter:{IssuerUnitCode}:{kind.Wire()}:{year}";
        var sequence = await NextAsync(counter, ct);
        var letter = new LetterRow
        {
            Number = $"{IssuerPrefix}{kind.NumberChar()}〔{year}〕{sequence}号",
            Kind = kind.Wire(),
            IssuerUnitCode = IssuerUnitCode,
            Year = year,
            Sequence = sequence,
            AddresseeUnitCode = addressee,
            Title = title,
            Body = body,
            IssuedAt = now.UtcDateTime,
            ReplyDueAt = replyDueAt,
            OnceKey = onceKey,
            IssuedBy = issuedBy,
        };
        foreach (var matter in matters)
        {
            letter.Matters.Add(new LetterMatterRow { MatterId = matter.Id });
        }

        db.Letters.Add(letter);
        foreach (var matter in matters)
        {
            Matters.MatterEvents.Record(db, matter, "letter", now.UtcDateTime, issuedBy, new { number = letter.Number, kind = letter.Kind, addressee });
        }

        AuditLog.Append(db, new Actor(issuedBy, "local"), "letter.issued", "letter", letter.Number, new { kind = letter.Kind, addressee, matters = matters.Select(m => m.Code) }, now.UtcDateTime);
        return letter;
    }

    /// <summary>The unit a letter escalates to: a department's own government; a government's superior government.</summary>
    public string? SuperiorOf(string unitCode)
    {
        var snapshot = catalog.Current;
        if (!snapshot.Units.TryGetValue(unitCode, out var unit))
        {
            return null;
        }

        var territory = unit.Kind == Unit.GovernmentKind ? snapshot.Tree.Find(snapshot.Tree.Find(unit.TerritoryCode)?.ParentCode) : snapshot.Tree.Find(unit.TerritoryCode);
        while (territory is not null)
        {
            if (snapshot.GovernmentOf(territory.Code) is { } government && government != unitCode)
            {
                return government;
            }

            territory = snapshot.Tree.Find(territory.ParentCode);
        }

        return null;
    }

    private async Task<long> NextAsync(string name, CancellationToken ct)
    {
        // Create the counter on first use (both stores accept ON CONFLICT), then take the next value in this transaction.
        await db.Database.ExecuteSqlRawAsync("INSERT INTO counters (\"Name\", \"Value\") VALUES ({0}, 0) ON CONFLICT (\"Name\") DO NOTHING", [name], ct);
        var values = await db.Database.SqlQueryRaw<long>("UPDATE counters SET \"Value\" = \"Value\" + 1 WHERE \"Name\" = {0} RETURNING \"Value\" AS \"Value\"", name).ToListAsync(ct);
        return values.Single();
    }
}
