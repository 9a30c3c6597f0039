using Concord.Domain.Matters;
using SkiaSharp;

namespace Concord.Server.Features.Portal;

/// <summary>The photo limits (Concord:Portal:Photos:*), configurable per deployment.</summary>
public sealed record PhotoLimits(int MaxCount, long MaxBytesPerPhoto, long MaxTotalBytes, int MaxSide)
{
    public static PhotoLimits From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Concord:Portal:Photos");
        return new(
            section.GetValue("MaxCount", 6),
            section.GetValue("MaxBytesPerPhoto", 8L * 1024 * 1024),
            section.GetValue("MaxTotalBytes", 24L * 1024 * 1024),
            section.GetValue("MaxSide", 2560));
    }
}

/// <summary>An uploaded file as received: the name and type the client claimed are not trusted.</summary>
public sealed record UploadedPhoto(string FileName, byte[] Bytes);

/// <summary>A photo ready to store: re-encoded from its pixels (no metadata), with a small thumbnail.</summary>
public sealed record CleanPhoto(string ContentType, int Width, int Height, byte[] Bytes, byte[] Thumbnail);

/// <summary>
/// Checks photos by their content (the decoder must recognise JPEG, PNG or WebP, whatever the file
/// name or claimed type says) and cleans them: the pixels are decoded, turned upright by the EXIF
/// orientation, and encoded again, so EXIF (GPS position, camera serial), XMP and text chunks never
/// reach the store. SkiaSharp (MIT) does the decoding and encoding.
/// </summary>
public static class PortalPhotos
{
    public const int ThumbnailSide = 320;

    /// <summary>Decoding more pixels than this is refused (a small file can claim a huge image).</summary>
    private const long MaxPixels = 50_000_000;

    public static (List<CleanPhoto> Photos, List<FieldError> Errors) Clean(IReadOnlyList<UploadedPhoto> uploads, PhotoLimits limits)
    {
        var errors = new List<FieldError>();
        var photos = new List<CleanPhoto>();
        if (uploads.Count > limits.MaxCount)
        {
            errors.Add(new("photos", "portal.photos_too_many", limits.MaxCount));
            return (photos, errors);
        }

        if (uploads.Sum(u => (long)u.Bytes.Length) > limits.MaxTotalBytes)
        {
            errors.Add(new("photos", "portal.photos_too_large_total", Megabytes(limits.MaxTotalBytes)));
            return (photos, errors);
        }

        for (var i = 0; i < uploads.Count; i++)
        {
            var upload = uploads[i];
            var field = $"photos[{i}]";
            if (upload.Bytes.Length > limits.MaxBytesPerPhoto)
            {
                errors.Add(new(field, "portal.photo_too_large", upload.FileName, Megabytes(limits.MaxBytesPerPhoto)));
                continue;
            }

            var clean = TryClean(upload.Bytes, limits.MaxSide);
            if (clean is null)
            {
                errors.Add(new(field, "portal.photo_wrong_type", upload.FileName));
                continue;
            }

            photos.Add(clean);
        }

        return (photos, errors);
    }

    /// <summary>The cleaned photo, or null when the bytes are not a JPEG, PNG or WebP image that decodes.</summary>
    public static CleanPhoto? TryClean(byte[] bytes, int maxSide)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || (long)codec.Info.Width * codec.Info.Height > MaxPixels)
        {
            return null;
        }

        var (contentType, format, quality) = codec.EncodedFormat switch
        {
            SKEncodedImageFormat.Jpeg => ("image/jpeg", SKEncodedImageFormat.Jpeg, 85),
            SKEncodedImageFormat.Png => ("image/png", SKEncodedImageFormat.Png, 100),
            SKEncodedImageFormat.Webp => ("image/webp", SKEncodedImageFormat.Webp, 85),
            _ => (null, SKEncodedImageFormat.Jpeg, 0),
        };
        if (contentType is null)
        {
            return null;
        }

        var origin = codec.EncodedOrigin;
        using var decoded = SKBitmap.Decode(codec);
        if (decoded is null)
        {
            return null;
        }

        using var upright = Upright(decoded, origin);
        using var sized = Fit(upright, maxSide);
        using var thumbnail = Fit(sized, ThumbnailSide);
        return new CleanPhoto(contentType, sized.Width, sized.Height, Encode(sized, format, quality), EncodeThumbnail(thumbnail));
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(format, quality);
        return encoded.ToArray();
    }

    /// <summary>Thumbnails are JPEG on white (a transparent PNG would turn black otherwise).</summary>
    private static byte[] EncodeThumbnail(SKBitmap bitmap)
    {
        using var surface = SKSurface.Create(new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(SKColors.White);
        surface.Canvas.DrawBitmap(bitmap, 0, 0);
        using var image = surface.Snapshot();
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return encoded.ToArray();
    }

    /// <summary>A copy no larger than <paramref name="maxSide"/> on its longer side (a copy either way, so the caller disposes it).</summary>
    private static SKBitmap Fit(SKBitmap source, int maxSide)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(source.Width, source.Height));
        var width = Math.Max(1, (int)Math.Round(source.Width * scale));
        var height = Math.Max(1, (int)Math.Round(source.Height * scale));
        return source.Resize(new SKImageInfo(width, height, source.ColorType, source.AlphaType), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? source.Copy();
    }

    /// <summary>Applies the EXIF orientation to the pixels, since the EXIF that carried it is dropped.</summary>
    private static SKBitmap Upright(SKBitmap source, SKEncodedOrigin origin)
    {
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(result);
        var (w, h) = (source.Width, source.Height);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Translate(w, 0); canvas.Scale(-1, 1); break;
            case SKEncodedOrigin.BottomRight: canvas.Translate(w, h); canvas.RotateDegrees(180); break;
            case SKEncodedOrigin.BottomLeft: canvas.Translate(0, h); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftTop: canvas.RotateDegrees(90); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(h, w); canvas.RotateDegrees(270); canvas.Scale(1, -1); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(-90); break;
        }

        canvas.DrawBitmap(source, 0, 0);
        return result;
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}
