using Microsoft.AspNetCore.Localization;
using PropertyEba.Cloud.Hosting;

namespace PropertyEba.Cloud.Startup;

/// <summary>
/// The Accept-Language header, for requests to the REST API only: an API client states its reader's language in it,
/// while a browser's header says little about the language a Chinese estate's staff want on screen.
/// </summary>
internal sealed class ApiAcceptLanguageCultureProvider : RequestCultureProvider
{
    private readonly AcceptLanguageHeaderRequestCultureProvider _header = new();

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!httpContext.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return NullProviderCultureResult;
        }

        _header.Options = Options;
        return _header.DetermineProviderCultureResult(httpContext);
    }
}
