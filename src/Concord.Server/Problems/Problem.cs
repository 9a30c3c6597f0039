using Concord.Domain.Matters;

namespace Concord.Server.Problems;

/// <summary>
/// RFC 9457 problem details with localized text. Field errors go in <c>errors</c>, keyed by the
/// JSON path of the field, so that a form can show each message beside its field.
/// </summary>
public static class Problem
{
    public const string ContentType = "application/problem+json";

    public static IResult Validation(IEnumerable<FieldError> errors) =>
        Create(StatusCodes.Status422UnprocessableEntity, "validation", "title.validation", null, Group(errors));

    public static IResult MalformedJson(long line, long bytePosition, string reason) =>
        Create(StatusCodes.Status400BadRequest, "malformed-json", "title.malformed_json", Messages.Text("detail.malformed_json", line + 1, bytePosition, reason));

    public static IResult BadRequest(IEnumerable<FieldError> errors) =>
        Create(StatusCodes.Status400BadRequest, "validation", "title.validation", null, Group(errors));

    public static IResult NotFound(string detailKey, params object?[] args) =>
        Create(StatusCodes.Status404NotFound, "not-found", "title.not_found", Messages.Text(detailKey, args));

    public static IResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "too-large", "title.too_large", Messages.Text("detail.too_large", limit));

    public static IResult UnsupportedMediaType(string expected) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "title.unsupported_media_type", Messages.Text("detail.unsupported_media_type", expected));

    public static IResult ImportRejected(IEnumerable<FieldError> errors) =>
        Create(StatusCodes.Status422UnprocessableEntity, "import-rejected", "title.import_rejected", null, Group(errors));

    /// <summary>
    /// Problems the framework writes itself (unknown route, 415 from content-type matching, 500):
    /// the same type URIs and localized titles as ours, and never a stack trace or exception text.
    /// </summary>
    public static void LocalizeFrameworkProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Detail = null;
        problem.Extensions.Remove("exception");
        var (type, title, detail) = problem.Status switch
        {
            StatusCodes.Status401Unauthorized => ("unauthorized", "title.unauthorized", (string?)null),
            StatusCodes.Status403Forbidden => ("forbidden", "title.forbidden", null),
            StatusCodes.Status404NotFound => ("not-found", "title.not_found", null),
            StatusCodes.Status413PayloadTooLarge => ("too-large", "title.too_large", null),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "title.unsupported_media_type", Messages.Text("detail.unsupported_media_type", "application/json; charset=utf-8")),
            >= 500 => ("server-error", "title.server_error", null),
            _ => (null, null, null),
        };
        if (type is not null)
        {
            problem.Type = $"{TypeBase}{type}";
            problem.Title = Messages.Text(title!);
            problem.Detail = detail;
        }
    }

    public const string TypeBase = "https://concord.invalid/problems/";

    public static IResult Create(int status, string type, string titleKey, string? detail, Dictionary<string, string[]>? errors = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"{TypeBase}{type}",
            ["title"] = Messages.Text(titleKey),
            ["status"] = status,
        };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        if (errors is not null)
        {
            body["errors"] = errors;
        }

        return Results.Json(body, statusCode: status, contentType: ContentType);
    }

    private static Dictionary<string, string[]> Group(IEnumerable<FieldError> errors) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => Messages.Text(e.MessageKey, e.Args)).ToArray(), StringComparer.Ordinal);
}
