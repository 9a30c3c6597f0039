using Concord.Domain.Matters;
using Concord.Domain.Territories;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.IO;

namespace Concord.Server.Features.Territories;

public sealed record TerritoryImportResult(int Added, int Updated, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Writes validated territories in one transaction: new codes are added, known codes take the
/// file's name, level, parent and (when the file has one) polygon. A file with any fault writes nothing.
/// </summary>
public sealed class TerritoryImporter(ConcordDb db, CatalogStore catalog, TimeProvider clock)
{
    /// <param name="readErrors">Faults the file's reader already found; the records it could read are still checked, so one answer lists every fault.</param>
    public async Task<TerritoryImportResult> ImportAsync(
        IReadOnlyList<ImportedTerritory> items, bool synthetic, Actor actor, CancellationToken cancellationToken, IReadOnlyList<FieldError>? readErrors = null)
    {
        await catalog.RefreshAsync(force: false, cancellationToken);
        var snapshot = catalog.Current;
        var errors = (readErrors ?? []).ToList();
        if (items.Count > 0 || errors.Count == 0)
        {
            errors.AddRange(TerritoryImport.Validate(items, snapshot.Tree, snapshot.Territories.GeometryOf));
        }

        if (errors.Count > 0)
        {
            return new(0, 0, errors);
        }

        var writer = new WKBWriter();
        var codes = items.Select(i => i.Territory.Code).ToHashSet(StringComparer.Ordinal);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await LoadExistingAsync(codes, cancellationToken);
        int added = 0, updated = 0;
        foreach (var item in items)
        {
            var t = item.Territory;
            var wkb = item.Geometry is null ? null : writer.Write(item.Geometry);
            if (existing.TryGetValue(t.Code, out var row))
            {
                row.Name = t.Name;
                row.Level = t.Level.ToWire();
                row.ParentCode = t.ParentCode;
                if (wkb is not null)
                {
                    row.Geometry = wkb;
                    row.Synthetic = synthetic;
                }

                updated++;
            }
            else
            {
                db.Territories.Add(new TerritoryRow { Code = t.Code, Name = t.Name, Level = t.Level.ToWire(), ParentCode = t.ParentCode, Geometry = wkb, Synthetic = synthetic && wkb is not null });
                added++;
            }
        }

        AuditLog.Append(db, actor, "territories.imported", "territory", items.Count == 1 ? items[0].Territory.Code : null,
            new { added, updated, synthetic, withPolygons = items.Count(i => i.Geometry is not null) }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await CatalogStore.BumpRevisionAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await catalog.RefreshAsync(force: false, cancellationToken);
        return new(added, updated, []);
    }

    private async Task<Dictionary<string, TerritoryRow>> LoadExistingAsync(HashSet<string> codes, CancellationToken cancellationToken)
    {
        // Chunked so that a national import does not build one enormous IN list.
        var result = new Dictionary<string, TerritoryRow>(StringComparer.Ordinal);
        foreach (var chunk in codes.Chunk(1000))
        {
            foreach (var row in await db.Territories.Where(t => chunk.Contains(t.Code)).ToListAsync(cancellationToken))
            {
                result[row.Code] = row;
            }
        }

        return result;
    }
}
