using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Identity;

/// <summary>Runs the rest of each request as its caller (anonymous until signed in), so no request escapes the query filters.</summary>
internal sealed class CallerMiddleware(RequestDelegate next, CallerAccessor callers)
{
    public async Task InvokeAsync(HttpContext context)
    {
        using (callers.Enter(EbaClaims.CallerOf(context.User)))
        {
            await next(context);
        }
    }
}
