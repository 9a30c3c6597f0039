namespace Concord.Domain.Duplicates;

/// <summary>Distances on the earth (WGS84 points, a spherical earth is precise enough at city scale).</summary>
public static class Geo
{
    public const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>The great-circle distance in meters (haversine).</summary>
    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var φ1 = Radians(lat1);
        var φ2 = Radians(lat2);
        var dφ = Radians(lat2 - lat1);
        var dλ = Radians(lon2 - lon1);
        var a = Math.Sin(dφ / 2) * Math.Sin(dφ / 2) + Math.Cos(φ1) * Math.Cos(φ2) * Math.Sin(dλ / 2) * Math.Sin(dλ / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>A box that holds every point within the radius of the center (for an index prefilter).</summary>
    public static (double MinLat, double MaxLat, double MinLon, double MaxLon) BoundingBox(double lat, double lon, double radiusMeters)
    {
        var dLat = radiusMeters / EarthRadiusMeters * 180 / Math.PI;
        var cos = Math.Max(Math.Cos(Radians(Math.Min(89, Math.Abs(lat)))), 0.01);
        var dLon = dLat / cos;
        return (lat - dLat, lat + dLat, lon - dLon, lon + dLon);
    }

    /// <summary>
    /// The cell of a point on a fixed grid of <see cref="CellDegrees"/> (about 1 km): stored with each
    /// matter's signature and indexed with the time, so a radius query is an equality on a few cells.
    /// </summary>
    public const double CellDegrees = 0.01;

    public static long CellOf(double lat, double lon)
    {
        var row = (long)Math.Floor((lat + 90) / CellDegrees);
        var column = (long)Math.Floor((lon + 180) / CellDegrees);
        return row * 100_000 + column;
    }

    /// <summary>Every cell that the circle around the point touches.</summary>
    public static IReadOnlyList<long> CellsAround(double lat, double lon, double radiusMeters)
    {
        var (minLat, maxLat, minLon, maxLon) = BoundingBox(lat, lon, radiusMeters);
        var cells = new List<long>();
        var row0 = (long)Math.Floor((minLat + 90) / CellDegrees);
        var row1 = (long)Math.Floor((maxLat + 90) / CellDegrees);
        var col0 = (long)Math.Floor((minLon + 180) / CellDegrees);
        var col1 = (long)Math.Floor((maxLon + 180) / CellDegrees);
        for (var row = row0; row <= row1; row++)
        {
            for (var column = col0; column <= col1; column++)
            {
                cells.Add(row * 100_000 + column);
            }
        }

        return cells;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
