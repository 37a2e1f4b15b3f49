using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Identity;

/// <summary>
/// Signing in and out: the dashboard's form (a cookie), and bearer tokens for programs, the API and the hub. There is
/// no self-registration: users are created by their tenant's administrator (or, for the first one, the platform operator).
/// </summary>
public static class AccountEndpoints
{
    public const string SignInPath = "/account/login";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // The form posts here; the page itself is the dashboard's (Pages/SignIn.razor). Antiforgery is checked for forms.
        app.MapPost(SignInPath, SignInWithForm).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/account/logout", SignOut).ExcludeFromDescription().RequireAuthorization();

        var auth = app.MapGroup("/api/auth").WithTags("Sign-in");
        auth.MapPost("/token", IssueToken).AllowAnonymous()
            .WithName("IssueToken").WithSummary("Signs in with user name and password; answers a bearer token and a refresh token.")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/refresh", RefreshToken).AllowAnonymous()
            .WithName("RefreshToken").WithSummary("Exchanges a refresh token for a new bearer token (refused once the user's roles or password changed).")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapGet("/me", Me).RequireAuthorization()
            .WithName("GetCaller").WithSummary("Who the caller is: user, tenant, roles and sites.");
        return app;
    }

    public static async Task<RedirectHttpResult> SignInWithForm(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl, SignInManager<EbaUser> signIn)
    {
        var back = returnUrl is { Length: > 0 } && RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl : "/";
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return TypedResults.Redirect($"{SignInPath}?error=missing&returnUrl={Uri.EscapeDataString(back)}");
        }

        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        var result = await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
        return result.Succeeded
            ? TypedResults.LocalRedirect(back)
            : TypedResults.Redirect($"{SignInPath}?error={(result.IsLockedOut ? "locked" : "invalid")}&returnUrl={Uri.EscapeDataString(back)}");
    }

    public static async Task<RedirectHttpResult> SignOut(SignInManager<EbaUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect(SignInPath);
    }

    /// <summary>On success the bearer handler writes the token response itself.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> IssueToken(TokenRequest request, SignInManager<EbaUser> signIn)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.Problem("'userName' and 'password' are required.", statusCode: StatusCodes.Status400BadRequest, title: "Missing credentials");
        }

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signIn.PasswordSignInAsync(request.UserName, request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.Empty;
        }

        return TypedResults.Problem(
            result.IsLockedOut ? "The account is locked after too many failed sign-ins, or by an administrator; try again later." : "Wrong user name or password.",
            statusCode: StatusCodes.Status401Unauthorized, title: result.IsLockedOut ? "Locked out" : "Sign-in failed");
    }

    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshToken(
        RefreshRequest request, SignInManager<EbaUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time)
    {
        var protector = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Problem("The refresh token is invalid or expired, or the user's roles or password changed since: sign in again.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Refresh refused");
        }

        return TypedResults.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
    }

    public static Ok<CallerDto> Me(HttpContext http)
    {
        var caller = EbaClaims.CallerOf(http.User);
        return TypedResults.Ok(new CallerDto(http.User.Identity?.Name ?? "", http.User.FindFirst(EbaClaims.DisplayName)?.Value ?? "", caller.TenantId,
            [.. caller.Roles.Order(StringComparer.Ordinal)], caller.SiteIds is { } s ? [.. s.Order(StringComparer.Ordinal)] : null));
    }
}
