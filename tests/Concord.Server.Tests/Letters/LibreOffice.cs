using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Concord.Server.Tests.Letters;

/// <summary>
/// Converts documents to PDF with the machine's LibreOffice (<c>soffice --headless --convert-to pdf</c>),
/// each conversion with a private profile so that conversions never share or lock a user installation.
/// When LibreOffice is missing the calling test is skipped, or fails if <c>CONCORD_REQUIRE_LIBREOFFICE=1</c>.
/// </summary>
internal static partial class LibreOffice
{
    public const string RequireVariable = "CONCORD_REQUIRE_LIBREOFFICE";
    private const string InstallHint =
        "install it with `apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk` (Debian/Ubuntu)";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>The soffice executable on PATH; skips (or fails, when required) the test without one.</summary>
    public static string Require()
    {
        var found = Find();
        if (found is not null)
        {
            return found;
        }
        var message = "LibreOffice not installed: neither soffice nor libreoffice is on PATH; " + InstallHint;
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail(message + " (" + RequireVariable + "=1 makes this a failure)");
        }
        Assert.Skip(message + ", or set " + RequireVariable + "=1 to make this a failure");
        throw new UnreachableException();
    }

    private static string? Find()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var name in new[] { "soffice", "libreoffice" })
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    // soffice is a script that finds its program directory relative to where it really is.
                    return new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
                }
            }
        }
        return null;
    }

    /// <summary>Converts <paramref name="document"/> to a PDF in <paramref name="outputDirectory"/> and returns its path.</summary>
    public static async Task<string> ConvertToPdfAsync(string soffice, string document, string outputDirectory, CancellationToken cancellation)
    {
        var profile = Path.Combine(Path.GetTempPath(), "concord-lo-profile-" + Guid.NewGuid().ToString("N"));
        try
        {
            var start = new ProcessStartInfo(soffice)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-env:UserInstallation=" + new Uri(profile).AbsoluteUri);
            start.ArgumentList.Add("--headless");
            start.ArgumentList.Add("--norestore");
            start.ArgumentList.Add("--convert-to");
            start.ArgumentList.Add("pdf");
            start.ArgumentList.Add("--outdir");
            start.ArgumentList.Add(outputDirectory);
            start.ArgumentList.Add(document);

            using var process = Process.Start(start) ?? throw new InvalidOperationException("soffice did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellation);
            var error = process.StandardError.ReadToEndAsync(cancellation);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"soffice did not convert {document} within {Timeout.TotalSeconds:0} s");
            }

            var pdf = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(document) + ".pdf");
            if (process.ExitCode != 0 || !File.Exists(pdf))
            {
                throw new InvalidOperationException(
                    $"soffice exited with {process.ExitCode} and no {pdf}:\n{await output}\n{await error}");
            }
            return pdf;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    /// <summary>The pages of a PDF: its page objects (<c>/Type /Page</c>, not <c>/Pages</c>).</summary>
    public static int CountPages(byte[] pdf) => PageObject().Count(Encoding.Latin1.GetString(pdf));

    /// <summary>The MediaBox sizes (width, height) in points of a PDF's pages.</summary>
    public static IReadOnlyList<(double Width, double Height)> PageSizes(byte[] pdf) =>
        MediaBox().Matches(Encoding.Latin1.GetString(pdf))
            .Select(m => (
                double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) - double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture) - double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    [GeneratedRegex(@"/Type\s*/Page(?![A-Za-z])")]
    private static partial Regex PageObject();

    [GeneratedRegex(@"/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]")]
    private static partial Regex MediaBox();
}
