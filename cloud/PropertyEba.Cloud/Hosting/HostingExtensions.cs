using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Hosting;

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
        services.AddOpenApi();
        services.AddLocalization();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("ready");
        return services;
    }

    /// <summary>
    /// zh-CN unless the person chose otherwise (culture cookie or ?culture=). The browser's
    /// Accept-Language is deliberately not consulted: the product's default language is Chinese.
    /// </summary>
    public static WebApplication UseChineseFirstLocalization(this WebApplication app)
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(SupportedCultures[0])
            .AddSupportedCultures(SupportedCultures)
            .AddSupportedUICultures(SupportedCultures);
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
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

        // Sets the language cookie and returns to the page the person was on.
        app.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext http) =>
        {
            if (!SupportedCultures.Contains(culture))
            {
                return Results.Problem($"Culture '{culture}' is not supported; use one of {string.Join(", ", SupportedCultures)}.", statusCode: 400);
            }

            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(redirectUri is { Length: > 0 } && redirectUri.StartsWith('/') ? redirectUri : "/");
        }).ExcludeFromDescription();
        return app;
    }
}
