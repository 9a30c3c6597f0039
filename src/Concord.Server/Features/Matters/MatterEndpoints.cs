using System.Text;
using System.Text.Json;
using Concord.Domain.Matters;
using Concord.Domain.Territories;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Data;
using Concord.Server.Http;
using Concord.Server.Problems;
using Microsoft.EntityFrameworkCore;

namespace Concord.Server.Features.Matters;

public static class MatterEndpoints
{
    /// <summary>A matter's JSON is a few KB at most (4,000-character description); anything far larger is refused.</summary>
    public const long MaxIntakeBytes = 256 * 1024;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static IServiceCollection AddMatters(this IServiceCollection services) =>
        services.AddScoped<MatterIntake>().AddSingleton<MatterNumberBlocks>();

    public static IEndpointRouteBuilder MapMatters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/matters").WithTags("Matters");

        group.MapPost("/", TakeInAsync)
            .RequireAuthorization(Permissions.MattersIntake)
            .WithSummary("Take in a matter (受理): locate, categorize, route; idempotent with an Idempotency-Key header")
            .Accepts<IntakeRequest>("application/json")
            .Produces<MatterView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/{code}", async (string code, HttpContext http, ConcordDb db, CatalogStore catalog, CurrentStaff staff, MatterPersonalData personalData,
            Handling.MatterHandling handling, Handling.Deadlines deadlines, TimeProvider clock, CancellationToken ct) =>
        {
            var matter = await db.Matters.AsNoTracking().SingleOrDefaultAsync(m => m.Code == code, ct);
            // Out of scope is answered exactly like "no such matter", so existence does not leak.
            if (matter is null || !(await staff.ScopeAsync(ct)).Covers(matter))
            {
                return Problem.NotFound("detail.matter_not_found", code);
            }

            http.Response.Headers.ETag = Handling.HandlingEndpoints.ETag(matter.Version);
            return Results.Ok(await Handling.HandlingEndpoints.ViewAsync(matter, handling, catalog, personalData, deadlines, clock, db, ct));
        }).RequireAuthorization(Permissions.MattersRead)
          .WithSummary("One matter with its timeline").Produces<MatterView>().ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", ListAsync)
            .RequireAuthorization(Permissions.MattersRead)
            .WithSummary("Matters, newest first, with keyset pagination; territory includes its whole subtree, category its subcategories; q searches title, description, reply and address (Chinese words), most relevant first, with a highlighted snippet")
            .Produces<MatterPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    private static async Task<IResult> TakeInAsync(HttpContext http, ConcordDb db, MatterIntake intake, CatalogStore catalog, CurrentStaff staff, MatterPersonalData personalData, CancellationToken ct)
    {
        var clientKey = http.Request.Headers[Idempotency.Header].ToString();
        if (clientKey.Length > 0 && !Idempotency.IsWellFormed(clientKey))
        {
            return Problem.BadRequest([new FieldError(Idempotency.Header, "idempotency_key")]);
        }

        // Keys are per caller: one client can neither collide with nor replay another's answer.
        var key = clientKey.Length > 0 ? $"{staff.UserId}:{clientKey}" : "";

        var body = await RequestBody.ReadJsonAsync(http.Request, MaxIntakeBytes, ct);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        using var document = body.Document!;
        var hash = Idempotency.Hash(body.Bytes!, http.RequestServices.GetRequiredService<PersonalDataProtector>());

        // A key seen before is answered as it was. The key's unique constraint catches a repeat on the
        // way in (see the catch below), so the usual, first request pays no look-up; a request about
        // to be refused looks its key up first, so a retry is replayed (or 422) whatever its body.
        async Task<IResult> RefuseAsync(IResult problem) =>
            key.Length > 0 && await Idempotency.FindAsync(db, key, ct) is { } earlier ? Replay(http, earlier, hash) : problem;

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return await RefuseAsync(Problem.Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.not_object")));
        }

        var (draft, readErrors) = IntakeRequestReader.Read(document.RootElement);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await intake.TakeInAsync(draft, actor: staff.Actor.Id, ct);
        var errors = readErrors.Concat(outcome.Errors).ToList();
        if (errors.Count > 0)
        {
            return await RefuseAsync(Problem.Validation(errors));
        }

        var matter = outcome.Matter!;
        if (!(await staff.ScopeAsync(ct)).CoversPlace(matter))
        {
            return await RefuseAsync(Problem.Create(StatusCodes.Status403Forbidden, "out-of-scope", "title.out_of_scope", Messages.Text("detail.place_out_of_scope", matter.TerritoryCode)));
        }

        AuditLog.Append(db, staff.Actor, "matter.created", "matter", matter.Code,
            new { matter.Kind, matter.Channel, matter.TerritoryCode, matter.CategoryCode, matter.LeadUnitCode, matter.RoutingRuleId }, matter.ReceivedAt);
        var location = $"/api/v1/matters/{matter.Code}";
        // The response is rendered in the caller's language and stored with the key, so a retry sees exactly this answer.
        var view = Views.Matter(matter, catalog.Current, matter.Events, personalData);
        var jsonOptions = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        // 并单: the candidates found at intake ride along in "duplicates", next to the matter's own fields.
        var answer = JsonSerializer.SerializeToNode(view, jsonOptions)!.AsObject();
        var duplicates = await http.RequestServices.GetRequiredService<Duplicates.DuplicateSearch>().FindAsync(matter, await staff.ScopeAsync(ct), ct);
        answer["duplicates"] = JsonSerializer.SerializeToNode(duplicates, jsonOptions);
        var json = answer.ToJsonString(jsonOptions);
        if (key.Length > 0)
        {
            db.IdempotencyKeys.Add(new IdempotencyRow { Key = key, RequestHash = hash, StatusCode = StatusCodes.Status201Created, ResponseBody = json, Location = location, CreatedAt = matter.ReceivedAt });
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (key.Length > 0 && Idempotency.IsDuplicateKey(e))
        {
            // This key was stored before (a retry) or by a concurrent request that committed first: answer as it was answered.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            var winner = await Idempotency.FindAsync(db, key, ct);
            return winner is null
                ? Problem.Create(StatusCodes.Status409Conflict, "idempotency-in-flight", "title.idempotency_in_flight", Messages.Text("detail.idempotency_in_flight"))
                : Replay(http, winner, hash);
        }

        http.Response.Headers.Location = location;
        return Results.Text(json, "application/json", Encoding.UTF8, StatusCodes.Status201Created);
    }

    private static IResult Replay(HttpContext http, IdempotencyRow earlier, string hash)
    {
        if (earlier.RequestHash != hash)
        {
            return Problem.Create(StatusCodes.Status422UnprocessableEntity, "idempotency-mismatch", "title.idempotency_mismatch", Messages.Text("detail.idempotency_mismatch"));
        }

        http.Response.Headers[Idempotency.ReplayedHeader] = "true";
        if (earlier.Location is not null)
        {
            http.Response.Headers.Location = earlier.Location;
        }

        return Results.Text(earlier.ResponseBody, "application/json", Encoding.UTF8, earlier.StatusCode);
    }

    private static async Task<IResult> ListAsync(
        ConcordDb db, CatalogStore catalog, CurrentStaff staff, Search.SearchSettings search, CancellationToken ct,
        string? q = null, string? territory = null, string? kind = null, string? status = null, string? category = null,
        string? from = null, string? to = null, string? cursor = null, int? limit = null, string? sort = null)
    {
        // The filters and the search (q) live in Features/Search/MatterList, shared with the /matters page and the export.
        var size = limit ?? DefaultPageSize;
        var sizeErrors = size is < 1 or > MaxPageSize ? [new FieldError("limit", "limit_range", MaxPageSize)] : new List<FieldError>();
        var snapshot = catalog.Current;
        var listed = await Search.MatterList.ReadAsync(
            db, snapshot, await staff.ScopeAsync(ct), new Search.MatterListFilter(q, territory, kind, status, category, from, to, sort), cursor, Math.Clamp(size, 1, MaxPageSize), search.RankedAmong, ct);
        var (rows, next, errors) = listed;
        if (errors.Count + sizeErrors.Count > 0)
        {
            return Problem.BadRequest(sizeErrors.Concat(errors));
        }

        return Results.Ok(new MatterPage(rows.Select(r => Views.Summary(r.Matter, snapshot) with { Snippet = r.Snippet?.ToHtml() }).ToList(), next, listed.RankedAmong));
    }
}

/// <summary>A page of the list; <see cref="RankedAmong"/>: a search matched more matters than it ranks (search: the newest that many, by relevance).</summary>
public sealed record MatterPage(IReadOnlyList<MatterSummary> Items, string? NextCursor, int? RankedAmong = null);

/// <summary>The intake body, for the OpenAPI document (the endpoint reads the JSON itself to report every fault).</summary>
public sealed record IntakeRequest(
    string Kind,
    string Channel,
    string Title,
    string Description,
    string? CategoryCode,
    IntakeLocation? Location,
    string? TerritoryCode,
    string? Address,
    DateTimeOffset? OccurredAt,
    IntakePerson? Reporter,
    IReadOnlyList<IntakeParty>? Parties);

public sealed record IntakeLocation(double Lat, double Lon);

public sealed record IntakePerson(string? Name, string? Phone);

public sealed record IntakeParty(string Name, string? Phone, string? Role);

/// <summary>An opaque keyset cursor: the last row's (ReceivedAt, Id).</summary>
public readonly record struct PageCursor(DateTime ReceivedAt, long Id)
{
    public static string Encode(PageCursor cursor) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{cursor.ReceivedAt.Ticks}.{cursor.Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out PageCursor cursor)
    {
        cursor = default;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && long.TryParse(parts[1], out var id) && ticks >= 0 && ticks <= DateTime.MaxValue.Ticks)
            {
                cursor = new PageCursor(new DateTime(ticks, DateTimeKind.Utc), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
