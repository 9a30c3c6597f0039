using System.Text.RegularExpressions;
using Concord.Domain.Matters;
using Concord.Server.Features.Handling;
using Concord.Server.Problems;

namespace Concord.Browser.Tests;

/// <summary>Every text the pages show comes from the catalogue: no key a page names is missing, and every wire name has its label.</summary>
public sealed partial class PageTextTests
{
    [Fact]
    public void Every_ui_key_a_page_names_is_in_the_catalogue()
    {
        // The pages of Components/ and of the feature folders (Features/*/Pages), and the code they call.
        var components = Path.Combine(RepositoryRoot(), "src", "Concord.Server");
        var missing = Directory.EnumerateFiles(components, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => UiKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(k => !Messages.Has(k.Key))
            .Select(k => $"{k.File}: {k.Key}")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void Every_entry_of_the_catalogue_has_both_languages()
    {
        var missing = Messages.Keys
            .Where(k => k.StartsWith("ui.", StringComparison.Ordinal))
            .Where(k => string.IsNullOrWhiteSpace(Text(k, "zh-CN")) || string.IsNullOrWhiteSpace(Text(k, "en")) || (Text(k, "zh-CN") == k) || (Text(k, "en") == k))
            .ToList();
        Assert.True(missing.Count == 0, string.Join(", ", missing));
    }

    private static string Text(string key, string culture)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(culture);
            return Messages.Text(key);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void Every_status_kind_channel_step_and_event_has_a_label()
    {
        var keys = WireNames.StatusNames.Select(s => $"ui.status.{s}")
            .Concat(WireNames.KindNames.Select(k => $"ui.kind.{k}"))
            .Concat(WireNames.ChannelNames.Select(c => $"ui.channel.{c}"))
            .Concat(HandlingEndpoints.Steps.Keys.Select(s => $"ui.action.{s}"))
            .Concat(new[]
            {
                "received", "located", "categorized", "routed", "dispatched", "redispatched", "determined_on_site", "accepted", "progress",
                "returned", "extension_requested", "extension_approved", "extension_refused", "replied", "verdict", "to_review", "closed",
                "reopened", "merged", "repeat_complaint", "rejected", "letter", "personal-data-erased",
            }.Select(e => $"ui.event.{e}"))
            .Concat(Enum.GetValues<Concord.Server.Features.Letters.LetterKind>().Select(k => $"ui.letter_kind.{Concord.Server.Features.Letters.LetterKinds.Wire(k)}"))
            .Concat(new[] { "green", "yellow", "red" }.Select(l => $"ui.light.{l}"));
        var missing = keys.Where(k => !Messages.Has(k)).ToList();
        Assert.True(missing.Count == 0, string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Concord.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Concord.slnx not found above the test folder.");
    }

    [GeneratedRegex("\"(ui\\.[A-Za-z0-9_.-]+[A-Za-z0-9_-])\"")]
    private static partial Regex UiKey();
}
