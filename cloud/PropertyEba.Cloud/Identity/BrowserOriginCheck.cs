using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Realtime;

namespace PropertyEba.Cloud.Identity;

/// <summary>
/// Refuses a browser connection to the live hub or the dashboard's circuit from a page of another origin: a browser
/// attaches the person's cookie to a WebSocket opened by any site, so without this check any page the person visits
/// could read their live values (cross-site WebSocket hijacking). Requests without an Origin header (programs) pass.
/// </summary>
internal sealed partial class BrowserOriginCheck(RequestDelegate next, IOptions<EbaIdentityOptions> options, ILogger<BrowserOriginCheck> logger)
{
    private readonly HashSet<string> _allowed = options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if ((path.StartsWithSegments(LiveHub.Path) || path.StartsWithSegments("/_blazor"))
            && context.Request.Headers.Origin is { Count: > 0 } origin
            && !IsAllowed(context.Request, origin.ToString()))
        {
            LogRefused(origin.ToString(), path.Value ?? "");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }

        return next(context);
    }

    private bool IsAllowed(HttpRequest request, string origin) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) || _allowed.Contains(origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a browser connection from origin {Origin} to {Path}: not this service's origin nor in Identity:AllowedOrigins")]
    private partial void LogRefused(string origin, string path);
}
