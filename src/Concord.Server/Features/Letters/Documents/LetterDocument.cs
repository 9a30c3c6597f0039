using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using static Concord.Server.Features.Letters.Documents.OfficialPage;

namespace Concord.Server.Features.Letters.Documents;

/// <summary>
/// Renders a letter as a DOCX in the letter form (信函格式) of GB/T 9704-2012 《党政机关公文格式》:
/// A4, a 156 × 225 mm text area of 22 lines × 28 characters in 3号 仿宋, the issuer's name in red at the
/// top with a 170 mm red double rule under it (and another 20 mm above the bottom edge of the first page),
/// the document number flush right under the rule, the 2号 小标宋 title two lines below, the addressee, the
/// body, the attachment list, the signature centred over the date (right, four characters in) with room for
/// the seal, the contact note, and from the second page on "— 2 —" page numbers in 4号 宋体.
/// </summary>
/// <remarks>
/// The fonts named are the ones the standard's users have (仿宋_GB2312, 方正小标宋简体); each is declared in
/// the font table with a fallback (仿宋, 宋体) that every Chinese Windows has. Where neither is installed the
/// reader substitutes its own CJK font: the exact 28.95 pt line height still gives 22 lines a page, and lines
/// of 28 characters hold as long as the substitute's ideographs are one em wide, as CJK fonts' are.
/// </remarks>
public static class LetterDocument
{
    private const string SealLabel = "（印章）";
    private const string SealLabelColor = "BFBFBF";

    public static byte[] Render(LetterContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream();
        using (var package = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = package.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
            main.AddNewPart<FontTablePart>().Fonts = FontTable();
            main.AddNewPart<DocumentSettingsPart>().Settings = Settings();

            var letterhead = main.AddNewPart<HeaderPart>();
            letterhead.Header = Letterhead(content.IssuerName);
            var closingRule = main.AddNewPart<FooterPart>();
            closingRule.Footer = ClosingRule();
            var oddPages = main.AddNewPart<FooterPart>();
            oddPages.Footer = PageNumber(odd: true);
            var evenPages = main.AddNewPart<FooterPart>();
            evenPages.Footer = PageNumber(odd: false);

            var body = new Body();
            foreach (var paragraph in Paragraphs(content))
            {
                body.Append(paragraph);
            }
            body.Append(Section(
                main.GetIdOfPart(letterhead),
                main.GetIdOfPart(closingRule),
                main.GetIdOfPart(oddPages),
                main.GetIdOfPart(evenPages)));
            main.Document = new Document(body);

            package.PackageProperties.Title = XmlSafe(content.Title);
            package.PackageProperties.Creator = XmlSafe(content.IssuerName);
            package.PackageProperties.Language = "zh-CN";
        }
        return stream.ToArray();
    }

    /// <summary>"2026年11月26日": Arabic numerals, the year in full, no leading zeros.</summary>
    public static string FormatDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    // ----- the main text, top to bottom -------------------------------------------------------------------

    private static IEnumerable<Paragraph> Paragraphs(LetterContent content)
    {
        // 发文字号: flush right under the first red rule, 7/8 of a 3号 character (4.9 mm) below it.
        yield return Line(content.Number, Justify(JustificationValues.Right, new SpacingBetweenLines
        {
            Before = "80",
            Line = LinePitch.ToString(),
            LineRule = LineSpacingRuleValues.Exact,
        }));

        // 标题: two lines below the last element above it, 2号 小标宋, centred.
        yield return Blank();
        yield return Blank();
        yield return TitleParagraph(content.Title);

        // 主送机关: one line below the title, flush left, ending with a full-width colon.
        yield return Blank();
        yield return Line(Addressee(content.AddresseeName), Justify(JustificationValues.Both));

        // 正文: each paragraph indented two characters.
        var body = content.BodyParagraphs
            .SelectMany(p => p.Split('\n'))
            .Select(p => p.Trim())
            .Where(p => p.Length > 0)
            .ToList();
        if (content.ReplyBy is { } replyBy)
        {
            body.Add($"请于{FormatDate(replyBy)}前书面反馈办理情况。");
        }
        var attachments = content.Attachments
            .Where(a => !string.IsNullOrWhiteSpace(a))
            .Select(a => a.Trim().TrimEnd('。', '；', ';', '，', ',', '、'))
            .ToList();
        for (var i = 0; i < body.Count; i++)
        {
            yield return Line(body[i], new ParagraphProperties
            {
                // The seal must share its page with text (no "此页无正文"): the last lines go along with it.
                KeepNext = i == body.Count - 1 ? new KeepNext() : null,
                Justification = new Justification { Val = JustificationValues.Both },
                Indentation = new Indentation { FirstLine = Chars(2).ToString() },
            });
        }

        // 附件说明: one line below the body, two characters in: "附件：1. …", later names aligned with the first.
        if (attachments.Count > 0)
        {
            yield return Blank(keepWithNext: true);
            foreach (var paragraph in AttachmentLines(attachments))
            {
                yield return paragraph;
            }
        }

        // 署名、成文日期、印章: the date four characters in from the right; the issuer's name centred over it;
        // two lines left above them so that the seal (about 42 mm, four lines) can press on both and its
        // top stays within a line of the text.
        var date = FormatDate(content.IssuedOn);
        var issuer = content.IssuerName.Trim();
        var dateIndent = 4.0;
        var signatureIndent = Math.Max(0, dateIndent + (TitleLines.Width(date) - TitleLines.Width(issuer)) / 2);
        yield return Blank(keepWithNext: true);
        yield return SealPlaceholder(signatureIndent + (TitleLines.Width(issuer) - TitleLines.Width(SealLabel)) / 2);
        yield return Line(issuer, RightAligned(signatureIndent, keepWithNext: true));
        yield return Line(date, RightAligned(dateIndent, keepWithNext: false));

        // 附注: two characters in, in parentheses, on the line under the date.
        if (!string.IsNullOrWhiteSpace(content.ContactLine))
        {
            yield return Line(Parenthesized(content.ContactLine), new ParagraphProperties
            {
                Justification = new Justification { Val = JustificationValues.Left },
                Indentation = new Indentation { Left = Chars(2).ToString() },
            });
        }
    }

    private static Paragraph TitleParagraph(string title)
    {
        var properties = new ParagraphProperties
        {
            KeepNext = new KeepNext(),
            SnapToGrid = new SnapToGrid { Val = false },
            SpacingBetweenLines = ExactLines(LinePitch),
            Justification = new Justification { Val = JustificationValues.Center },
        };
        var run = new Run(TitleRunProperties());
        var lines = TitleLines.Split(title, TextWidth / (TitleHalfPoints * 10.0));
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                run.Append(new Break());
            }
            run.Append(Text(lines[i]));
        }
        return new Paragraph(properties, run);
    }

    private static RunProperties TitleRunProperties() => new()
    {
        RunFonts = RunFontsOf(TitleFont),
        Spacing = new Spacing { Val = 0 },
        FontSize = new FontSize { Val = TitleHalfPoints.ToString() },
        FontSizeComplexScript = new FontSizeComplexScript { Val = TitleHalfPoints.ToString() },
    };

    private static IEnumerable<Paragraph> AttachmentLines(List<string> names)
    {
        const string label = "附件：";
        var labelStart = Chars(2);
        if (names.Count == 1)
        {
            // "附件：name", a long name wrapping under its own first character.
            yield return Line(label + names[0], Hanging(Chars(2 + TitleLines.Width(label)), labelStart));
            yield break;
        }

        // "附件：1. name" / "      2. name": the numbers in a column under the first, the names in the next.
        var numberStart = Chars(2 + TitleLines.Width(label));
        var nameStart = Chars(2 + TitleLines.Width(label) + TitleLines.Width($"{names.Count}.") + 0.5);
        for (var i = 0; i < names.Count; i++)
        {
            var first = i == 0;
            var properties = Hanging(nameStart, first ? labelStart : numberStart);
            properties.Tabs = new Tabs(new TabStop { Val = TabStopValues.Left, Position = nameStart });
            var paragraph = new Paragraph(properties);
            paragraph.Append(new Run(Text((first ? label : "") + $"{i + 1}.")));
            paragraph.Append(new Run(new TabChar()));
            paragraph.Append(new Run(Text(names[i])));
            yield return paragraph;
        }
    }

    /// <summary>Wrapped lines start at <paramref name="left"/>, the first at <paramref name="firstLine"/> (twips).</summary>
    private static ParagraphProperties Hanging(int left, int firstLine) => new()
    {
        KeepNext = new KeepNext(),
        Justification = new Justification { Val = JustificationValues.Left },
        Indentation = new Indentation { Left = left.ToString(), Hanging = (left - firstLine).ToString() },
    };

    private static ParagraphProperties RightAligned(double rightIndent, bool keepWithNext) => new()
    {
        KeepNext = keepWithNext ? new KeepNext() : null,
        Justification = new Justification { Val = JustificationValues.Right },
        Indentation = new Indentation { Right = Chars(rightIndent).ToString() },
    };

    /// <summary>A grey "（印章）" where the seal goes, on the line over the signature; it is meant to be pressed over.</summary>
    private static Paragraph SealPlaceholder(double rightIndent)
    {
        var properties = RightAligned(Math.Max(0, rightIndent), keepWithNext: true);
        var run = new Run(
            new RunProperties { Color = new Color { Val = SealLabelColor } },
            Text(SealLabel));
        return new Paragraph(properties, run);
    }

    private static string Addressee(string name)
    {
        name = name.Trim().TrimEnd(':', '：');
        return name + "：";
    }

    private static string Parenthesized(string note)
    {
        note = note.Trim().TrimStart('(', '（').TrimEnd(')', '）').Trim();
        return $"（{note}）";
    }

    private static ParagraphProperties Justify(JustificationValues value, SpacingBetweenLines? spacing = null) => new()
    {
        SpacingBetweenLines = spacing,
        Justification = new Justification { Val = value },
    };

    private static Paragraph Line(string text, ParagraphProperties properties) =>
        new(properties, new Run(Text(text)));

    private static Paragraph Blank(bool keepWithNext = false) =>
        new(new ParagraphProperties { KeepNext = keepWithNext ? new KeepNext() : null });

    private static Text Text(string text)
    {
        text = XmlSafe(text);
        return new Text(text)
        {
            Space = text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) ? SpaceProcessingModeValues.Preserve : null,
        };
    }

    /// <summary>Drops what XML 1.0 cannot carry (control characters, lone surrogates): it would fail the whole save.</summary>
    private static string XmlSafe(string text) =>
        new(text.Where((c, i) =>
            c is '\t' || (c >= ' ' && c != '\uFFFE' && c != '\uFFFF' && !char.IsSurrogate(c))
            || (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]))).ToArray());

    private static SpacingBetweenLines ExactLines(int twips) =>
        new() { Line = twips.ToString(), LineRule = LineSpacingRuleValues.Exact };

    private static RunFonts RunFontsOf(string name) => new()
    {
        Ascii = name,
        HighAnsi = name,
        EastAsia = name,
        ComplexScript = name,
        Hint = FontTypeHintValues.EastAsia,
    };

    // ----- the page -------------------------------------------------------------------------------------

    private static SectionProperties Section(string letterhead, string closingRule, string oddPages, string evenPages) => new(
        new HeaderReference { Type = HeaderFooterValues.First, Id = letterhead },
        new FooterReference { Type = HeaderFooterValues.Default, Id = oddPages },
        new FooterReference { Type = HeaderFooterValues.Even, Id = evenPages },
        new FooterReference { Type = HeaderFooterValues.First, Id = closingRule },
        new PageSize { Width = (UInt32Value)(uint)PageWidth, Height = (UInt32Value)(uint)PageHeight },
        new PageMargin
        {
            Top = MarginTop,
            Bottom = MarginBottom,
            Left = (UInt32Value)(uint)MarginLeft,
            Right = (UInt32Value)(uint)MarginRight,
            Header = (UInt32Value)(uint)HeaderDistance,
            Footer = (UInt32Value)(uint)FooterDistance,
            Gutter = 0U,
        },
        new TitlePage(),
        new DocGrid { Type = DocGridValues.Lines, LinePitch = LinePitch });

    /// <summary>
    /// The first page's letterhead: the issuer's name in red 小标宋, its top 30 mm below the top of the
    /// page, and 4 mm below it a red double rule (thick over thin) 170 mm long, centred on the text area.
    /// </summary>
    private static Header Letterhead(string issuer)
    {
        const int halfPoints = 60; // 30 pt: the standard leaves the size to the issuer
        var properties = new ParagraphProperties
        {
            ParagraphBorders = new ParagraphBorders(new BottomBorder
            {
                Val = BorderValues.ThickThinSmallGap,
                Size = 24U,
                Space = 7U, // pt between the name and the rule: 4 mm from the ink
                Color = Red,
            }),
            SnapToGrid = new SnapToGrid { Val = false },
            SpacingBetweenLines = ExactLines(halfPoints * 10 + 60),
            Indentation = new Indentation { Left = (-RuleOverhang).ToString(), Right = (-RuleOverhang).ToString() },
            Justification = new Justification { Val = JustificationValues.Center },
        };
        var run = new Run(
            new RunProperties
            {
                RunFonts = RunFontsOf(TitleFont),
                Color = new Color { Val = Red },
                Spacing = new Spacing { Val = 0 },
                FontSize = new FontSize { Val = halfPoints.ToString() },
                FontSizeComplexScript = new FontSizeComplexScript { Val = halfPoints.ToString() },
            },
            Text(issuer.Trim()));
        return new Header(new Paragraph(properties, run));
    }

    /// <summary>The first page's red double rule (thin over thick), 20 mm above the bottom edge.</summary>
    private static Footer ClosingRule() => new(new Paragraph(new ParagraphProperties
    {
        ParagraphBorders = new ParagraphBorders(new BottomBorder
        {
            Val = BorderValues.ThinThickSmallGap,
            Size = 24U,
            Space = 0U,
            Color = Red,
        }),
        SnapToGrid = new SnapToGrid { Val = false },
        SpacingBetweenLines = ExactLines(20),
        Indentation = new Indentation { Left = (-RuleOverhang).ToString(), Right = (-RuleOverhang).ToString() },
        ParagraphMarkRunProperties = new ParagraphMarkRunProperties(new FontSize { Val = "2" }),
    }));

    /// <summary>
    /// "— 2 —" in 4号 宋体 with its dashes 7 mm below the text area: odd pages one character in from the
    /// right, even pages one character in from the left. The letter form shows no number on the first page.
    /// </summary>
    private static Footer PageNumber(bool odd)
    {
        var size = PageNumberHalfPoints.ToString();
        RunProperties NumberFont() => new()
        {
            RunFonts = RunFontsOf(PageNumberFont),
            Spacing = new Spacing { Val = 0 },
            FontSize = new FontSize { Val = size },
            FontSizeComplexScript = new FontSizeComplexScript { Val = size },
        };

        // The footer's bottom is 20 mm above the page's; lift the 14 pt line so that its middle sits 28 mm up.
        var lift = Twips(35 - 7 - 20) - PageNumberHalfPoints * 10 / 2;
        var properties = new ParagraphProperties
        {
            SnapToGrid = new SnapToGrid { Val = false },
            SpacingBetweenLines = new SpacingBetweenLines
            {
                After = lift.ToString(),
                Line = (PageNumberHalfPoints * 10).ToString(),
                LineRule = LineSpacingRuleValues.Exact,
            },
            Indentation = odd
                ? new Indentation { Right = Chars(1).ToString() }
                : new Indentation { Left = Chars(1).ToString() },
            Justification = new Justification { Val = odd ? JustificationValues.Right : JustificationValues.Left },
        };
        return new Footer(new Paragraph(
            properties,
            new Run(NumberFont(), Text("— ")),
            new SimpleField(new Run(NumberFont(), Text("1"))) { Instruction = " PAGE " },
            new Run(NumberFont(), Text(" —"))));
    }

    // ----- styles, fonts, settings ------------------------------------------------------------------------

    private static Styles Styles()
    {
        var size = BodyHalfPoints.ToString();
        var defaults = new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle
            {
                RunFonts = new RunFonts
                {
                    Ascii = BodyFont,
                    HighAnsi = BodyFont,
                    EastAsia = BodyFont,
                    ComplexScript = BodyFont,
                },
                Spacing = new Spacing { Val = -CharacterCondensing },
                Kern = new Kern { Val = 2U },
                FontSize = new FontSize { Val = size },
                FontSizeComplexScript = new FontSizeComplexScript { Val = size },
                Languages = new Languages { Val = "en-US", EastAsia = "zh-CN", Bidi = "ar-SA" },
            }),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle
            {
                // No extra space between Chinese and Latin text: it would break the 28-character line.
                AutoSpaceDE = new AutoSpaceDE { Val = false },
                AutoSpaceDN = new AutoSpaceDN { Val = false },
                SpacingBetweenLines = new SpacingBetweenLines
                {
                    Before = "0",
                    After = "0",
                    Line = LinePitch.ToString(),
                    LineRule = LineSpacingRuleValues.Exact,
                },
                Justification = new Justification { Val = JustificationValues.Both },
            }));

        var normal = new Style(
            new StyleName { Val = "Normal" },
            new PrimaryStyle(),
            new StyleRunProperties(
                new FontSize { Val = size },
                new FontSizeComplexScript { Val = size }))
        {
            Type = StyleValues.Paragraph,
            StyleId = "Normal",
            Default = true,
        };
        return new Styles(defaults, normal);
    }

    private static Fonts FontTable() => new(
        FontEntry(BodyFont, BodyFontFallback, "02010609030101010101", FontFamilyValues.Modern, FontPitchValues.Fixed),
        FontEntry(BodyFontFallback, null, "02010609060101010101", FontFamilyValues.Modern, FontPitchValues.Fixed),
        FontEntry(TitleFont, TitleFontFallback, "02000000000000000000", FontFamilyValues.Auto, FontPitchValues.Variable),
        FontEntry(PageNumberFont, "SimSun", "02010600030101010101", FontFamilyValues.Auto, FontPitchValues.Variable));

    private static Font FontEntry(string name, string? altName, string panose, FontFamilyValues family, FontPitchValues pitch)
    {
        var font = new Font { Name = name };
        if (altName is not null)
        {
            font.Append(new AltName { Val = altName });
        }
        font.Append(
            new Panose1Number { Val = panose },
            new FontCharSet { Val = "86" }, // GB2312
            new FontFamily { Val = family },
            new Pitch { Val = pitch });
        return font;
    }

    private static Settings Settings() => new(
        new DefaultTabStop { Val = (short)Chars(1) },
        new EvenAndOddHeaders(),
        new CharacterSpacingControl { Val = CharacterSpacingValues.DoNotCompress },
        new Compatibility(new CompatibilitySetting
        {
            Name = CompatSettingNameValues.CompatibilityMode,
            Uri = "http://schemas.microsoft.com/office/word",
            Val = "15",
        }),
        new ThemeFontLanguages { Val = "en-US", EastAsia = "zh-CN" });
}
