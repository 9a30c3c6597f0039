using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.StaticAssets;

namespace Concord.Server.Components;

/// <summary>
/// The staff web pages (Blazor static server rendering) and their files. Access: the files of wwwroot
/// are public by design (the stylesheet and icon are needed on the sign-in page); every page names its
/// own access with [AllowAnonymous] or [Authorize(Policy = Permissions.X)] (EndpointPolicyTests).
/// </summary>
public static class StaffPages
{
    public static IEndpointRouteBuilder MapStaffPages(this IEndpointRouteBuilder app)
    {
        // One group, only to reach every endpoint that MapStaticAssets and MapRazorComponents make (both on
        // the same builder, so that pages link the files by their fingerprinted names). "Finally": after the
        // static assets have their descriptors.
        var site = app.MapGroup("");
        ((IEndpointConventionBuilder)site).Finally(endpoint =>
        {
            if (IsPublic(endpoint))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        site.MapStaticAssets();
        site.MapRazorComponents<App>();
        return app;
    }

    /// <summary>
    /// A file of wwwroot or of the framework; the fallback that serves files added to wwwroot after the build
    /// (when running from a build); and Blazor's redirect after an enhanced form post (e.g. to the sign-in page).
    /// </summary>
    private static bool IsPublic(EndpointBuilder endpoint) =>
        endpoint.Metadata.Any(m => m is StaticAssetDescriptor)
        || endpoint is RouteEndpointBuilder { RoutePattern.RawText: "/_framework/opaque-redirect" or "_framework/opaque-redirect" or "/{**path:file}" or "{**path:file}" };
}
