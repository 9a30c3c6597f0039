namespace Concord.Domain.Risks;

/// <summary>A risk's level, most severe first: 红 red, 橙 orange, 黄 yellow, 蓝 blue.</summary>
public enum RiskLevel
{
    Red,
    Orange,
    Yellow,
    Blue,
}

public static class RiskLevels
{
    public static string Wire(this RiskLevel level) => level.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out RiskLevel level)
    {
        level = RiskLevel.Blue;
        return text is not null && text.Length > 0 && !char.IsDigit(text[0]) && text == text.ToLowerInvariant()
            && Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level);
    }

    public static string WireList => "red, orange, yellow, blue";

    /// <summary>The more severe of two levels.</summary>
    public static RiskLevel Worse(RiskLevel a, RiskLevel b) => (RiskLevel)Math.Min((int)a, (int)b);
}
