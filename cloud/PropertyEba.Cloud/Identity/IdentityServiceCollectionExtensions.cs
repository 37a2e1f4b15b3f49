using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Identity;

public static class IdentityServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Core Identity on the relational store: cookie sign-in for the dashboard, bearer tokens for the API and
    /// the hub (one scheme that takes whichever the request carries), the roles, and the policies every route states.
    /// </summary>
    public static IServiceCollection AddEbaIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuditTrail();
        services.AddValidatedOptions<EbaIdentityOptions, EbaIdentityOptionsValidator>(configuration, EbaIdentityOptions.SectionName);

        // Identity's stores take the scoped EbaDbContext that AddPersistence registers from the same factory.
        services.AddIdentityApiEndpoints<EbaUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<EbaDbContext>()
            .AddClaimsPrincipalFactory<EbaClaimsPrincipalFactory>();

        // Identity's combined scheme reads a bearer token or the cookie, but challenges as bearer (a bare 401). The
        // dashboard's pages must send a browser to the sign-in page instead; the cookie's events below keep the 401
        // for the API and the hub.
        services.Configure<AuthenticationOptions>(o => o.DefaultChallengeScheme = IdentityConstants.ApplicationScheme);

        services.AddOptions<IdentityOptions>().Configure<IOptions<EbaIdentityOptions>>((identity, eba) =>
        {
            identity.Password.RequiredLength = eba.Value.MinimumPasswordLength;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 4;
            identity.Lockout.MaxFailedAccessAttempts = eba.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = eba.Value.LockoutDuration;
            identity.Lockout.AllowedForNewUsers = true;
            identity.User.RequireUniqueEmail = false;
            identity.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
        });

        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = AccountEndpoints.SignInPath;
            cookie.AccessDeniedPath = AccountEndpoints.SignInPath;
            cookie.Cookie.Name = "eba.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);

            // A program calling the API or the hub gets a status code, not a redirect to a page it cannot use.
            cookie.Events.OnRedirectToLogin = context => AnswerProgramOr(context.HttpContext, StatusCodes.Status401Unauthorized, () => context.Response.Redirect(context.RedirectUri));
            // A signed-in person who typed the address of a page their role may not open lands on the sign-in page
            // told why (to sign in as someone who may), rather than on the bare form as if signed out.
            cookie.Events.OnRedirectToAccessDenied = context => AnswerProgramOr(context.HttpContext, StatusCodes.Status403Forbidden,
                () => context.Response.Redirect(QueryHelpers.AddQueryString(context.RedirectUri, "error", "denied")));
        });

        // A browser's WebSocket cannot send an Authorization header: the hub takes the bearer token from the query.
        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, bearer => bearer.Events.OnMessageReceived = context =>
        {
            if (context.Request.Path.StartsWithSegments(LiveHub.Path) && context.Request.Query["access_token"] is { Count: 1 } token)
            {
                context.Token = token[0];
            }

            return Task.CompletedTask;
        });

        services.AddSingleton<IAuthorizationHandler, TenantRouteHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.TenantMember, p => p.RequireAuthenticatedUser().RequireRole(Roles.TenantRoles).AddRequirements(new TenantRouteRequirement()))
            .AddPolicy(Policies.ManageConfiguration, p => TenantPolicy(p, Roles.Administrator))
            .AddPolicy(Policies.ManageEquipment, p => TenantPolicy(p, Roles.Administrator, Roles.Installer))
            .AddPolicy(Policies.ManageAlarmRules, p => TenantPolicy(p, Roles.Administrator, Roles.Engineer))
            .AddPolicy(Policies.SendCommands, p => TenantPolicy(p, Roles.Administrator, Roles.Engineer))
            .AddPolicy(Policies.OperateAlarms, p => TenantPolicy(p, Roles.Administrator, Roles.Engineer, Roles.Technician))
            .AddPolicy(Policies.WorkTickets, p => TenantPolicy(p, Roles.Administrator, Roles.Engineer, Roles.Technician))
            .AddPolicy(Policies.ReadAudit, p => TenantPolicy(p, Roles.Administrator))
            .AddPolicy(Policies.OperatePlatform, p => p.RequireAuthenticatedUser().RequireRole(Roles.PlatformOperator));

        services.AddCascadingAuthenticationState();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton<InitialSignIns>();
        services.AddHostedService<PlatformOperatorSeeder>();
        return services;
    }

    /// <summary>Authentication, then the caller of every request, for the query filters and the audit trail.</summary>
    public static WebApplication UseEbaIdentity(this WebApplication app)
    {
        app.UseMiddleware<BrowserOriginCheck>();
        app.UseAuthentication();
        app.UseMiddleware<CallerMiddleware>();
        app.UseAuthorization();
        return app;
    }

    private static void TenantPolicy(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.RequireAuthenticatedUser().RequireRole(roles).AddRequirements(new TenantRouteRequirement());

    private static Task AnswerProgramOr(HttpContext http, int status, Action redirect)
    {
        if (http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments(LiveHub.Path))
        {
            http.Response.StatusCode = status;
        }
        else
        {
            redirect();
        }

        return Task.CompletedTask;
    }
}
