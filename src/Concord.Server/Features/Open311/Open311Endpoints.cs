using System.Globalization;
using Concord.Domain.Matters;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Features.Matters;
using Concord.Server.Features.Portal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concord.Server.Features.Open311;

/// <summary>
/// A request that came in through Open311: its token (resolved by GET tokens/{id}), the integration
/// key that sent it, the media_url given, and the e-mail (encrypted like all personal data).
/// </summary>
public sealed class Open311RequestRow
{
    public long MatterId { get; set; }
    public required string Token { get; set; }
    public long ApiTokenId { get; set; }
    public string? MediaUrl { get; set; }
    public string? Email { get; set; }
    public string? Attributes { get; set; }
}

public sealed class Open311RequestConfiguration : IEntityTypeConfiguration<Open311RequestRow>
{
    public void Configure(EntityTypeBuilder<Open311RequestRow> b)
    {
        b.ToTable("open311_requests");
        b.HasKey(x => x.MatterId);
        b.Property(x => x.Token).HasMaxLength(64);
        b.HasIndex(x => x.Token).IsUnique();
        b.Property(x => x.MediaUrl).HasMaxLength(2048);
        b.HasOne<MatterRow>().WithMany().HasForeignKey(x => x.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Open311 GeoReport v2 under /open311/v2, for third-party reporting apps: discovery, services (the
/// leaf categories), service definitions, POST requests with an integration key (api_key), tokens,
/// and the public reads of requests. XML and JSON by the path's extension. Public reads carry no
/// personal data and no internal notes: the description is the resident's title, the address is
/// the township, the point is rounded to about 100 m, confidential matters are left out of lists.
/// </summary>
public static class Open311Endpoints
{
    public const string Base = "/open311/v2";
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapOpen311(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Base).WithTags("Open311").AllowAnonymous().RequireRateLimiting(AccessSetup.PublicRateLimit).DisableAntiforgery();
        group.MapGet("/discovery.{format}", Discovery).WithSummary("GeoReport v2 service discovery");
        group.MapGet("/services.{format}", Services).WithSummary("GeoReport v2 services: the leaf categories");
        group.MapGet("/services/{service_code}.{format}", Definition).WithSummary("GeoReport v2 service definition with its attributes");
        group.MapPost("/requests.{format}", PostRequestAsync).WithSummary("GeoReport v2: create a service request (api_key: an integration token)");
        group.MapGet("/tokens/{token_id}.{format}", TokenAsync).WithSummary("GeoReport v2: the service_request_id of a token");
        group.MapGet("/requests.{format}", RequestsAsync).WithSummary("GeoReport v2: service requests, filtered (service_request_id, service_code, start_date, end_date, status) and paged (page, page_size: an extension)");
        group.MapGet("/requests/{service_request_id}.{format}", RequestAsync).WithSummary("GeoReport v2: one service request");
        return app;
    }

    private static IResult BadFormat() => Open311Format.Error(false, StatusCodes.Status404NotFound, "Unknown format: use .xml or .json");

    private static IResult Discovery(string format, HttpContext http, LocalCalendar calendar)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        var url = $"{http.Request.Scheme}://{http.Request.Host}{Base}";
        return Open311Format.Write(xml, "discovery", new O311Object(
        [
            new("changeset", new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc)),
            new("contact", "综治中心 / Comprehensive governance center"),
            new("key_service", "Integration keys (api_key) are issued by the center's administrators as integration tokens."),
            new("endpoints", new O311List("endpoint",
            [
                new O311Object(
                [
                    new("specification", "http://wiki.open311.org/GeoReport_v2"),
                    new("url", url),
                    new("changeset", new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc)),
                    new("type", "production"),
                    new("formats", new O311List("format", ["text/xml", "application/json"])),
                ]),
            ])),
        ]), calendar.Zone);
    }

    private static IResult Services(string format, CatalogStore catalog, LocalCalendar calendar)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        var snapshot = catalog.Current;
        var zh = Problems.Messages.IsZh;
        var items = Open311Services.Leaves(snapshot.Categories).Select(c =>
        {
            var domain = snapshot.Categories.Find(c.Code[..2]);
            return (object?)new O311Object(
            [
                new("service_code", c.Code),
                new("service_name", zh ? c.Name : c.NameEn),
                new("description", zh ? $"{domain?.Name} · {c.Name}" : $"{domain?.NameEn} · {c.NameEn}"),
                new("metadata", true),
                new("type", "realtime"),
                new("keywords", string.Join(',', c.Keywords)),
                new("group", zh ? domain?.Name : domain?.NameEn),
            ]);
        }).ToList();
        return Open311Format.Write(xml, "services", new O311List("service", items), calendar.Zone);
    }

    private static IResult Definition(string service_code, string format, CatalogStore catalog, LocalCalendar calendar)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        var category = Open311Services.Leaves(catalog.Current.Categories).FirstOrDefault(c => c.Code == service_code);
        if (category is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status404NotFound, $"service_code '{service_code}' was not found");
        }

        var zh = Problems.Messages.IsZh;
        var attributes = Open311Services.Attributes(category).Select(a => (object?)new O311Object(
        [
            new("variable", true),
            new("code", a.Code),
            new("datatype", a.Datatype),
            new("required", a.Required),
            new("datatype_description", a.Datatype == "datetime" ? "ISO 8601, e.g. 2026-11-26T09:30:00+08:00" : null),
            new("order", a.Order),
            new("description", zh ? a.Description : a.DescriptionEn),
            new("values", new O311List("value", a.Values.Select(v => (object?)new O311Object([new("key", v.Key), new("name", zh ? v.Name : v.NameEn)])).ToList())),
        ])).ToList();
        return Open311Format.Write(xml, "service_definition", new O311Object([new("service_code", category.Code), new("attributes", new O311List("attribute", attributes))]), calendar.Zone);
    }

    private static async Task<IResult> PostRequestAsync(
        string format, HttpContext http, ConcordDb db, CatalogStore catalog, LocalCalendar calendar, PortalSubmissions submissions,
        PersonalDataProtector protector, IConfiguration configuration, TimeProvider clock, CancellationToken ct)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        if (!http.Request.HasFormContentType)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, "Send the parameters as application/x-www-form-urlencoded (or multipart/form-data)");
        }

        var form = await http.Request.ReadFormAsync(ct);
        string? Param(string name) => form[name].ToString() is { Length: > 0 } v ? v.Trim() : null;

        var key = await IntegrationKeyAsync(db, configuration, clock, Param("api_key"), ct);
        if (key is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status403Forbidden, "api_key was not provided or is not a valid integration key");
        }

        var code = Param("service_code");
        if (code is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, "service_code is required");
        }

        var category = Open311Services.Leaves(catalog.Current.Categories).FirstOrDefault(c => c.Code == code);
        if (category is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, $"service_code '{code}' was not found");
        }

        double? lat = null, lon = null;
        if (Param("lat") is { } latText || Param("long") is not null)
        {
            if (!double.TryParse(Param("lat"), NumberStyles.Float, CultureInfo.InvariantCulture, out var la)
                || !double.TryParse(Param("long"), NumberStyles.Float, CultureInfo.InvariantCulture, out var lo))
            {
                return Open311Format.Error(xml, StatusCodes.Status400BadRequest, "lat and long must both be decimal degrees (WGS84)");
            }

            (lat, lon) = (la, lo);
        }

        var address = Param("address_string");
        var addressId = Param("address_id");
        if (lat is null && address is null && addressId is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, "A location is required: lat and long, address_string or address_id");
        }

        if (addressId is not null && catalog.Current.Tree.Find(addressId) is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, $"address_id '{addressId}' is not a known territory code");
        }

        // attribute[code]=value, and the required ones of the service.
        var attributes = Open311Services.Attributes(category);
        var given = attributes.ToDictionary(a => a.Code, a => Param($"attribute[{a.Code}]"));
        var missing = attributes.Where(a => a.Required && given[a.Code] is null).Select(a => a.Code).ToList();
        if (missing.Count > 0)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, $"Required attribute missing: {string.Join(", ", missing)}");
        }

        foreach (var a in attributes.Where(a => a.Values.Count > 0 && given[a.Code] is { } v && a.Values.All(x => x.Key != v)))
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, $"attribute[{a.Code}] must be one of: {string.Join(", ", a.Values.Select(x => x.Key))}");
        }

        DateTimeOffset? occurredAt = null;
        if (given[Open311Services.OccurredAt] is { } occurredText)
        {
            if (!DateTimeOffset.TryParse(occurredText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || !HasOffset(occurredText))
            {
                return Open311Format.Error(xml, StatusCodes.Status400BadRequest, "attribute[occurred_at] must be ISO 8601 with a time zone");
            }

            occurredAt = parsed;
        }

        var description = Param("description");
        var name = string.Join(' ', new[] { Param("first_name"), Param("last_name") }.Where(n => n is not null));
        var draft = new MatterDraft
        {
            Kind = given[Open311Services.Kind] ?? Open311Services.KindOf(category),
            Channel = "open311",
            Title = Title(description ?? category.Name),
            Description = description ?? category.Name,
            CategoryCode = category.Code,
            Lat = lat,
            Lon = lon,
            TerritoryCode = lat is null ? addressId : null,
            Address = address,
            OccurredAt = occurredAt,
            ReporterName = name.Length > 0 ? name : null,
            ReporterPhone = Param("phone"),
        };

        var outcome = await submissions.SubmitAsync(draft, [], submissions.ClientHash(http), new Actor($"integration:{key.Id}", http.Connection.RemoteIpAddress?.ToString() ?? "local"), ct);
        if (outcome.Errors.Count > 0)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest,
                string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {Problems.Messages.Text(e.MessageKey, e.Args)}")));
        }

        var matter = outcome.Matter!;
        var token = Tracking.NewSecret();
        db.Set<Open311RequestRow>().Add(new Open311RequestRow
        {
            MatterId = matter.Id, Token = token, ApiTokenId = key.Id, MediaUrl = Param("media_url"),
            Email = protector.Protect(Param("email")),
            Attributes = System.Text.Json.JsonSerializer.Serialize(given.Where(g => g.Value is not null).ToDictionary(g => g.Key, g => g.Value)),
        });
        await db.SaveChangesAsync(ct);

        return Open311Format.Write(xml, "service_requests", new O311List("request",
        [
            new O311Object(
            [
                new("service_request_id", matter.Code),
                new("token", token),
                new("service_notice", Problems.Messages.Text("open311.notice", matter.TrackingCode)),
                new("account_id", null),
                // Extension: the resident's tracking page, carrying the code and the secret.
                new("tracking_url", $"/portal/track?code={matter.TrackingCode}&secret={outcome.Secret}"),
            ]),
        ]), calendar.Zone, StatusCodes.Status201Created);
    }

    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d{2}:?\d{2}$");

    private static string Title(string text)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length <= 40 ? line : line[..40];
    }

    /// <summary>An integration token, or in demo mode the demo token; null for anything else.</summary>
    private static async Task<ApiTokenRow?> IntegrationKeyAsync(ConcordDb db, IConfiguration configuration, TimeProvider clock, string? apiKey, CancellationToken ct)
    {
        if (apiKey is null || !apiKey.StartsWith(ApiTokens.TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = ApiTokens.Hash(apiKey);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.Hash == hash, ct);
        if (row is null || row.RevokedAt is not null || (row.ExpiresAt is { } expires && expires <= now))
        {
            return null;
        }

        var demo = configuration.GetValue("Concord:Demo", false) && row.IsDemo;
        return row.Kind == ApiTokens.IntegrationKind || demo ? row : null;
    }

    private static async Task<IResult> TokenAsync(string token_id, string format, ConcordDb db, LocalCalendar calendar, CancellationToken ct)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        var found = await (from r in db.Set<Open311RequestRow>().AsNoTracking()
                           join m in db.Matters.AsNoTracking() on r.MatterId equals m.Id
                           where r.Token == token_id
                           select m.Code).SingleOrDefaultAsync(ct);
        return found is null
            ? Open311Format.Error(xml, StatusCodes.Status404NotFound, $"token '{token_id}' was not found")
            : Open311Format.Write(xml, "service_requests", new O311List("request", [new O311Object([new("service_request_id", found), new("token", token_id)])]), calendar.Zone);
    }

    private static async Task<IResult> RequestAsync(string service_request_id, string format, ConcordDb db, CatalogStore catalog, LocalCalendar calendar, CancellationToken ct)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == service_request_id, ct);
        if (matter is null)
        {
            return Open311Format.Error(xml, StatusCodes.Status404NotFound, $"service_request_id '{service_request_id}' was not found");
        }

        var media = await MediaAsync(db, [matter.Id], ct);
        return Open311Format.Write(xml, "service_requests", new O311List("request", [Request(matter, catalog.Current, media)]), calendar.Zone);
    }

    private static async Task<IResult> RequestsAsync(
        string format, ConcordDb db, CatalogStore catalog, LocalCalendar calendar, TimeProvider clock, CancellationToken ct,
        string? service_request_id = null, string? service_code = null, string? start_date = null, string? end_date = null,
        string? status = null, int? page = null, int? page_size = null)
    {
        if (!Open311Format.TryParse(format, out var xml))
        {
            return BadFormat();
        }

        var query = db.Matters.AsNoTracking().Where(m => !m.Confidential);
        if (service_request_id is not null)
        {
            // The spec: service_request_id overrides every other parameter.
            var ids = service_request_id.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            query = query.Where(m => ids.Contains(m.Code));
        }
        else
        {
            if (service_code is not null)
            {
                var codes = service_code.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                query = query.Where(m => m.CategoryCode != null && codes.Contains(m.CategoryCode));
            }

            DateTimeOffset? start = null, end = null;
            foreach (var (text, name) in new[] { (start_date, "start_date"), (end_date, "end_date") })
            {
                if (text is null)
                {
                    continue;
                }

                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || !HasOffset(text))
                {
                    return Open311Format.Error(xml, StatusCodes.Status400BadRequest, $"{name} must be ISO 8601 with a time zone, e.g. 2026-11-26T00:00:00+08:00");
                }

                if (name == "start_date") { start = parsed; } else { end = parsed; }
            }

            // The spec's default window: the last 90 days.
            var to = (end ?? clock.GetUtcNow()).UtcDateTime;
            var from = (start ?? (end ?? clock.GetUtcNow()).AddDays(-90)).UtcDateTime;
            query = query.Where(m => m.ReceivedAt >= from && m.ReceivedAt <= to);

            if (status is not null)
            {
                var wanted = status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToHashSet();
                if (wanted.Any(s => s is not ("open" or "closed")))
                {
                    return Open311Format.Error(xml, StatusCodes.Status400BadRequest, "status must be open, closed or open,closed");
                }

                if (!(wanted.Contains("open") && wanted.Contains("closed")))
                {
                    query = wanted.Contains("closed") ? query.Where(m => ClosedStates.Contains(m.Status)) : query.Where(m => !ClosedStates.Contains(m.Status));
                }
            }
        }

        var size = page_size ?? DefaultPageSize;
        var number = page ?? 1;
        if (size is < 1 or > MaxPageSize || number < 1)
        {
            return Open311Format.Error(xml, StatusCodes.Status400BadRequest, $"page must be 1 or more and page_size between 1 and {MaxPageSize}");
        }

        var rows = await query.OrderByDescending(m => m.ReceivedAt).ThenByDescending(m => m.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var media = await MediaAsync(db, rows.Select(r => r.Id).ToList(), ct);
        return Open311Format.Write(xml, "service_requests", new O311List("request", rows.Select(m => (object?)Request(m, catalog.Current, media)).ToList()), calendar.Zone);
    }

    private static readonly string[] ClosedStates = ["closed", "rejected", "merged"];

    private static async Task<Dictionary<long, string?>> MediaAsync(ConcordDb db, List<long> ids, CancellationToken ct) =>
        await db.Set<Open311RequestRow>().AsNoTracking().Where(r => ids.Contains(r.MatterId)).ToDictionaryAsync(r => r.MatterId, r => r.MediaUrl, ct);

    /// <summary>One request as the public sees it: open/closed, the fine state in extended_attributes, nothing personal.</summary>
    private static O311Object Request(MatterRow m, CatalogSnapshot snapshot, Dictionary<long, string?> media)
    {
        var zh = Problems.Messages.IsZh;
        var category = snapshot.Categories.Find(m.CategoryCode);
        var place = snapshot.Tree.AncestorAt(m.TerritoryCode, Concord.Domain.Territories.TerritoryLevel.Township) ?? snapshot.Tree.Find(m.TerritoryCode);
        return new O311Object(
        [
            new("service_request_id", m.Code),
            new("status", ClosedStates.Contains(m.Status) ? "closed" : "open"),
            new("status_notes", m.Status is "replied" or "closed" ? m.ReplyText : null),
            new("service_name", category is null ? null : zh ? category.Name : category.NameEn),
            new("service_code", m.CategoryCode),
            new("description", m.Confidential ? null : m.Title),
            new("agency_responsible", Views.UnitOf(m.LeadUnitCode, snapshot)?.Name),
            new("service_notice", null),
            new("requested_datetime", m.ReceivedAt),
            new("updated_datetime", m.UpdatedAt),
            new("expected_datetime", m.ReplyDueAt),
            new("address", place?.Name),
            new("address_id", place?.Code),
            new("zipcode", null),
            // About 100 m: enough to see the place on a map, not a doorstep.
            new("lat", m.Lat is { } lat ? Math.Round(lat, 3) : null),
            new("long", m.Lon is { } lon ? Math.Round(lon, 3) : null),
            new("media_url", media.GetValueOrDefault(m.Id)),
            new("extended_attributes", new O311Object([new("status_fine", m.Status), new("kind", m.Kind)])),
        ]);
    }
}
