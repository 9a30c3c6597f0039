using System.Globalization;
using Concord.Server.Access;
using Concord.Server.Access.PersonalData;
using Concord.Server.Audit;
using Concord.Server.Catalog;
using Concord.Server.Components;
using Concord.Server.Demo;
using Concord.Server.Features.Catalogue;
using Concord.Server.Features.Figures;
// Duplicates (并单)
using Concord.Server.Features.Duplicates;
using Concord.Server.Features.Handling;
using Concord.Server.Features.Health;
using Concord.Server.Features.Letters;
using Concord.Server.Features.Mediation;
using Concord.Server.Features.Portal;
using Concord.Server.Features.Risks;
using Concord.Server.Features.Situation;
using Concord.Server.Features.Matters;
using Concord.Server.Features.Open311;
using Concord.Server.Features.Territories;
// Early warning, analysis sessions and bulletins (预警, 研判, 周报/专报).
using Concord.Server.Features.Warnings;
using Concord.Server.Features.Analysis;
using Concord.Server.Features.Bulletins;
using Concord.Server.Problems;
using Concord.Server.Startup;
using Microsoft.AspNetCore.Localization;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

// The README promises http://127.0.0.1:5080; any ASP.NET way of setting URLs (ASPNETCORE_URLS, --urls) still wins.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
    && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_HTTP_PORTS"])
    && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// `dotnet run` serves the build output (not a publish) in any environment: load the static web
// assets manifest of the build, so the pages get their stylesheet outside Development too. A
// published app has no such manifest, and this does nothing there.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(new LocalCalendar(TimeZoneInfo.FindSystemTimeZoneById(builder.Configuration["Concord:TimeZone"] ?? "Asia/Shanghai")));
builder.Services.AddSingleton<Readiness>();
builder.Services.AddSingleton<Preparation>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Preparation>());
builder.Services.AddConcordDatabase(builder.Configuration);
builder.Services.AddSingleton<CatalogStore>();
builder.Services.AddHostedService<CatalogRefresher>();
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddScoped<DemoAccounts>();
builder.Services.AddAccess(builder.Configuration);
builder.Services.AddPersonalData(builder.Configuration);
builder.Services.AddAudit();
builder.Services.AddHandling();
builder.Services.AddTerritories();
builder.Services.AddMatters();
builder.Services.AddFigures();
// Search: how many matches of a common word are ranked (Features/Search/MatterList).
builder.Services.AddSingleton(Concord.Server.Features.Search.SearchSettings.From(builder.Configuration));
// Mediation (矛盾纠纷多元化解)
builder.Services.AddMediation();
// Duplicates (并单): candidate search, signatures and their backfill.
builder.Services.AddDuplicates(builder.Configuration);
// Risks: the register, screening campaigns, information reports (Features/Risks).
builder.Services.AddRisks();
// Early warning, analysis sessions and bulletins (预警, 研判, 周报/专报).
builder.Services.AddWarnings();
builder.Services.AddAnalysis();
builder.Services.AddBulletins();
// Suggestions (智能分拨) and the versioned dispatch catalogue (派单目录).
Concord.Server.Features.Suggestions.SuggestionEndpoints.AddSuggestions(builder.Services);
Concord.Server.Features.Catalogue.Versions.CatalogueVersionEndpoints.AddDispatchCatalogue(builder.Services);
// staff pages: the grid map's GeoJSON, the queues and the XLSX exports
builder.Services.AddSituation();
// Portal (residents' door) and Open311
builder.Services.AddPortal();
builder.Services.AddRazorComponents();

builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problem.LocalizeFrameworkProblem);
builder.Services.AddRequestLocalization(o =>
{
    CultureInfo[] cultures = [new("zh-CN"), new("en")];
    o.DefaultRequestCulture = new RequestCulture("zh-CN");
    o.SupportedCultures = cultures;
    o.SupportedUICultures = cultures;
    // The language switch of the staff pages (a cookie) first, then the browser's Accept-Language.
    o.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = Ui.CultureCookie }, new AcceptLanguageHeaderRequestCultureProvider()];
});
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
});
builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
{
    document.Info.Title = "Concord API";
    document.Info.Description = "The comprehensive governance center (综治中心): matter intake, territories and grids, routing. Errors are RFC 9457 problem details in zh-CN or English (Accept-Language).";
    return Task.CompletedTask;
}));

var app = builder.Build();

// Command-line administration (e.g. `dotnet run --project src/Concord.Server -- audit verify`) runs and exits.
if (args.Length > 0 && args[0] is "access" or "audit" or "personal-data" or "search" or "sweep")
{
    await app.Services.GetRequiredService<Preparation>().PrepareAsync(forCommand: true, CancellationToken.None);
    return await AccessCommand.TryRunAsync(args, app.Services)
        ?? await AuditCommand.TryRunAsync(args, app.Services)
        ?? await PersonalDataRekeying.TryRunAsync(args, app.Services)
        ?? await Concord.Server.Features.Search.SearchCommand.TryRunAsync(args, app.Services) // search
        ?? await Concord.Server.Features.Handling.SweepCommand.TryRunAsync(args, app.Services) // sweep once (benchmarks, after downtime)
        ?? 1;
}

// Localization first, so that problems written on the way out (status pages, the exception handler) are localized too.
app.UseRequestLocalization();
app.UseExceptionHandler();
app.UseSecurityHeaders();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi().AllowAnonymous();
// Deployments are offline: no hosted proxy, agent, telemetry or web fonts behind the API reference.
app.MapScalarApiReference(o => o
    .WithTitle("Concord API")
    .HideDeveloperTools()
    .DisableAgent()
    .DisableMcp()
    .DisableTelemetry()
    .DisableDefaultFonts()
    .WithProxy(null!)).AllowAnonymous();
app.MapHealth();
app.MapTerritories();
app.MapCatalogue();
app.MapAccess();
app.MapAudit(Permissions.AuditRead);
app.MapMatters();
app.MapMatterPersonalData();
app.MapHandling();
app.MapLetters();
app.MapPortal();
app.MapFigures();
// Mediation (矛盾纠纷多元化解)
app.MapMediation();
// Duplicates (并单)
app.MapDuplicates();
// Risks: the register, screening campaigns, information reports (Features/Risks).
app.MapRisks();
// Early warning, analysis sessions and bulletins (预警, 研判, 周报/专报).
app.MapWarnings();
app.MapAnalysis();
app.MapBulletins();
// Suggestions (智能分拨) and the versioned dispatch catalogue (派单目录).
Concord.Server.Features.Suggestions.SuggestionEndpoints.MapSuggestions(app);
Concord.Server.Features.Catalogue.Versions.CatalogueVersionEndpoints.MapCatalogueVersions(app);
// search: the matter list export (q itself is on GET /api/v1/matters)
Concord.Server.Features.Search.SearchEndpoints.MapSearch(app);
// staff pages: the grid map's GeoJSON and the XLSX exports
app.MapGridMap();
app.MapSituationExports();
// Portal (residents' door) and Open311
app.MapOpen311();

// The staff pages (Components/): MapStaticAssets() and MapRazorComponents<App>(), each page naming its own access.
app.MapStaffPages();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        Console.WriteLine($"Concord is ready at {url}  (API reference: {url}/scalar, health: {url}/health)");
    }
});
await app.RunAsync();
return 0;

/// <summary>Entry point; public so that tests can host the real server.</summary>
public partial class Program;
