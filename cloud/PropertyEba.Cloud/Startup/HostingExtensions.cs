using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Startup;

public static class HostingExtensions
{
    public static readonly string[] SupportedCultures = ["zh-CN", "en"];

    /// <summary>Problem details, OpenAPI, health checks, localization and the system clock.</summary>
    public static IServiceCollection AddServiceDefaults(this IServiceCollection services)
    {
        // Keys for antiforgery and circuits survive restarts, kept beside the rest of the service's data.
        services.AddDataProtection();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(keys =>
        {
            var data = sp.GetRequiredService<IOptions<PersistenceOptions>>().Value.DataDirectory;
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(Path.GetFullPath(data), "keys")), sp.GetRequiredService<ILoggerFactory>());
        }));
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails();

        // Binding failures throw, so BadRequestExceptionHandler can say which parameter was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddOpenApi();
        services.AddLocalization();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
        return services;
    }

    /// <summary>
    /// zh-CN unless the person chose otherwise: the culture cookie that the header switch sets through
    /// /culture/set, or ?culture= for one request (that one does not reach the dashboard's interactive
    /// circuit, which is why the switch uses the cookie). The browser's Accept-Language is deliberately
    /// not consulted for pages: the product's default language is Chinese. The REST API does honour it, so a
    /// phone app or a notifier gets alarm messages and ticket titles in the language it asks for.
    /// </summary>
    public static WebApplication UseChineseFirstLocalization(this WebApplication app)
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(SupportedCultures[0])
            .AddSupportedCultures(SupportedCultures)
            .AddSupportedUICultures(SupportedCultures);
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider(), new ApiAcceptLanguageCultureProvider()];
        app.UseRequestLocalization(options);
        return app;
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
                }, cancellationToken: context.RequestAborted);
            },
        });

        // Sets the language cookie and returns to the page the person was on (only a path of this
        // site: anything else, such as //other.host, would make this an open redirect).
        app.MapGet("/culture/set", Results<RedirectHttpResult, ProblemHttpResult> (string culture, string? redirectUri, HttpContext http, TimeProvider time) =>
        {
            if (!SupportedCultures.Contains(culture))
            {
                return ApiProblems.Invalid("culture", $"Culture '{culture}' is not supported; use one of {string.Join(", ", SupportedCultures)}.");
            }

            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = time.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            return TypedResults.LocalRedirect(redirectUri is { Length: > 0 } && RedirectHttpResult.IsLocalUrl(redirectUri) ? redirectUri : "/");
        }).ExcludeFromDescription();
        return app;
    }
}
