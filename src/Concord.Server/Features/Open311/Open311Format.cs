using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace Concord.Server.Features.Open311;

/// <summary>One element of a GeoReport answer: a name and a value (text, number, bool, instant, object, list or null).</summary>
public sealed record O311Field(string Name, object? Value);

public sealed record O311Object(IReadOnlyList<O311Field> Fields);

/// <summary>A list: a JSON array, or in XML a wrapper whose children are each named <see cref="ItemName"/>.</summary>
public sealed record O311List(string ItemName, IReadOnlyList<object?> Items);

/// <summary>
/// Writes GeoReport v2 answers in the format the path asked for (.xml or .json): UTF-8, XML with its
/// declaration, instants in ISO 8601 with the offset of the center's time zone.
/// </summary>
public static class Open311Format
{
    public static bool TryParse(string? format, out bool xml)
    {
        xml = string.Equals(format, "xml", StringComparison.OrdinalIgnoreCase);
        return xml || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
    }

    public static IResult Write(bool xml, string root, object body, TimeZoneInfo zone, int status = StatusCodes.Status200OK)
    {
        using var stream = new MemoryStream();
        if (xml)
        {
            using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            {
                writer.WriteStartDocument();
                WriteXml(writer, root, body, zone);
                writer.WriteEndDocument();
            }

            return Results.Text(Encoding.UTF8.GetString(stream.ToArray()), "text/xml", new UTF8Encoding(false), status);
        }

        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteJson(writer, body, zone);
        }

        return Results.Text(Encoding.UTF8.GetString(stream.ToArray()), "application/json", new UTF8Encoding(false), status);
    }

    /// <summary>The spec's error answer: [{"code":400,"description":"..."}] or &lt;errors&gt;&lt;error&gt;...</summary>
    public static IResult Error(bool xml, int status, string description) =>
        Write(xml, "errors", new O311List("error", [new O311Object([new("code", status), new("description", description)])]), TimeZoneInfo.Utc, status);

    public static string Instant(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static void WriteXml(XmlWriter writer, string name, object? value, TimeZoneInfo zone)
    {
        writer.WriteStartElement(name);
        switch (value)
        {
            case O311Object obj:
                foreach (var field in obj.Fields)
                {
                    WriteXml(writer, field.Name, field.Value, zone);
                }

                break;
            case O311List list:
                foreach (var item in list.Items)
                {
                    WriteXml(writer, list.ItemName, item, zone);
                }

                break;
            case null:
                break;
            default:
                writer.WriteString(Scalar(value, zone));
                break;
        }

        writer.WriteEndElement();
    }

    private static void WriteJson(Utf8JsonWriter writer, object? value, TimeZoneInfo zone)
    {
        switch (value)
        {
            case O311Object obj:
                writer.WriteStartObject();
                foreach (var field in obj.Fields)
                {
                    writer.WritePropertyName(field.Name);
                    WriteJson(writer, field.Value, zone);
                }

                writer.WriteEndObject();
                break;
            case O311List list:
                writer.WriteStartArray();
                foreach (var item in list.Items)
                {
                    WriteJson(writer, item, zone);
                }

                writer.WriteEndArray();
                break;
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            default: writer.WriteStringValue(Scalar(value, zone)); break;
        }
    }

    private static string Scalar(object value, TimeZoneInfo zone) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime t => Instant(t, zone),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
