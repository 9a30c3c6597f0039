using Concord.Server.Features.Letters.Documents;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Concord.Server.Tests.Letters;

/// <summary>
/// The five letters as DOCX in the letter form of GB/T 9704-2012: the produced package is read back with
/// the Open XML SDK and measured; where LibreOffice is installed it is also printed to PDF.
/// </summary>
public sealed class LetterDocumentTests
{
    private const double TwipsPerMm = 1440 / 25.4;

    private static LetterContent Supervision(
        IReadOnlyList<string>? body = null,
        IReadOnlyList<string>? attachments = null,
        DateOnly? replyBy = null,
        string? contact = "联系人：王明，电话：0933-8212345") => new(
            IssuerName: "平凉市综治中心",
            Number: "平综治督〔2026〕17号",
            Title: "关于督促办理20261126-00000042号事项的督办函",
            AddresseeName: "崆峒区人力资源和社会保障局：",
            BodyParagraphs: body ??
            [
                "群众反映崆峒区某建筑工地拖欠二十余名农民工工资三个月，该事项交你单位办理后已超过办理时限，群众再次来电。",
                "现对该事项予以督办。请你单位依法督促用人单位足额支付拖欠工资，做好群众解释工作，防止矛盾激化。",
            ],
            Attachments: attachments ?? ["20261126-00000042号事项办理记录", "群众来电记录"],
            IssuedOn: new DateOnly(2026, 11, 26),
            ReplyBy: replyBy ?? new DateOnly(2026, 12, 3),
            ContactLine: contact);

    private static WordprocessingDocument Open(LetterContent content) =>
        WordprocessingDocument.Open(new MemoryStream(LetterDocument.Render(content)), false);

    private static SectionProperties Section(WordprocessingDocument document) =>
        document.MainDocumentPart!.Document!.Body!.Elements<SectionProperties>().Single();

    private static string TextOf(OpenXmlElement element) =>
        string.Concat(element.Descendants<Text>().Select(t => t.Text));

    private static List<Paragraph> Paragraphs(WordprocessingDocument document) =>
        document.MainDocumentPart!.Document!.Body!.Elements<Paragraph>().ToList();

    private static Paragraph ParagraphWith(WordprocessingDocument document, string text) =>
        Paragraphs(document).Single(p => TextOf(p) == text);

    private static RunPropertiesBaseStyle Defaults(WordprocessingDocument document) =>
        document.MainDocumentPart!.StyleDefinitionsPart!.Styles!.DocDefaults!.RunPropertiesDefault!.RunPropertiesBaseStyle!;

    private static void AssertMm(double expectedMm, long twips, string what) =>
        Assert.True(Math.Abs(twips - expectedMm * TwipsPerMm) <= 2,
            $"{what}: {twips} twips ({twips / TwipsPerMm:0.00} mm), expected {expectedMm} mm ({expectedMm * TwipsPerMm:0.0} twips)");

    [Fact]
    public void The_page_is_A4_with_the_margins_that_leave_a_156_by_225_mm_text_area()
    {
        using var document = Open(Supervision());
        var section = Section(document);

        var size = section.GetFirstChild<PageSize>()!;
        AssertMm(210, size.Width!.Value, "page width");
        AssertMm(297, size.Height!.Value, "page height");

        var margins = section.GetFirstChild<PageMargin>()!;
        AssertMm(37, margins.Top!.Value, "top margin");
        AssertMm(35, margins.Bottom!.Value, "bottom margin");
        AssertMm(28, margins.Left!.Value, "left margin");
        AssertMm(26, margins.Right!.Value, "right margin");
        AssertMm(156, size.Width!.Value - margins.Left!.Value - margins.Right!.Value, "text width");
        AssertMm(225, size.Height!.Value - margins.Top!.Value - margins.Bottom!.Value, "text height");
    }

    [Fact]
    public void The_body_is_3hao_fangsong_in_22_lines_of_28_characters()
    {
        using var document = Open(Supervision());
        var defaults = Defaults(document);
        Assert.Equal("仿宋_GB2312", defaults.RunFonts!.EastAsia!.Value);
        Assert.Equal("仿宋_GB2312", defaults.RunFonts!.Ascii!.Value);
        Assert.Equal("仿宋_GB2312", defaults.RunFonts!.HighAnsi!.Value);
        Assert.Equal("32", defaults.FontSize!.Val!.Value); // 16 pt
        Assert.Equal("zh-CN", defaults.Languages!.EastAsia!.Value);

        // The font table names 仿宋 as the fallback of 仿宋_GB2312.
        var fonts = document.MainDocumentPart!.FontTablePart!.Fonts!.Elements<Font>().ToList();
        Assert.Equal("仿宋", fonts.Single(f => f.Name == "仿宋_GB2312").GetFirstChild<AltName>()!.Val!.Value);

        // Body paragraphs keep the default font and size, and start two characters in.
        var body = ParagraphWith(document, "现对该事项予以督办。请你单位依法督促用人单位足额支付拖欠工资，做好群众解释工作，防止矛盾激化。");
        Assert.All(body.Elements<Run>(), run =>
        {
            Assert.Null(run.RunProperties?.FontSize);
            Assert.Null(run.RunProperties?.RunFonts);
        });
        var characterPitch = 320 + defaults.Spacing!.Val!.Value; // twips: 16 pt less the condensing
        Assert.Equal(2 * characterPitch, int.Parse(body.ParagraphProperties!.Indentation!.FirstLine!.Value!));

        // 22 lines: a line grid and an exact line height of 28.95 pt that fit 22 times into 225 mm, not 23.
        var textHeight = 16838 - 2098 - 1984;
        var grid = Section(document).GetFirstChild<DocGrid>()!;
        Assert.Equal(DocGridValues.Lines, grid.Type!.Value);
        var pitch = grid.LinePitch!.Value;
        Assert.Equal(579, pitch);
        Assert.True(22 * pitch <= textHeight && 23 * pitch > textHeight);
        var spacing = document.MainDocumentPart!.StyleDefinitionsPart!.Styles!.DocDefaults!
            .ParagraphPropertiesDefault!.ParagraphPropertiesBaseStyle!.SpacingBetweenLines!;
        Assert.Equal(LineSpacingRuleValues.Exact, spacing.LineRule!.Value);
        Assert.Equal(pitch.ToString(), spacing.Line!.Value);

        // 28 characters: 16 pt characters condensed so that 28 fit into 156 mm and 29 do not.
        var textWidth = 11906 - 1587 - 1474;
        Assert.True(28 * characterPitch <= textWidth && 29 * characterPitch > textWidth, $"character pitch {characterPitch} twips");
    }

    [Fact]
    public void The_title_is_2hao_xiaobiaosong_centred_in_balanced_lines()
    {
        using var document = Open(Supervision());
        var title = ParagraphWith(document, "关于督促办理20261126-00000042号事项的督办函");

        Assert.Equal(JustificationValues.Center, title.ParagraphProperties!.Justification!.Val!.Value);
        var run = title.Elements<Run>().Single();
        Assert.Equal("44", run.RunProperties!.FontSize!.Val!.Value); // 22 pt
        Assert.Equal("方正小标宋简体", run.RunProperties.RunFonts!.EastAsia!.Value);
        Assert.Equal("宋体", document.MainDocumentPart!.FontTablePart!.Fonts!.Elements<Font>()
            .Single(f => f.Name == "方正小标宋简体").GetFirstChild<AltName>()!.Val!.Value);

        // Too long for one 156 mm line at 22 pt: broken where the number ends, not inside it or before "函".
        Assert.Equal(
            new[] { "关于督促办理20261126-00000042号", "事项的督办函" },
            run.Elements<Text>().Select(t => t.Text));
        Assert.Single(run.Elements<Break>());

        // The title is two blank lines below the number, and the addressee one below the title.
        var paragraphs = Paragraphs(document);
        var index = paragraphs.IndexOf(title);
        Assert.Equal("平综治督〔2026〕17号", TextOf(paragraphs[index - 3]));
        Assert.Equal("", TextOf(paragraphs[index - 2]) + TextOf(paragraphs[index - 1]));
        Assert.Equal("", TextOf(paragraphs[index + 1]));
        Assert.Equal("崆峒区人力资源和社会保障局：", TextOf(paragraphs[index + 2]));
    }

    [Fact]
    public void A_short_title_stays_on_one_line()
    {
        using var document = Open(Supervision() with { Title = "关于防范欠薪风险的预警函" });
        var run = ParagraphWith(document, "关于防范欠薪风险的预警函").Elements<Run>().Single();
        Assert.Empty(run.Elements<Break>());
    }

    [Fact]
    public void The_letterhead_is_the_issuer_in_red_over_a_red_double_rule_with_the_number_flush_right_below()
    {
        using var document = Open(Supervision());
        var section = Section(document);
        Assert.NotNull(section.GetFirstChild<TitlePage>());

        var reference = section.Elements<HeaderReference>().Single(h => h.Type!.Value == HeaderFooterValues.First);
        var header = ((HeaderPart)document.MainDocumentPart!.GetPartById(reference.Id!.Value!)).Header!;
        var paragraph = header.Elements<Paragraph>().Single();
        Assert.Equal("平凉市综治中心", TextOf(paragraph));
        Assert.Equal(JustificationValues.Center, paragraph.ParagraphProperties!.Justification!.Val!.Value);
        var run = paragraph.Elements<Run>().Single();
        Assert.Equal("FF0000", run.RunProperties!.Color!.Val!.Value);
        Assert.Equal("方正小标宋简体", run.RunProperties.RunFonts!.EastAsia!.Value);

        // 上粗下细, red, 170 mm: 7 mm past the text area on each side.
        var rule = paragraph.ParagraphProperties.ParagraphBorders!.GetFirstChild<BottomBorder>()!;
        Assert.Equal(BorderValues.ThickThinSmallGap, rule.Val!.Value);
        Assert.Equal("FF0000", rule.Color!.Value);
        AssertMm(-7, int.Parse(paragraph.ParagraphProperties.Indentation!.Left!.Value!), "rule overhang");

        // Its top edge about 30 mm from the top of the page.
        var distance = section.GetFirstChild<PageMargin>()!.Header!.Value;
        Assert.InRange(distance / TwipsPerMm, 28.5, 30.5);

        // 发文字号 is the first line of the text, flush right.
        var number = Paragraphs(document)[0];
        Assert.Equal("平综治督〔2026〕17号", TextOf(number));
        Assert.Equal(JustificationValues.Right, number.ParagraphProperties!.Justification!.Val!.Value);

        // The closing rule of the first page: 上细下粗, red.
        var footer = section.Elements<FooterReference>().Single(f => f.Type!.Value == HeaderFooterValues.First);
        var closing = ((FooterPart)document.MainDocumentPart.GetPartById(footer.Id!.Value!)).Footer!;
        var closingRule = closing.Descendants<BottomBorder>().Single();
        Assert.Equal(BorderValues.ThinThickSmallGap, closingRule.Val!.Value);
        Assert.Equal("FF0000", closingRule.Color!.Value);
        Assert.Empty(closing.Descendants<SimpleField>()); // no page number on the first page
        AssertMm(20, section.GetFirstChild<PageMargin>()!.Footer!.Value, "footer distance");
    }

    [Fact]
    public void Body_attachments_signature_date_and_contact_follow_the_standard()
    {
        using var document = Open(Supervision());
        var paragraphs = Paragraphs(document);
        var texts = paragraphs.Select(TextOf).ToList();

        Assert.Contains("请于2026年12月3日前书面反馈办理情况。", texts);

        // "附件：1. …" two characters in, one blank line below the body; the second number under the first.
        var first = ParagraphWith(document, "附件：1.20261126-00000042号事项办理记录");
        var second = ParagraphWith(document, "2.群众来电记录");
        Assert.Equal("", texts[paragraphs.IndexOf(first) - 1]);
        Assert.Equal("请于2026年12月3日前书面反馈办理情况。", texts[paragraphs.IndexOf(first) - 2]);
        Assert.Single(first.Descendants<TabChar>());
        var pitch = 320 + Defaults(document).Spacing!.Val!.Value;
        static int Twips(StringValue? value) => int.Parse(value!.Value!);
        var firstIndent = first.ParagraphProperties!.Indentation!;
        var secondIndent = second.ParagraphProperties!.Indentation!;
        Assert.Equal(2 * pitch, Twips(firstIndent.Left) - Twips(firstIndent.Hanging));  // "附件" two characters in
        Assert.Equal(5 * pitch, Twips(secondIndent.Left) - Twips(secondIndent.Hanging)); // "2." under "1."
        Assert.Equal(Twips(firstIndent.Left), Twips(secondIndent.Left));                     // names aligned

        // The signature over the date, the date four characters in from the right; room for the seal above.
        var signature = paragraphs.FindLastIndex(p => TextOf(p) == "平凉市综治中心");
        Assert.Equal("2026年11月26日", texts[signature + 1]);
        Assert.Equal("（印章）", texts[signature - 1]);
        Assert.Equal("", texts[signature - 2]);
        var date = paragraphs[signature + 1].ParagraphProperties!;
        Assert.Equal(JustificationValues.Right, date.Justification!.Val!.Value);
        Assert.Equal(4 * pitch, Twips(date.Indentation!.Right));
        // "2026年11月26日" is as wide as "平凉市综治中心" (half-width digits): centred means the same indent.
        Assert.Equal(4 * pitch, Twips(paragraphs[signature].ParagraphProperties!.Indentation!.Right));
        Assert.All(paragraphs.Skip(signature - 3).Take(3), p => Assert.NotNull(p.ParagraphProperties!.KeepNext));

        // 附注 on the line under the date, two characters in, in full-width parentheses.
        Assert.Equal("（联系人：王明，电话：0933-8212345）", texts[signature + 2]);
        Assert.Equal(2 * pitch, Twips(paragraphs[signature + 2].ParagraphProperties!.Indentation!.Left));
        Assert.Equal(signature + 3, paragraphs.Count);
    }

    [Fact]
    public void One_attachment_is_not_numbered_and_absent_parts_are_left_out()
    {
        var content = Supervision(attachments: ["群众来电记录"], contact: null) with { ReplyBy = null, AddresseeName = "崆峒区人民政府" };
        using var document = Open(content);
        var texts = Paragraphs(document).Select(TextOf).ToList();

        Assert.Contains("附件：群众来电记录", texts);
        Assert.Contains("崆峒区人民政府：", texts); // the colon is added
        Assert.DoesNotContain(texts, t => t.StartsWith("请于", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.StartsWith("（联系人", StringComparison.Ordinal));
        Assert.Equal("2026年11月26日", texts[^1]);

        using var bare = Open(Supervision(attachments: []));
        Assert.DoesNotContain(Paragraphs(bare).Select(TextOf), t => t.StartsWith("附件", StringComparison.Ordinal));
    }

    [Fact]
    public void Line_breaks_in_a_body_paragraph_start_new_paragraphs_and_control_characters_are_dropped()
    {
        var content = Supervision(body: ["第一段。\r\n第二段\u0001。"]) with { Title = "关于\u0007督办的督办函" };
        using var document = Open(content);
        var texts = Paragraphs(document).Select(TextOf).ToList();
        Assert.Contains("第一段。", texts);
        Assert.Contains("第二段。", texts);
        Assert.Contains("关于督办的督办函", texts);
        Assert.Empty(new OpenXmlValidator().Validate(document));
    }

    [Fact]
    public void Dates_are_written_in_Arabic_numerals_without_leading_zeros()
    {
        Assert.Equal("2026年11月26日", LetterDocument.FormatDate(new DateOnly(2026, 11, 26)));
        Assert.Equal("2027年1月5日", LetterDocument.FormatDate(new DateOnly(2027, 1, 5)));
    }

    [Fact]
    public void Pages_after_the_first_are_numbered_with_dashes_in_4hao_songti_odd_right_and_even_left()
    {
        using var document = Open(Supervision());
        var main = document.MainDocumentPart!;
        Assert.NotNull(main.DocumentSettingsPart!.Settings!.GetFirstChild<EvenAndOddHeaders>());

        Footer FooterOf(HeaderFooterValues type) => ((FooterPart)main.GetPartById(
            Section(document).Elements<FooterReference>().Single(f => f.Type!.Value == type).Id!.Value!)).Footer!;

        foreach (var (type, alignment) in new[] { (HeaderFooterValues.Default, JustificationValues.Right), (HeaderFooterValues.Even, JustificationValues.Left) })
        {
            var footer = FooterOf(type);
            var paragraph = footer.Elements<Paragraph>().Single();
            Assert.Equal(alignment, paragraph.ParagraphProperties!.Justification!.Val!.Value);
            Assert.Equal("PAGE", footer.Descendants<SimpleField>().Single().Instruction!.Value!.Trim());
            Assert.Equal("— 1 —", TextOf(paragraph)); // the field's placeholder between the dashes
            Assert.All(paragraph.Descendants<Run>(), run =>
            {
                Assert.Equal("28", run.RunProperties!.FontSize!.Val!.Value); // 14 pt
                Assert.Equal("宋体", run.RunProperties.RunFonts!.Ascii!.Value);
            });
        }
    }

    [Fact]
    public void The_package_is_valid_Open_XML()
    {
        foreach (var content in new[] { Supervision(), Supervision(attachments: [], contact: null) with { ReplyBy = null } })
        {
            using var document = Open(content);
            foreach (var version in new[] { FileFormatVersions.Office2007, FileFormatVersions.Microsoft365 })
            {
                var errors = new OpenXmlValidator(version).Validate(document)
                    .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")
                    .ToList();
                Assert.True(errors.Count == 0, $"{version}:\n" + string.Join("\n", errors));
            }
        }
    }

    [Fact]
    public async Task LibreOffice_prints_a_short_letter_on_one_A4_page()
    {
        var pages = await PrintAsync(Supervision());
        Assert.Equal(1, pages.Count);
        Assert.All(pages.Sizes, size =>
        {
            Assert.Equal(595.3, size.Width, 0.5);
            Assert.Equal(841.9, size.Height, 0.5);
        });
    }

    [Fact]
    public async Task LibreOffice_carries_a_long_letter_over_to_further_pages()
    {
        var body = Enumerable.Range(1, 12)
            .Select(i => $"第{i}项：该事项已超过办理时限，请你单位依法督促用人单位足额支付拖欠工资，做好群众解释工作，防止矛盾激化。")
            .ToList();
        var pages = await PrintAsync(Supervision(body: body));
        Assert.InRange(pages.Count, 2, 3);
    }

    private static async Task<(int Count, IReadOnlyList<(double Width, double Height)> Sizes)> PrintAsync(LetterContent content)
    {
        var soffice = LibreOffice.Require();
        var cancellation = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("concord-letter-");
        try
        {
            var docx = Path.Combine(directory.FullName, "letter.docx");
            await File.WriteAllBytesAsync(docx, LetterDocument.Render(content), cancellation);
            var pdf = await LibreOffice.ConvertToPdfAsync(soffice, docx, directory.FullName, cancellation);
            var bytes = await File.ReadAllBytesAsync(pdf, cancellation);
            Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes, 0, 5));
            return (LibreOffice.CountPages(bytes), LibreOffice.PageSizes(bytes));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
