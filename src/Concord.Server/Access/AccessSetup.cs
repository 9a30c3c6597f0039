using System.Security.Claims;
using System.Threading.RateLimiting;
using Concord.Server.Data;
using Concord.Server.Problems;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Concord.Server.Access;

public static class AccessSetup
{
    /// <summary>The default scheme: a bearer token when the request carries one, else the sign-in cookie.</summary>
    public const string Scheme = "Concord";
    public const string SignInRateLimit = "sign-in";
    public const string PublicRateLimit = "public";

    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddScoped<CurrentStaff>();
        services.AddScoped<StaffSignIn>();
        services.AddSingleton<IAuthorizationHandler, PermissionHandler>();

        services.AddIdentity<StaffUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = configuration.GetValue("Concord:SignIn:MaxFailedAttempts", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("Concord:SignIn:LockoutMinutes", 15));
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<ConcordDb>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>();

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultAuthenticateScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
                o.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Token or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokens.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokens.Scheme, null);

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "concord.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/sign-in";
            o.AccessDeniedPath = "/sign-in";
            // The API answers 401/403 as problems; pages are redirected to the sign-in page.
            o.Events.OnRedirectToLogin = context => ApiOrRedirect(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => ApiOrRedirect(context, StatusCodes.Status403Forbidden);
        });

        services.AddDataProtection().SetApplicationName("Concord").PersistKeysToDbContext<ConcordDb>();
        services.AddAuthorization(Permissions.AddPolicies);

        services.AddRateLimiter(o =>
        {
            var signInPerMinute = configuration.GetValue("Concord:RateLimits:SignInPerMinute", 10);
            var publicPerMinute = configuration.GetValue("Concord:RateLimits:PublicPerMinute", 30);
            o.AddPolicy(SignInRateLimit, context => PerClient(context, signInPerMinute));
            o.AddPolicy(PublicRateLimit, context => PerClient(context, publicPerMinute));
            o.OnRejected = async (context, cancellationToken) =>
            {
                var result = Problem.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "title.rate_limited", Messages.Text("detail.rate_limited"));
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                // Portal: a resident's browser gets a page in its language, not a JSON problem.
                if (Features.Portal.PortalLimits.IsPortalPage(context.HttpContext))
                {
                    await Features.Portal.PortalLimits.WriteAsync(context.HttpContext, cancellationToken);
                    return;
                }

                await result.ExecuteAsync(context.HttpContext);
            };
        });

        return services;
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    private static Task ApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Adds the unit and the authentication kind to a cookie principal.</summary>
public sealed class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.Unit, user.UnitCode));
        identity.AddClaim(new Claim(StaffClaims.AuthenticatedBy, StaffClaims.ByCookie));
        return identity;
    }
}
