using Concord.Server.Audit;
using Concord.Server.Data;
using Microsoft.AspNetCore.Identity;

namespace Concord.Server.Access;

public enum SignInResultKind
{
    SignedIn,
    Failed,
    LockedOut,
    TwoFactorRequired,
    TwoFactorWrong,
}

public sealed record StaffSignInResult(SignInResultKind Kind, int LockedMinutes = 0);

/// <summary>
/// Signing a person in, for the API and the sign-in page alike: password with lockout, the TOTP
/// code when two-factor is on, the session cookie, and an audit entry for every attempt.
/// Unknown users and wrong passwords fail alike.
/// </summary>
public sealed class StaffSignIn(SignInManager<StaffUser> signIn, UserManager<StaffUser> users, ConcordDb db, TimeProvider clock)
{
    public async Task<StaffSignInResult> SignInAsync(string userName, string password, string? totp, string source, CancellationToken cancellationToken)
    {
        var actor = new Actor($"sign-in:{userName}", source);
        var now = clock.GetUtcNow().UtcDateTime;
        var user = await users.FindByNameAsync(userName);
        if (user is null || user.IsService)
        {
            return await FailAsync(actor, userName, "unknown user", new(SignInResultKind.Failed), cancellationToken);
        }

        actor = actor with { Id = user.Id };
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            var minutes = (int)Math.Ceiling(((user.LockoutEnd ?? clock.GetUtcNow()) - clock.GetUtcNow()).TotalMinutes);
            return await FailAsync(actor, userName, "locked out", new(SignInResultKind.LockedOut, Math.Max(1, minutes)), cancellationToken);
        }

        if (!result.Succeeded)
        {
            return await FailAsync(actor, userName, "wrong password", new(SignInResultKind.Failed), cancellationToken);
        }

        if (await users.GetTwoFactorEnabledAsync(user))
        {
            if (string.IsNullOrWhiteSpace(totp))
            {
                return new(SignInResultKind.TwoFactorRequired);
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, totp.Replace(" ", "")))
            {
                await users.AccessFailedAsync(user);
                return await FailAsync(actor, userName, "wrong one-time code", new(SignInResultKind.TwoFactorWrong), cancellationToken);
            }
        }

        await users.ResetAccessFailedCountAsync(user);
        await signIn.SignInAsync(user, isPersistent: false);
        AuditLog.Append(db, actor, "session.signed-in", "user", user.UserName, new { twoFactor = user.TwoFactorEnabled }, now);
        await db.SaveChangesAsync(cancellationToken);
        return new(SignInResultKind.SignedIn);
    }

    private async Task<StaffSignInResult> FailAsync(Actor actor, string userName, string reason, StaffSignInResult result, CancellationToken cancellationToken)
    {
        AuditLog.Append(db, actor, "session.sign-in-failed", "user", userName, new { reason }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }
}
