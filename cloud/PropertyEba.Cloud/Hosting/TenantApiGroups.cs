namespace PropertyEba.Cloud.Hosting;

/// <summary>Where the tenant-scoped API groups start.</summary>
public static class TenantApiGroups
{
    /// <summary>
    /// A group under <c>/api/tenants/{tenantId}</c> that only a signed-in user of that tenant reaches (and, for a
    /// route with a site, only one who may see the site): the seam that keeps every tenant route closed to other
    /// tenants, whatever its handler does. Endpoints that change something add the policy they need on top.
    /// Route ids are validated by one filter; the 400, 401 and 403 answers are described in OpenAPI.
    /// </summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string path, string tag)
    {
        var group = app.MapGroup("/api/tenants/{tenantId}" + path)
            .WithTags(tag)
            .RequireAuthorization(Tenancy.Policies.TenantMember)
            .AddEndpointFilter<RouteIdFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(void)))
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(void)));
        return group;
    }
}
