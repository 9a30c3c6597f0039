using System.Net;
using Concord.Server.Access.PersonalData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Concord.Browser.Tests.ConcordSite))]

namespace Concord.Browser.Tests;

/// <summary>
/// The real server (Program) on Kestrel at a free loopback port, over a fresh SQLite file with the
/// Pingliang demo, and Debian's Chromium driven by Playwright. One for the whole assembly; each
/// test gets its own browser context (its own cookies).
/// </summary>
public sealed class ConcordSite : IAsyncLifetime
{
    /// <summary>Debian's Chromium; Playwright never downloads a browser of its own here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Set to 1 (as CI does) to fail, not skip, when the browser is missing.</summary>
    public const string RequireVariable = "CONCORD_REQUIRE_BROWSER";

    public const string DispatcherToken = "cct_dispatcher-token-for-browser-tests-000000";

    private WebApplicationFactory<Program>? factory;
    private IPlaywright? playwright;
    private IBrowser? browser;
    private string? folder;
    private string? unavailable;

    /// <summary>The server's address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The server's services; skips the calling test when the browser is missing (and not required).</summary>
    public IServiceProvider Services
    {
        get
        {
            if (unavailable is not null)
            {
                Assert.Skip(unavailable);
            }

            return factory?.Services ?? throw new InvalidOperationException("The site is not started.");
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            unavailable = $"{ChromiumPath} is missing (apt-get install chromium); browser tests need Debian's Chromium.";
            if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            {
                throw new InvalidOperationException($"{unavailable} {RequireVariable}=1 requires it.");
            }

            return;
        }

        folder = Directory.CreateTempSubdirectory("concord-browser-").FullName;
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Concord:Database:Provider", "Sqlite");
            web.UseSetting("ConnectionStrings:Concord", $"Data Source={Path.Combine(folder, "concord.db")}");
            web.UseSetting("Concord:Demo", "true");
            web.UseSetting("Concord:Demo:Token", DispatcherToken);
            // No synthetic dispatch history (Demo/DemoHistory): the pages' tests count what they create.
            web.UseSetting("Concord:Demo:History", "0");
            web.UseSetting($"{PersonalDataKeyRing.KeysSetting}:test", Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
            web.UseSetting(PersonalDataKeyRing.CurrentKeySetting, "test");
            web.UseSetting(PersonalDataKeyRing.LookupKeySetting, Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray()));
            // Every test signs in from 127.0.0.1; the rate limit itself is tested in Concord.Server.Tests.
            web.UseSetting("Concord:RateLimits:SignInPerMinute", "10000");
            web.UseSetting("Concord:RateLimits:PublicPerMinute", "10000");
        });
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.Single().TrimEnd('/');

        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // As root in a container: no sandbox; nothing that reaches out to the network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A fresh browser context (no cookies) and a page in it, in the given language and viewport;
    /// skips the calling test when the browser is missing (and not required). Requests to any
    /// other address than the server are aborted, so that a wrong redirect can never leave the machine.
    /// </summary>
    public async Task<IPage> NewPageAsync(string locale = "zh-CN", int width = 1280, int height = 800)
    {
        if (unavailable is not null)
        {
            Assert.Skip(unavailable);
        }

        var context = await browser!.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = new() { Width = width, Height = height },
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
        });
        context.SetDefaultTimeout(15_000);
        await context.RouteAsync(url => !url.StartsWith(BaseUrl + "/", StringComparison.Ordinal) && url != BaseUrl, route => route.AbortAsync("blockedbyclient"));
        var page = await context.NewPageAsync();
        return page;
    }

    /// <summary>
    /// Where screenshots go: docs/images of the repository with CONCORD_SCREENSHOTS=1 (to refresh
    /// what the documentation shows), else a temporary folder, so that a test run leaves the tree clean.
    /// </summary>
    public static string ImagesFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CONCORD_SCREENSHOTS") != "1")
            {
                return Directory.CreateTempSubdirectory("concord-screenshots-").FullName;
            }

            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Concord.slnx")))
            {
                dir = dir.Parent;
            }

            var images = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Concord.slnx not found above the test folder."), "docs", "images");
            Directory.CreateDirectory(images);
            return images;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (factory is not null)
        {
            await factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
