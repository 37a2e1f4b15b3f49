using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.SiteFiles;

/// <summary>
/// A site as one file, exported and imported whole: its buildings, locations, devices, point overrides and alarm rules.
/// It spans assets and alarms, so it sits above both.
/// </summary>
public static class SiteFileEndpoints
{
    public static IEndpointRouteBuilder MapSiteFileEndpoints(this IEndpointRouteBuilder app)
    {
        var sites = app.MapTenantGroup("/sites", "Sites and devices").AddEndpointFilter<AssetProblemFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapGet("/{siteId}/export", ExportSite).WithName("ExportSite").WithSummary("The whole site as one file: buildings, locations, devices, point overrides, rules.")
            .RequireAuthorization(Policies.ManageConfiguration);
        sites.MapGet("/{siteId}/export/edge", ExportSiteForEdge).WithName("ExportSiteForEdge")
            .WithSummary("The site as the edge agent's estate file (PropertyEba.Edge --config): identity, broker, devices; never the password.")
            .RequireAuthorization(Policies.ManageConfiguration);
        sites.MapPost("/import", ImportSite).WithName("ImportSite").WithSummary("Creates a site from one file; every problem is reported at once and nothing changes unless all is well.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem();
        return app;
    }

    public static async Task<Ok<SiteFileDto>> ExportSite(string tenantId, string siteId, SiteTransfer transfer, CancellationToken ct) =>
        TypedResults.Ok(await transfer.ExportAsync(tenantId, siteId, ct));

    public static async Task<Ok<EdgeEstateFileDto>> ExportSiteForEdge(
        string tenantId, string siteId, string? edgeId, string? brokerHost, int? brokerPort, EdgeEstateExport export, CancellationToken ct) =>
        TypedResults.Ok(await export.ExportAsync(tenantId, siteId, edgeId, brokerHost, brokerPort, ct));

    public static async Task<Created<SiteImportResultDto>> ImportSite(string tenantId, SiteFileDto file, SiteTransfer transfer, CancellationToken ct)
    {
        var result = await transfer.ImportAsync(tenantId, file, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/sites/{result.SiteId}", result);
    }
}
