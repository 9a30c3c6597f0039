using System.Text;
using System.Text.Json;
using Concord.Server.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Concord.Server.Http;

/// <summary>
/// Reads request bodies ourselves rather than through model binding, so that a wrong content
/// type, an oversized body and malformed JSON each get their own localized problem (415, 413, 400).
/// </summary>
public static class RequestBody
{
    public sealed record TextBody(string? Text, IResult? Problem, byte[]? Bytes = null);

    public sealed record JsonBody(JsonDocument? Document, IResult? Problem, byte[]? Bytes = null);

    public sealed record ObjectBody<T>(T? Value, IResult? Problem);

    /// <summary>A small JSON object body bound to <typeparamref name="T"/>: 415/413/400 as for any body, 422 naming a field of the wrong type.</summary>
    public static async Task<ObjectBody<T>> ReadObjectAsync<T>(HttpRequest request, CancellationToken cancellationToken, long maxBytes = 64 * 1024)
        where T : class
    {
        var body = await ReadJsonAsync(request, maxBytes, cancellationToken);
        if (body.Problem is not null)
        {
            return new(null, body.Problem);
        }

        using var document = body.Document!;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return new(null, Problem.Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.not_object")));
        }

        try
        {
            return new(document.RootElement.Deserialize<T>(JsonSerializerOptions.Web), null);
        }
        catch (JsonException e)
        {
            return new(null, Problem.Validation([new Concord.Domain.Matters.FieldError(e.Path ?? "$", "wrong_type", "type.string")]));
        }
    }

    public static IResult? CheckContentType(HttpRequest request, params string[] accepted)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var media)
            && accepted.Any(a => media.MediaType.Equals(a, StringComparison.OrdinalIgnoreCase))
            && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return Problem.UnsupportedMediaType(string.Join(" or ", accepted.Select(a => a + "; charset=utf-8")));
    }

    public static async Task<TextBody> ReadTextAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ReadBytesAsync(request, maxBytes, cancellationToken);
        if (problem is not null)
        {
            return new(null, problem);
        }

        try
        {
            return new(new UTF8Encoding(false, true).GetString(bytes!), null, bytes);
        }
        catch (DecoderFallbackException)
        {
            return new(null, Problem.UnsupportedMediaType("UTF-8"));
        }
    }

    public static async Task<JsonBody> ReadJsonAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken, params string[] extraMediaTypes)
    {
        if (CheckContentType(request, ["application/json", .. extraMediaTypes]) is { } refused)
        {
            return new(null, refused);
        }

        var (bytes, problem) = await ReadBytesAsync(request, maxBytes, cancellationToken);
        if (problem is not null)
        {
            return new(null, problem);
        }

        try
        {
            var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 32 });
            return new(document, null, bytes);
        }
        catch (JsonException e)
        {
            return new(null, Problem.MalformedJson(e.LineNumber ?? 0, e.BytePositionInLine ?? 0, FirstSentence(e.Message)));
        }
    }

    private static async Task<(byte[]? Bytes, IResult? Problem)> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, Problem.TooLarge(maxBytes));
        }

        // Our own limit decides; lift the server's default so that large imports can be read.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, Problem.TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json's messages end with "Path: $ | LineNumber: 0 | BytePositionInLine: 5." — we report position ourselves.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
