using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Concord.Server.Features.Letters.Documents;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace Concord.Server.Features.Bulletins;

/// <summary>
/// A bulletin as DOCX in the official layout: the letters' GB/T 9704 renderer (<see cref="LetterDocument"/>)
/// lays out letterhead, number, title, addressee, body and signature; a body paragraph that is exactly a
/// chart marker is then replaced by the chart's PNG, centred and 150 mm wide.
/// </summary>
public static class BulletinDocument
{
    /// <summary>A body paragraph that stands for a chart: "〔图:volume〕".</summary>
    public static string Marker(string chart) => $"〔图:{chart}〕";

    private const long EmuPerMillimetre = 36000;

    public static byte[] Render(LetterContent content, IReadOnlyDictionary<string, byte[]> charts)
    {
        var letter = LetterDocument.Render(content);
        using var stream = new MemoryStream();
        stream.Write(letter);
        using (var package = WordprocessingDocument.Open(stream, true))
        {
            var main = package.MainDocumentPart!;
            var number = 1U;
            foreach (var paragraph in main.Document!.Body!.Elements<Paragraph>().ToList())
            {
                var text = paragraph.InnerText.Trim();
                var chart = charts.Keys.FirstOrDefault(k => text == Marker(k));
                if (chart is null)
                {
                    continue;
                }

                var image = main.AddImagePart(ImagePartType.Png);
                using (var png = new MemoryStream(charts[chart]))
                {
                    image.FeedData(png);
                }

                paragraph.InsertAfterSelf(ImageParagraph(main.GetIdOfPart(image), number++, chart));
                paragraph.Remove();
            }

            main.Document.Save();
        }

        return stream.ToArray();
    }

    private static Paragraph ImageParagraph(string relationship, uint id, string name)
    {
        long width = 150 * EmuPerMillimetre;
        var height = width * BulletinCharts.Height / BulletinCharts.Width;
        var inline = new DW.Inline(
            new DW.Extent { Cx = width, Cy = height },
            new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
            new DW.DocProperties { Id = id, Name = $"chart-{name}" },
            new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
            new A.Graphic(new A.GraphicData(
                new PIC.Picture(
                    new PIC.NonVisualPictureProperties(
                        new PIC.NonVisualDrawingProperties { Id = id, Name = $"{name}.png" },
                        new PIC.NonVisualPictureDrawingProperties()),
                    new PIC.BlipFill(new A.Blip { Embed = relationship }, new A.Stretch(new A.FillRectangle())),
                    new PIC.ShapeProperties(
                        new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = width, Cy = height }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
            { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
        {
            DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U,
        };

        // The body's exact 28.95 pt line would clip the picture: this paragraph sizes to it.
        return new Paragraph(
            new ParagraphProperties(
                new SpacingBetweenLines { Line = "240", LineRule = LineSpacingRuleValues.Auto, Before = "120", After = "120" },
                new Justification { Val = JustificationValues.Center }),
            new Run(new Drawing(inline)));
    }
}
