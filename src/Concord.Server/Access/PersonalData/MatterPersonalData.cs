using System.Text.Json;
using System.Text.Json.Serialization;
using Concord.Server.Data;

namespace Concord.Server.Access.PersonalData;

/// <summary>One person of a matter, in clear: the reporter (no role) or a party.</summary>
public sealed record PersonData(string? Name, string? Phone, string? Role = null, string? IdNumber = null);

/// <summary>
/// The clear personal data of a matter. Only for an audited reveal: every other answer shows
/// the masked forms. <see cref="ErasedAt"/> is set when the retention rule erased it.
/// </summary>
public sealed record PersonalDataView(PersonData? Reporter, IReadOnlyList<PersonData> Parties, DateTime? ErasedAt = null);

/// <summary>
/// The one place that knows how a matter's personal data is stored: the reporter's name, phone
/// and ID number each encrypted in its column, the phone also as a keyed hash, and the parties
/// as one encrypted JSON array (name, phone, role, and an ID number when there is one).
/// </summary>
public sealed class MatterPersonalData(PersonalDataProtector protector)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes <paramref name="clear"/> into the matter's columns, encrypted under the current key.</summary>
    public void Store(MatterRow matter, PersonalDataView clear)
    {
        var reporter = clear.Reporter;
        matter.ReporterName = protector.Protect(reporter?.Name);
        matter.ReporterPhone = protector.Protect(reporter?.Phone);
        matter.ReporterIdNumber = protector.Protect(reporter?.IdNumber);
        matter.ReporterPhoneHash = protector.PhoneHash(reporter?.Phone);
        matter.Parties = clear.Parties.Count == 0 ? null : protector.Protect(JsonSerializer.Serialize(clear.Parties, Json));
    }

    /// <summary>
    /// The matter's personal data in clear, for an audited reveal (and, masked, for every view).
    /// Throws a <see cref="PersonalDataException"/> when a value cannot be read.
    /// </summary>
    public PersonalDataView Reveal(MatterRow matter)
    {
        var name = protector.Unprotect(matter.ReporterName);
        var phone = protector.Unprotect(matter.ReporterPhone);
        var idNumber = protector.Unprotect(matter.ReporterIdNumber);
        var reporter = name is null && phone is null && idNumber is null ? null : new PersonData(name, phone, null, idNumber);
        var parties = protector.Unprotect(matter.Parties) is { Length: > 0 } json
            ? JsonSerializer.Deserialize<List<PersonData>>(json, Json) ?? []
            : [];
        return new PersonalDataView(reporter, parties, matter.PersonalDataErasedAt);
    }
}
