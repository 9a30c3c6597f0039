using System.Net;
using Concord.Server.Problems;

namespace Concord.Server.Features.Portal;

/// <summary>
/// When a resident's browser hits the public rate limit on a portal page, it gets a page in its
/// language saying so (429, Retry-After kept), not a JSON problem meant for programs.
/// </summary>
public static class PortalLimits
{
    public static bool IsPortalPage(HttpContext http) => http.Request.Path.StartsWithSegments("/portal");

    public static async Task WriteAsync(HttpContext http, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.ContentType = "text/html; charset=utf-8";
        var title = WebUtility.HtmlEncode(Messages.Text("ui.portal.limit_title"));
        var text = WebUtility.HtmlEncode(Messages.Text("ui.portal.limit_text"));
        var lang = Messages.IsZh ? "zh-CN" : "en";
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            $"<title>{title}</title><link rel=\"stylesheet\" href=\"/css/concord.css\"></head>" +
            $"<body><main class=\"page portal\"><h1>{title}</h1><p class=\"alert alert-error\" role=\"alert\">{text}</p><p><a href=\"/portal\">{WebUtility.HtmlEncode(Messages.Text("ui.portal.title"))}</a></p></main></body></html>", ct);
    }
}
