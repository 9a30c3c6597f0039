using Concord.Domain.Categories;
using Concord.Domain.Territories;

namespace Concord.Domain.Matters;

/// <summary>What a new matter must satisfy. Every fault is reported, not just the first.</summary>
public static class IntakeRules
{
    public const int TitleMaxLength = 100;
    public const int DescriptionMaxLength = 4000;
    public const int AddressMaxLength = 200;
    public const int NameMaxLength = 50;
    public const int MaxParties = 20;
    public const int RoleMaxLength = 30;
    public const int PhoneMaxLength = 30;

    /// <summary>Clock skew tolerated for occurredAt in the future.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(10);

    public static List<FieldError> Validate(MatterDraft draft, CategoryCatalog categories, TerritoryTree territories, DateTimeOffset now)
    {
        var errors = new List<FieldError>();

        if (string.IsNullOrWhiteSpace(draft.Kind))
        {
            errors.Add(new("kind", "required"));
        }
        else if (!WireNames.TryParseKind(draft.Kind, out _))
        {
            errors.Add(new("kind", "one_of", draft.Kind, string.Join(", ", WireNames.KindNames)));
        }

        if (string.IsNullOrWhiteSpace(draft.Channel))
        {
            errors.Add(new("channel", "required"));
        }
        else if (!WireNames.TryParseChannel(draft.Channel, out _))
        {
            errors.Add(new("channel", "one_of", draft.Channel, string.Join(", ", WireNames.ChannelNames)));
        }

        RequiredText(errors, "title", draft.Title, TitleMaxLength);
        RequiredText(errors, "description", draft.Description, DescriptionMaxLength);

        if (draft.CategoryCode is { } category && categories.Find(category) is null)
        {
            errors.Add(new("categoryCode", "unknown_category", category));
        }

        ValidatePlace(errors, draft, territories);

        if (draft.OccurredAt is { } occurred && occurred > now + FutureTolerance)
        {
            errors.Add(new("occurredAt", "in_future"));
        }

        OptionalText(errors, "reporter.name", draft.ReporterName, NameMaxLength);
        Phone(errors, "reporter.phone", draft.ReporterPhone);

        if (draft.Parties.Count > MaxParties)
        {
            errors.Add(new("parties", "too_many", MaxParties));
        }

        for (var i = 0; i < Math.Min(draft.Parties.Count, MaxParties); i++)
        {
            var party = draft.Parties[i];
            RequiredText(errors, $"parties[{i}].name", party.Name, NameMaxLength);
            Phone(errors, $"parties[{i}].phone", party.Phone);
            OptionalText(errors, $"parties[{i}].role", party.Role, RoleMaxLength);
        }

        return errors;
    }

    private static void ValidatePlace(List<FieldError> errors, MatterDraft draft, TerritoryTree territories)
    {
        var hasPoint = draft.Lat is not null || draft.Lon is not null;
        if (hasPoint)
        {
            if (draft.Lat is not { } lat)
            {
                errors.Add(new("location.lat", "required"));
            }
            else if (lat is < -90 or > 90 || double.IsNaN(lat))
            {
                errors.Add(new("location.lat", "out_of_range", lat, -90, 90));
            }

            if (draft.Lon is not { } lon)
            {
                errors.Add(new("location.lon", "required"));
            }
            else if (lon is < -180 or > 180 || double.IsNaN(lon))
            {
                errors.Add(new("location.lon", "out_of_range", lon, -180, 180));
            }
        }

        if (draft.TerritoryCode is { } code && territories.Find(code) is null)
        {
            errors.Add(new("territoryCode", "unknown_territory", code));
        }

        OptionalText(errors, "address", draft.Address, AddressMaxLength);

        if (!hasPoint && draft.TerritoryCode is null && string.IsNullOrWhiteSpace(draft.Address))
        {
            errors.Add(new("location", "place_required"));
        }
    }

    private static void RequiredText(List<FieldError> errors, string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "required"));
        }
        else
        {
            OptionalText(errors, field, value, max);
        }
    }

    private static void OptionalText(List<FieldError> errors, string field, string? value, int max)
    {
        if (value is not null && value.Trim().Length > max)
        {
            errors.Add(new(field, "too_long", max, value.Trim().Length));
        }
    }

    private static void Phone(List<FieldError> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        var digits = value.Count(char.IsAsciiDigit);
        // A leading + for the country code; digits, spaces, dashes and brackets after it.
        var body = value.StartsWith('+') ? value[1..] : value;
        var allowed = body.All(c => char.IsAsciiDigit(c) || c is '-' or ' ' or '(' or ')');
        if (!allowed || digits is < 5 or > 20 || value.Length > PhoneMaxLength)
        {
            errors.Add(new(field, "bad_phone"));
        }
    }
}
