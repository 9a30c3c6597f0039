using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace Concord.Server.Tests.Portal;

/// <summary>
/// Test images: a JPEG carrying an EXIF block with a GPS position (as phones write it), a PNG, and a
/// reader that finds EXIF in a JPEG's segments — so the tests parse what is stored, not trust it.
/// </summary>
public static class ExifSamples
{
    public static byte[] Png(int width = 40, int height = 30) => Encode(width, height, SKEncodedImageFormat.Png);

    /// <summary>A JPEG with an APP1 "Exif" segment whose IFD0 points to a GPS IFD (35°32'N, 106°41'E).</summary>
    public static byte[] JpegWithGps(int width = 64, int height = 48)
    {
        var jpeg = Encode(width, height, SKEncodedImageFormat.Jpeg);
        var tiff = GpsTiff();
        var app1 = new List<byte> { 0xFF, 0xE1 };
        var length = 2 + 6 + tiff.Length;
        app1.Add((byte)(length >> 8));
        app1.Add((byte)length);
        app1.AddRange("Exif\0\0"u8.ToArray());
        app1.AddRange(tiff);
        // Right after SOI (FF D8).
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    /// <summary>True when a JPEG has an APP1 segment starting "Exif" (what carries GPS).</summary>
    public static bool HasExif(byte[] jpeg) => Segments(jpeg).Any(s => s.Marker == 0xE1 && s.Data.AsSpan().StartsWith("Exif\0\0"u8));

    /// <summary>True when the EXIF of a JPEG holds a GPS IFD pointer (tag 0x8825).</summary>
    public static bool HasGps(byte[] jpeg)
    {
        foreach (var (marker, data) in Segments(jpeg))
        {
            if (marker != 0xE1 || !data.AsSpan().StartsWith("Exif\0\0"u8))
            {
                continue;
            }

            var tiff = data.AsSpan(6);
            var little = tiff[0] == (byte)'I';
            uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
            ushort U16(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);
            var ifd = (int)U32(tiff[4..]);
            var count = U16(tiff[ifd..]);
            for (var i = 0; i < count; i++)
            {
                if (U16(tiff[(ifd + 2 + (i * 12))..]) == 0x8825)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IEnumerable<(byte Marker, byte[] Data)> Segments(byte[] jpeg)
    {
        var i = 2; // after SOI
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF)
        {
            var marker = jpeg[i + 1];
            if (marker == 0xDA)
            {
                yield break; // start of scan: no metadata segments after it
            }

            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            yield return (marker, jpeg[(i + 4)..(i + 2 + length)]);
            i += 2 + length;
        }
    }

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawRect(5, 5, width / 2f, height / 2f, paint);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>A little-endian TIFF block: IFD0 with one entry (GPSInfo) → GPS IFD with latitude ref and latitude.</summary>
    private static byte[] GpsTiff()
    {
        var b = new List<byte>();
        void U16(int v) { b.Add((byte)v); b.Add((byte)(v >> 8)); }
        void U32(uint v) { U16((int)(v & 0xFFFF)); U16((int)(v >> 16)); }
        b.AddRange(Encoding.ASCII.GetBytes("II"));
        U16(42);
        U32(8);
        // IFD0 at 8: one entry, GPSInfo (0x8825, LONG, 1, offset 26), next IFD 0.
        U16(1);
        U16(0x8825); U16(4); U32(1); U32(26);
        U32(0);
        // GPS IFD at 26: GPSLatitudeRef "N", GPSLatitude 3 rationals at offset 56.
        U16(2);
        U16(1); U16(2); U32(2); b.AddRange("N\0\0\0"u8.ToArray());
        U16(2); U16(5); U32(3); U32(56);
        U32(0);
        foreach (var (n, d) in new (uint, uint)[] { (35, 1), (32, 1), (1234, 100) })
        {
            U32(n);
            U32(d);
        }

        return [.. b];
    }
}
