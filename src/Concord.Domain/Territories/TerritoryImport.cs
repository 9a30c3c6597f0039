using Concord.Domain.Matters;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace Concord.Domain.Territories;

/// <summary>One record of an import file: where it stood in the file, what it says, its polygon if any.</summary>
public sealed record ImportedTerritory(string Reference, Territory Territory, Geometry? Geometry);

/// <summary>
/// The rules an import file must satisfy as a whole. A file with any fault is refused whole,
/// so every fault is reported, each naming its record (a CSV line, a GeoJSON feature).
/// </summary>
public static class TerritoryImport
{
    /// <summary>Share of a child's area that may stick out of its parent (rounding at shared edges).</summary>
    public const double ContainmentTolerance = 1e-6;

    public static List<FieldError> Validate(
        IReadOnlyList<ImportedTerritory> items,
        TerritoryTree existing,
        Func<string, Geometry?> existingGeometry)
    {
        var errors = new List<FieldError>();
        if (items.Count == 0)
        {
            errors.Add(new("file", "import.empty"));
            return errors;
        }

        var inFile = new Dictionary<string, ImportedTerritory>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!inFile.TryAdd(item.Territory.Code, item))
            {
                errors.Add(new(item.Reference, "import.duplicate_code", item.Territory.Code));
            }
        }

        var topLevel = items.Min(i => i.Territory.Level);
        foreach (var item in items)
        {
            var territory = item.Territory;
            var parentCode = territory.ParentCode;
            Territory? parent = null;
            Geometry? parentGeometry = null;
            if (parentCode is not null && inFile.TryGetValue(parentCode, out var parentItem))
            {
                parent = parentItem.Territory;
                parentGeometry = parentItem.Geometry ?? existingGeometry(parentCode);
            }
            else if (existing.Find(parentCode) is { } known)
            {
                parent = known;
                parentGeometry = existingGeometry(known.Code);
            }

            if (parent is null)
            {
                // A root is allowed at the top of a deployment (province or city), or for the first import into an empty store.
                var mayBeRoot = territory.Level <= TerritoryLevel.City || (existing.Count == 0 && territory.Level == topLevel);
                if (!mayBeRoot)
                {
                    // Without a parent code a grid (say, a polygon re-import) would be cut loose from the tree.
                    errors.Add(parentCode is null
                        ? new(item.Reference, "import.empty_field", "parent_code")
                        : new(item.Reference, "import.unknown_parent", parentCode));
                }
            }
            else
            {
                if (parent.Level >= territory.Level)
                {
                    errors.Add(new(item.Reference, "import.level_order", territory.Level.ToWire(), parent.Level.ToWire()));
                }

                if (!territory.Code.StartsWith(CodePrefixOf(parent), StringComparison.Ordinal) || territory.Code == parent.Code)
                {
                    errors.Add(new(item.Reference, "import.code_not_under_parent", territory.Code, parent.Code));
                }
            }

            if (item.Geometry is { } geometry)
            {
                var validity = new IsValidOp(geometry).ValidationError;
                if (validity is not null)
                {
                    errors.Add(new(item.Reference, "import.invalid_geometry", validity.Message, validity.Coordinate?.X ?? 0, validity.Coordinate?.Y ?? 0));
                }
                else if (parent is not null && parentGeometry is not null && !Contains(parentGeometry, geometry))
                {
                    errors.Add(new(item.Reference, "import.not_inside_parent", parent.Code));
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// The prefix every child's code starts with. GB/T 2260 pads province and city codes with
    /// zeros to six digits (620000, 620800), so their meaningful prefix is shorter.
    /// </summary>
    public static string CodePrefixOf(Territory parent) => parent.Level switch
    {
        TerritoryLevel.Province when parent.Code.Length == 6 && parent.Code.EndsWith("0000", StringComparison.Ordinal) => parent.Code[..2],
        TerritoryLevel.City when parent.Code.Length == 6 && parent.Code.EndsWith("00", StringComparison.Ordinal) => parent.Code[..4],
        _ => parent.Code,
    };

    private static bool Contains(Geometry parent, Geometry child)
    {
        if (!parent.EnvelopeInternal.Covers(child.EnvelopeInternal) && !Near(parent.EnvelopeInternal, child.EnvelopeInternal))
        {
            return false;
        }

        if (parent.Covers(child))
        {
            return true;
        }

        // Shared edges computed separately may differ in the last bits: accept a negligible overhang.
        var outside = child.Difference(parent).Area;
        return outside <= ContainmentTolerance * Math.Max(child.Area, 1e-12);
    }

    private static bool Near(Envelope outer, Envelope inner)
    {
        const double slack = 1e-7;
        return inner.MinX >= outer.MinX - slack && inner.MaxX <= outer.MaxX + slack
            && inner.MinY >= outer.MinY - slack && inner.MaxY <= outer.MaxY + slack;
    }
}
