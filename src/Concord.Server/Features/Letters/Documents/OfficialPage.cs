namespace Concord.Server.Features.Letters.Documents;

/// <summary>
/// The measurements of an official document page (GB/T 9704-2012) in Word's units: twips
/// (1/1440 inch, 1 mm ≈ 56.69 twips) and half-points for font sizes.
/// </summary>
internal static class OfficialPage
{
    public const double TwipsPerMillimetre = 1440 / 25.4;

    public static int Twips(double millimetres) => (int)Math.Round(millimetres * TwipsPerMillimetre);

    // A4, and the margins that leave a 156 × 225 mm text area (版心): top 37, bottom 35, left 28, right 26 mm.
    public const int PageWidth = 11906;
    public const int PageHeight = 16838;
    public static readonly int MarginTop = Twips(37);      // 2098
    public static readonly int MarginBottom = Twips(35);   // 1984
    public static readonly int MarginLeft = Twips(28);     // 1587
    public static readonly int MarginRight = Twips(26);    // 1474

    public static int TextWidth => PageWidth - MarginLeft - MarginRight;   // 8845 ≈ 156.0 mm
    public static int TextHeight => PageHeight - MarginTop - MarginBottom; // 12756 ≈ 225.0 mm

    // 信函格式: the letterhead's top edge 30 mm below the top of the page; the closing red line 20 mm above the bottom.
    public static readonly int HeaderDistance = Twips(30);
    public static readonly int FooterDistance = Twips(20);

    // 3号 body text, 22 lines of 28 characters.
    public const int BodyHalfPoints = 32;       // 16 pt
    public const int TitleHalfPoints = 44;      // 2号, 22 pt
    public const int PageNumberHalfPoints = 28; // 4号, 14 pt
    public const int LinesPerPage = 22;
    public const int CharactersPerLine = 28;

    /// <summary>The line pitch in twips, rounded down so that 22 lines fit: 579 (28.95 pt).</summary>
    public static int LinePitch => TextHeight / LinesPerPage;

    /// <summary>
    /// How much each character is condensed, in twentieths of a point, so that 28 characters of 16 pt fill the
    /// 156 mm line and a 29th does not: 16 pt − 156 mm / 28 = 0.21 pt, rounded up to 0.25 pt (5).
    /// Word can do the same with a character grid (docGrid linesAndChars, charSpace −842), but LibreOffice
    /// lays a 16 pt character on such a grid over two cells; condensing works the same in every reader.
    /// </summary>
    public static int CharacterCondensing => (int)Math.Ceiling(BodyHalfPoints * 10 - (double)TextWidth / CharactersPerLine);

    /// <summary>The advance of one body character in twips: 16 pt − 0.25 pt = 315 twips (15.75 pt).</summary>
    public static int CharacterPitch => BodyHalfPoints * 10 - CharacterCondensing;

    /// <summary>An indent of <paramref name="characters"/> body characters, in twips.</summary>
    public static int Chars(double characters) => (int)Math.Round(characters * CharacterPitch);

    /// <summary>170 mm red lines of the letter form stick out 7 mm on each side of the 156 mm text area.</summary>
    public static readonly int RuleOverhang = Twips((170 - 156) / 2.0);

    public const string Red = "FF0000";

    public const string BodyFont = "仿宋_GB2312";
    public const string BodyFontFallback = "仿宋";
    public const string TitleFont = "方正小标宋简体";
    public const string TitleFontFallback = "宋体";
    public const string PageNumberFont = "宋体";
}
