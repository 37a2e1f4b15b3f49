namespace PropertyEba.Cloud.Hosting;

/// <summary>Where the tenant-scoped API groups start.</summary>
public static class TenantApiGroups
{
    /// <summary>
    /// A group under <c>/api/tenants/{tenantId}</c> whose route ids are validated by one filter and
    /// whose 400 answers are described in OpenAPI.
    /// </summary>
    public static RouteGroupBuilder MapTenantGroup(this IEndpointRouteBuilder app, string path, string tag) =>
        app.MapGroup("/api/tenants/{tenantId}" + path)
            .WithTags(tag)
            .AddEndpointFilter<RouteIdFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
}
