using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Territories;
using NetTopologySuite.Geometries;

namespace Concord.Server.Features.Territories;

/// <summary>
/// Reads a GeoJSON FeatureCollection of territories: each feature's properties carry
/// <c>code, name, level, parent_code</c>, its geometry is a Polygon or MultiPolygon in WGS84.
/// Read by hand rather than by a GeoJSON library so that each fault names its feature and ring.
/// </summary>
public static class GeoJsonTerritoryReader
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static (List<ImportedTerritory> Items, List<FieldError> Errors) Read(JsonElement root)
    {
        var items = new List<ImportedTerritory>();
        var errors = new List<FieldError>();
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection"
            || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new("file", "import.not_feature_collection"));
            return (items, errors);
        }

        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            index++;
            var properties = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var code = Text(properties, "code");
            var reference = code is null ? $"feature {index}" : $"feature {index} ({code})";
            var name = Text(properties, "name");
            var levelText = Text(properties, "level");
            var parent = Text(properties, "parent_code");

            var ok = true;
            foreach (var (field, value) in new[] { ("code", code), ("name", name), ("level", levelText) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(new(reference, "import.empty_field", field));
                    ok = false;
                }
            }

            if (!TerritoryLevels.TryParse(levelText, out var level))
            {
                if (!string.IsNullOrWhiteSpace(levelText))
                {
                    errors.Add(new(reference, "import.bad_level", levelText, "province, city, county, township, community, grid"));
                }

                ok = false;
            }

            var geometry = ReadGeometry(feature, reference, errors);
            if (ok && geometry is not null)
            {
                items.Add(new(reference, new Territory(code!, name!, level, string.IsNullOrWhiteSpace(parent) ? null : parent), geometry));
            }
        }

        return (items, errors);
    }

    private static string? Text(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()?.Trim(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static Geometry? ReadGeometry(JsonElement feature, string reference, List<FieldError> errors)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object
            || !geometry.TryGetProperty("type", out var typeElement) || !geometry.TryGetProperty("coordinates", out var coordinates))
        {
            errors.Add(new(reference, "import.bad_geometry_type", "null"));
            return null;
        }

        var type = typeElement.ValueKind == JsonValueKind.String ? typeElement.GetString() : typeElement.GetRawText();
        var faults = errors.Count;
        Geometry? result = type switch
        {
            "Polygon" => ReadPolygon(coordinates, reference, errors, ringOffset: 0),
            "MultiPolygon" => ReadMultiPolygon(coordinates, reference, errors),
            _ => null,
        };
        if (type is not ("Polygon" or "MultiPolygon"))
        {
            errors.Add(new(reference, "import.bad_geometry_type", type ?? "?"));
        }

        return errors.Count > faults ? null : result;
    }

    private static MultiPolygon? ReadMultiPolygon(JsonElement coordinates, string reference, List<FieldError> errors)
    {
        if (coordinates.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(reference, "import.bad_coordinates", "MultiPolygon"));
            return null;
        }

        var polygons = new List<Polygon>();
        var ringOffset = 0;
        foreach (var polygonCoordinates in coordinates.EnumerateArray())
        {
            if (ReadPolygon(polygonCoordinates, reference, errors, ringOffset) is { } polygon)
            {
                polygons.Add(polygon);
            }

            ringOffset += polygonCoordinates.ValueKind == JsonValueKind.Array ? polygonCoordinates.GetArrayLength() : 1;
        }

        return Factory.CreateMultiPolygon(polygons.ToArray());
    }

    private static Polygon? ReadPolygon(JsonElement coordinates, string reference, List<FieldError> errors, int ringOffset)
    {
        if (coordinates.ValueKind != JsonValueKind.Array || coordinates.GetArrayLength() == 0)
        {
            errors.Add(new(reference, "import.bad_coordinates", "Polygon"));
            return null;
        }

        var rings = new List<LinearRing>();
        var number = ringOffset;
        foreach (var ringCoordinates in coordinates.EnumerateArray())
        {
            number++;
            var positions = new List<Coordinate>();
            if (ringCoordinates.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(reference, "import.bad_coordinates", $"ring {number}"));
                return null;
            }

            foreach (var position in ringCoordinates.EnumerateArray())
            {
                if (position.ValueKind != JsonValueKind.Array || position.GetArrayLength() < 2
                    || position[0].ValueKind != JsonValueKind.Number || position[1].ValueKind != JsonValueKind.Number)
                {
                    errors.Add(new(reference, "import.bad_coordinates", $"ring {number}"));
                    return null;
                }

                var (lon, lat) = (position[0].GetDouble(), position[1].GetDouble());
                if (lon is < -180 or > 180 || lat is < -90 or > 90)
                {
                    errors.Add(new(reference, "import.out_of_bounds"));
                    return null;
                }

                positions.Add(new Coordinate(lon, lat));
            }

            if (positions.Count < 4)
            {
                errors.Add(new(reference, "import.short_ring", number));
                return null;
            }

            if (!positions[0].Equals2D(positions[^1]))
            {
                errors.Add(new(reference, "import.unclosed_ring", number));
                return null;
            }

            rings.Add(Factory.CreateLinearRing(positions.ToArray()));
        }

        return Factory.CreatePolygon(rings[0], rings.Skip(1).ToArray());
    }
}
