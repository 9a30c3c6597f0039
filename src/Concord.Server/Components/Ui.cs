using System.Globalization;
using Concord.Server.Catalog;
using Concord.Server.Problems;

namespace Concord.Server.Components;

/// <summary>
/// What the staff pages share: texts from the zh-CN/English catalogue (<see cref="Messages"/>, keys
/// <c>ui.*</c>), the culture cookie behind the language switch, and the check on return addresses.
/// </summary>
public static class Ui
{
    /// <summary>The cookie the language switch sets; request localization reads it before Accept-Language.</summary>
    public const string CultureCookie = "concord.culture";

    public static string T(string key, params object?[] args) => Messages.Text(key, args);

    public static string HtmlLanguage => Messages.IsZh ? "zh-CN" : "en";

    /// <summary>The supported cultures by their switch value; zh-CN is the default.</summary>
    public static readonly IReadOnlyDictionary<string, CultureInfo> Cultures = new Dictionary<string, CultureInfo>(StringComparer.OrdinalIgnoreCase)
    {
        ["zh-CN"] = new("zh-CN"),
        ["en"] = new("en"),
    };

    public static string RoleLabel(string role) => Messages.Has($"ui.role.{role}") ? T($"ui.role.{role}") : role;

    /// <summary>The unit's name in the page's language.</summary>
    public static string UnitName(Unit unit) => Messages.IsZh || string.IsNullOrWhiteSpace(unit.NameEn) ? unit.Name : unit.NameEn;

    /// <summary>
    /// The center the pages belong to (平凉市综治中心): the 综治中心 unit of the topmost territory in the
    /// catalogue, else a plain "综治中心" (a fresh installation without units).
    /// </summary>
    public static string CenterName(CatalogSnapshot catalog)
    {
        var center = catalog.Units.Values
            .Where(u => u.Kind == "center" && u.Name.EndsWith("综治中心", StringComparison.Ordinal) && catalog.Tree.Find(u.TerritoryCode) is not null)
            .OrderBy(u => catalog.Tree.ChainOf(u.TerritoryCode).Count)
            .ThenBy(u => u.Code, StringComparer.Ordinal)
            .FirstOrDefault();
        return center is null ? T("ui.center") : UnitName(center);
    }

    /// <summary>
    /// A path on this site ("/", "/matters?x=1"), never another site: not "//host", "/\host",
    /// "https://…", nor anything with a backslash or a control character.
    /// </summary>
    public static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Contains('\\', StringComparison.Ordinal)
        && !url.Any(char.IsControl);

    /// <summary>The local path to return to, or "/" for anything else.</summary>
    public static string LocalOrHome(string? url) => IsLocalUrl(url) ? url! : "/";
}
