using System.Globalization;
using SkiaSharp;

namespace Concord.Server.Features.Bulletins;

/// <summary>
/// The bulletins' charts as PNG, drawn on the server with SkiaSharp so that the DOCX and the page show the
/// same picture without script. Labels are Chinese: the typeface is the first installed font that has
/// the ideographs (Noto Sans CJK on Debian's fonts-noto-cjk), so no label prints as empty boxes.
/// </summary>
public static class BulletinCharts
{
    public const int Width = 1200;
    public const int Height = 600;

    private static readonly Lazy<SKTypeface> CjkTypeface = new(() =>
    {
        foreach (var family in new[] { "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei" })
        {
            var face = SKTypeface.FromFamilyName(family);
            if (face is not null && face.ContainsGlyphs("周报类别"))
            {
                return face;
            }
        }

        return SKFontManager.Default.MatchCharacter('周') ?? SKTypeface.Default;
    });

    /// <summary>The typeface the labels are drawn with (a test holds that it has Chinese glyphs).</summary>
    public static SKTypeface Typeface => CjkTypeface.Value;

    private static readonly SKColor Current = new(0xC0, 0x39, 0x2B);
    private static readonly SKColor Previous = new(0xB0, 0xB7, 0xC3);
    private static readonly SKColor Ink = new(0x33, 0x33, 0x33);
    private static readonly SKColor Grid = new(0xE3, 0xE6, 0xEA);

    /// <summary>Matters received per day, this period's bars beside the previous period's.</summary>
    public static byte[] Volume(BulletinFigures f)
    {
        var labels = f.ByDay.Select(d => $"{d.Date.Month}月{d.Date.Day}日").ToList();
        var current = f.ByDay.Select(d => (double)d.Volume).ToList();
        var previous = f.PreviousByDay.Select(d => (double)d.Volume).ToList();
        return Bars("每日受理量（件）：本期与上期", labels, [("本期", current, Current), ("上期", previous, Previous)]);
    }

    /// <summary>The largest categories of the period.</summary>
    public static byte[] Categories(BulletinFigures f)
    {
        var top = f.TopCategories.Take(8).ToList();
        return Bars("主要事项类别（件）", top.Select(c => c.Name).ToList(), [("本期", top.Select(c => (double)c.Volume).ToList(), Current)]);
    }

    private static byte[] Bars(string title, IReadOnlyList<string> labels, IReadOnlyList<(string Name, IReadOnlyList<double> Values, SKColor Color)> series)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var titleFont = new SKFont(Typeface, 30);
        using var labelFont = new SKFont(Typeface, 20);
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var grid = new SKPaint { Color = Grid, StrokeWidth = 1 };
        canvas.DrawText(title, Width / 2f, 48, SKTextAlign.Center, titleFont, ink);

        const float left = 80, right = 40, top = 110, bottom = 110;
        var plotWidth = Width - left - right;
        var plotHeight = Height - top - bottom;
        var max = Math.Max(1, series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        var step = NiceStep(max);
        var ceiling = Math.Ceiling(max / step) * step;
        for (var v = 0.0; v <= ceiling + 1e-9; v += step)
        {
            var y = top + plotHeight - (float)(v / ceiling * plotHeight);
            canvas.DrawLine(left, y, Width - right, y, grid);
            canvas.DrawText(v.ToString("0", CultureInfo.InvariantCulture), left - 10, y + 7, SKTextAlign.Right, labelFont, ink);
        }

        var groups = Math.Max(1, labels.Count);
        var groupWidth = plotWidth / groups;
        var barWidth = groupWidth * 0.7f / series.Count;
        for (var g = 0; g < labels.Count; g++)
        {
            for (var s = 0; s < series.Count; s++)
            {
                var value = g < series[s].Values.Count ? series[s].Values[g] : 0;
                var height = (float)(value / ceiling * plotHeight);
                var x = left + g * groupWidth + groupWidth * 0.15f + s * barWidth;
                using var fill = new SKPaint { Color = series[s].Color, IsAntialias = true };
                canvas.DrawRect(x, top + plotHeight - height, barWidth - 2, height, fill);
                if (value > 0)
                {
                    canvas.DrawText(value.ToString("0", CultureInfo.InvariantCulture), x + barWidth / 2, top + plotHeight - height - 6, SKTextAlign.Center, labelFont, ink);
                }
            }

            var label = labels[g].Length > 8 ? labels[g][..8] + "…" : labels[g];
            canvas.DrawText(label, left + g * groupWidth + groupWidth / 2, top + plotHeight + 32, SKTextAlign.Center, labelFont, ink);
        }

        // Legend.
        var lx = left;
        foreach (var (name, _, color) in series)
        {
            using var fill = new SKPaint { Color = color };
            canvas.DrawRect(lx, Height - 50, 24, 24, fill);
            canvas.DrawText(name, lx + 32, Height - 30, SKTextAlign.Left, labelFont, ink);
            lx += 140;
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }

    private static double NiceStep(double max)
    {
        var raw = max / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        return (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * Math.Max(1, magnitude);
    }
}
