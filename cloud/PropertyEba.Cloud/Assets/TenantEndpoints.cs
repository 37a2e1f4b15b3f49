using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Assets;

/// <summary>The platform operator's tenants (property companies).</summary>
public static class TenantEndpoints
{
    public static IEndpointRouteBuilder MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        var tenants = app.MapGroup("/api/platform/tenants").WithTags("Platform").RequireAuthorization(Policies.OperatePlatform)
            .AddEndpointFilter<AssetProblemFilter>()
            .ProducesValidationProblem();
        tenants.MapGet("/", ListTenants).WithName("ListTenants").WithSummary("Every tenant (property company) of the platform.");
        tenants.MapPost("/", CreateTenant).WithName("CreateTenant").WithSummary("Creates a tenant; its first administrator is created next.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        tenants.MapPut("/{tenantId}", RenameTenant).WithName("RenameTenant").WithSummary("Renames a tenant; its id never changes.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<TenantDto>>> ListTenants(TenantDirectory tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.ListAsync(ct));

    public static async Task<Created<TenantDto>> CreateTenant(CreateTenantRequest request, TenantDirectory tenants, CancellationToken ct)
    {
        var tenant = await tenants.CreateAsync(request, ct);
        return TypedResults.Created($"/api/platform/tenants/{tenant.TenantId}", tenant);
    }

    public static async Task<Ok<TenantDto>> RenameTenant(string tenantId, RenameTenantRequest request, TenantDirectory tenants, CancellationToken ct) =>
        TypedResults.Ok(await tenants.RenameAsync(tenantId, request, ct));
}
