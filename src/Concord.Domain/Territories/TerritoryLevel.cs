namespace Concord.Domain.Territories;

/// <summary>The levels of the administrative hierarchy, from the top down. A grid (网格) is the finest.</summary>
public enum TerritoryLevel
{
    Province = 0,
    City = 1,
    County = 2,
    Township = 3,
    Community = 4,
    Grid = 5,
}

public static class TerritoryLevels
{
    public static string ToWire(this TerritoryLevel level) => level switch
    {
        TerritoryLevel.Province => "province",
        TerritoryLevel.City => "city",
        TerritoryLevel.County => "county",
        TerritoryLevel.Township => "township",
        TerritoryLevel.Community => "community",
        TerritoryLevel.Grid => "grid",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(string? text, out TerritoryLevel level)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "province": level = TerritoryLevel.Province; return true;
            case "city": level = TerritoryLevel.City; return true;
            case "county": level = TerritoryLevel.County; return true;
            case "township": level = TerritoryLevel.Township; return true;
            case "community": level = TerritoryLevel.Community; return true;
            case "grid": level = TerritoryLevel.Grid; return true;
            default: level = default; return false;
        }
    }
}
