using System.Text.Json;
using Concord.Domain.Matters;

namespace Concord.Server.Features.Matters;

/// <summary>
/// Turns the intake JSON into a <see cref="MatterDraft"/>, reporting every field of the wrong
/// JSON type and every unknown field (a misspelt field must not be dropped silently).
/// </summary>
public static class IntakeRequestReader
{
    private static readonly HashSet<string> Fields =
        ["kind", "channel", "title", "description", "categoryCode", "location", "territoryCode", "address", "occurredAt", "reporter", "parties", "confidential"];

    public static (MatterDraft Draft, List<FieldError> Errors) Read(JsonElement root)
    {
        var errors = new List<FieldError>();
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                errors.Add(new(property.Name, "unknown_field"));
            }
        }

        double? lat = null, lon = null;
        if (Object(root, "location", errors) is { } location)
        {
            lat = Number(location, "lat", "location.lat", errors);
            lon = Number(location, "lon", "location.lon", errors);
            if (lat is null && lon is null && !location.TryGetProperty("lat", out _) && !location.TryGetProperty("lon", out _))
            {
                errors.Add(new("location.lat", "required"));
                errors.Add(new("location.lon", "required"));
            }
        }

        string? reporterName = null, reporterPhone = null;
        if (Object(root, "reporter", errors) is { } reporter)
        {
            reporterName = String(reporter, "name", "reporter.name", errors);
            reporterPhone = String(reporter, "phone", "reporter.phone", errors);
        }

        var parties = new List<PartyDraft>();
        if (root.TryGetProperty("parties", out var partiesElement) && partiesElement.ValueKind != JsonValueKind.Null)
        {
            if (partiesElement.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("parties", "wrong_type", "type.array"));
            }
            else
            {
                var i = 0;
                foreach (var party in partiesElement.EnumerateArray())
                {
                    if (party.ValueKind != JsonValueKind.Object)
                    {
                        errors.Add(new($"parties[{i}]", "wrong_type", "type.object"));
                    }
                    else
                    {
                        parties.Add(new PartyDraft(
                            String(party, "name", $"parties[{i}].name", errors),
                            String(party, "phone", $"parties[{i}].phone", errors),
                            String(party, "role", $"parties[{i}].role", errors)));
                    }

                    i++;
                }
            }
        }

        DateTimeOffset? occurredAt = null;
        if (String(root, "occurredAt", "occurredAt", errors) is { } occurredText)
        {
            if (DateTimeOffset.TryParse(occurredText, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed)
                && (occurredText.EndsWith('Z') || occurredText.Contains('+') || occurredText.LastIndexOf('-') > 9))
            {
                occurredAt = parsed;
            }
            else
            {
                errors.Add(new("occurredAt", "bad_datetime"));
            }
        }

        var draft = new MatterDraft
        {
            Kind = String(root, "kind", "kind", errors),
            Channel = String(root, "channel", "channel", errors),
            Title = String(root, "title", "title", errors)?.Trim(),
            Description = String(root, "description", "description", errors)?.Trim(),
            CategoryCode = NullIfBlank(String(root, "categoryCode", "categoryCode", errors)),
            Lat = lat,
            Lon = lon,
            TerritoryCode = NullIfBlank(String(root, "territoryCode", "territoryCode", errors)),
            Address = NullIfBlank(String(root, "address", "address", errors)),
            OccurredAt = occurredAt,
            ReporterName = NullIfBlank(reporterName),
            ReporterPhone = NullIfBlank(reporterPhone),
            Parties = parties,
            Confidential = Bool(root, "confidential", errors) ?? false,
        };
        return (draft, errors);
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static JsonElement? Object(JsonElement parent, string name, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(name, "wrong_type", "type.object"));
            return null;
        }

        return value;
    }

    private static string? String(JsonElement parent, string name, string path, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new(path, "wrong_type", "type.string"));
            return null;
        }

        return value.GetString();
    }

    private static bool? Bool(JsonElement parent, string name, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(new(name, "wrong_type", "type.boolean"));
            return null;
        }

        return value.GetBoolean();
    }

    private static double? Number(JsonElement parent, string name, string path, List<FieldError> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors.Add(new(path, "wrong_type", "type.number"));
            return null;
        }

        return number;
    }
}
