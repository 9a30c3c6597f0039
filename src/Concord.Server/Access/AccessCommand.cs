using System.Security.Cryptography;
using Concord.Server.Audit;
using Concord.Server.Data;
using Microsoft.AspNetCore.Identity;

namespace Concord.Server.Access;

/// <summary>
/// Command-line access administration, for what must work before anyone can sign in:
/// <c>access create-admin NAME UNIT</c> (prints a generated password once) and
/// <c>access disable-demo</c> (locks the demo accounts and revokes the demo tokens).
/// </summary>
public static class AccessCommand
{
    public static async Task<int?> TryRunAsync(string[] args, IServiceProvider services)
    {
        if (args.Length < 2 || args[0] != "access")
        {
            return null;
        }

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var db = provider.GetRequiredService<ConcordDb>();
        var now = provider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        switch (args[1])
        {
            case "disable-demo":
                await provider.GetRequiredService<DemoAccounts>().DisableAsync(CancellationToken.None);
                AuditLog.Append(db, Actor.System, "access.demo-disabled", null, null, null, now);
                await db.SaveChangesAsync();
                Console.WriteLine("Demo accounts locked and demo tokens revoked.");
                return 0;

            case "create-admin" when args.Length == 4:
                var users = provider.GetRequiredService<UserManager<StaffUser>>();
                var password = "Ca1-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
                var user = new StaffUser { UserName = args[2], DisplayName = args[2], UnitCode = args[3], CreatedAt = now };
                var result = await users.CreateAsync(user, password);
                if (!result.Succeeded)
                {
                    Console.Error.WriteLine(string.Join(Environment.NewLine, result.Errors.Select(e => e.Description)));
                    return 1;
                }

                await users.AddToRoleAsync(user, Roles.Admin);
                AuditLog.Append(db, Actor.System, "user.created", "user", user.UserName, new { user.UnitCode, roles = new[] { Roles.Admin } }, now);
                await db.SaveChangesAsync();
                Console.WriteLine($"Admin {user.UserName} created in unit {user.UnitCode}. Password (shown once): {password}");
                return 0;

            default:
                Console.Error.WriteLine("Usage: access disable-demo | access create-admin USERNAME UNITCODE");
                return 1;
        }
    }
}
