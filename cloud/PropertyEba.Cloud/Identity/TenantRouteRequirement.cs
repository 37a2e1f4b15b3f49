using Microsoft.AspNetCore.Authorization;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Identity;

/// <summary>
/// The tenant in the route (<c>/api/tenants/{tenantId}/…</c>) is the caller's, and the site in it (if any) is one the
/// caller may see. Part of every tenant policy, so no route of a tenant group can be reached from another tenant.
/// </summary>
internal sealed class TenantRouteRequirement : IAuthorizationRequirement;

internal sealed class TenantRouteHandler : AuthorizationHandler<TenantRouteRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantRouteRequirement requirement)
    {
        var caller = EbaClaims.CallerOf(context.User);
        if (caller.TenantId is null)
        {
            return Task.CompletedTask;
        }

        if (context.Resource is HttpContext http)
        {
            // An id that cannot exist names nobody's data: it passes here so the group's RouteIdFilter can say what is
            // wrong with it (400) before any query runs.
            var route = http.Request.RouteValues;
            if (route.TryGetValue("tenantId", out var tenant) && tenant is string tenantId && MqttTopics.IsId(tenantId)
                && !string.Equals(tenantId, caller.TenantId, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            if (route.TryGetValue("siteId", out var site) && site is string siteId && MqttTopics.IsId(siteId) && !caller.CanSeeSite(caller.TenantId, siteId))
            {
                return Task.CompletedTask;
            }
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
