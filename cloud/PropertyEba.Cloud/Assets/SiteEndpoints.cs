using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Assets;

/// <summary>A tenant's sites, buildings, locations and systems, and whole-site import and export.</summary>
public static class SiteEndpoints
{
    public static IEndpointRouteBuilder MapSiteEndpoints(this IEndpointRouteBuilder app)
    {
        var sites = app.MapTenantGroup("/sites", "Sites and devices").AddEndpointFilter<AssetProblemFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        sites.MapGet("/{siteId}", GetSite).WithName("GetSite").WithSummary("A site with its time zone, address and geofence.");
        sites.MapPost("/", CreateSite).WithName("CreateSite").WithSummary("Creates a site (estate, 管理区).")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapPut("/{siteId}", UpdateSite).WithName("UpdateSite").WithSummary("Changes a site's names, time zone, address and geofence.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem();

        sites.MapGet("/{siteId}/buildings", ListBuildings).WithName("ListBuildings").WithSummary("The buildings of a site.");
        sites.MapPost("/{siteId}/buildings", CreateBuilding).WithName("CreateBuilding").WithSummary("Adds a building to a site.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapPut("/{siteId}/buildings/{buildingId}", UpdateBuilding).WithName("UpdateBuilding").WithSummary("Renames a building.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem();
        sites.MapDelete("/{siteId}/buildings/{buildingId}", DeleteBuilding).WithName("DeleteBuilding").WithSummary("Deletes a building that has no locations.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesProblem(StatusCodes.Status409Conflict);

        sites.MapGet("/{siteId}/locations", ListLocations).WithName("ListLocations").WithSummary("The equipment rooms of a site.");
        sites.MapPost("/{siteId}/locations", CreateLocation).WithName("CreateLocation").WithSummary("Adds an equipment room (power room, pump room, fire control room) to a site or one of its buildings.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        sites.MapPut("/{siteId}/locations/{locationId}", UpdateLocation).WithName("UpdateLocation").WithSummary("Changes a location's kind, names and building.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem();
        sites.MapDelete("/{siteId}/locations/{locationId}", DeleteLocation).WithName("DeleteLocation").WithSummary("Deletes a location no device is in.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesProblem(StatusCodes.Status409Conflict);

        var systems = app.MapTenantGroup("/systems", "Sites and devices").AddEndpointFilter<AssetProblemFilter>();
        systems.MapGet("/", ListSystems).WithName("ListSystems").WithSummary("The built-in systems (供配电, 给排水, 消防, ...) and those the tenant added.");
        systems.MapPost("/", CreateSystem).WithName("CreateSystem").WithSummary("Adds a system (equipment category) to the tenant.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        systems.MapDelete("/{systemId}", DeleteSystem).WithName("DeleteSystem").WithSummary("Deletes a system the tenant added and no device belongs to.")
            .RequireAuthorization(Policies.ManageConfiguration).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<SiteDetailDto>> GetSite(string tenantId, string siteId, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.GetSiteAsync(tenantId, siteId, ct));

    public static async Task<Created<SiteDetailDto>> CreateSite(string tenantId, SiteRequest request, SiteAdministration sites, CancellationToken ct)
    {
        var site = await sites.CreateSiteAsync(tenantId, request, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/sites/{site.SiteId}", site);
    }

    public static async Task<Ok<SiteDetailDto>> UpdateSite(string tenantId, string siteId, SiteRequest request, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.UpdateSiteAsync(tenantId, siteId, request, ct));

    public static async Task<Ok<IReadOnlyList<BuildingDto>>> ListBuildings(string tenantId, string siteId, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.ListBuildingsAsync(tenantId, siteId, ct));

    public static async Task<Created<BuildingDto>> CreateBuilding(string tenantId, string siteId, BuildingRequest request, SiteAdministration sites, CancellationToken ct)
    {
        var building = await sites.CreateBuildingAsync(tenantId, siteId, request, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/sites/{siteId}/buildings/{building.BuildingId}", building);
    }

    public static async Task<Ok<BuildingDto>> UpdateBuilding(string tenantId, string siteId, string buildingId, BuildingRequest request, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.UpdateBuildingAsync(tenantId, siteId, buildingId, request, ct));

    public static async Task<NoContent> DeleteBuilding(string tenantId, string siteId, string buildingId, SiteAdministration sites, CancellationToken ct)
    {
        await sites.DeleteBuildingAsync(tenantId, siteId, buildingId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<LocationDto>>> ListLocations(string tenantId, string siteId, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.ListLocationsAsync(tenantId, siteId, ct));

    public static async Task<Created<LocationDto>> CreateLocation(string tenantId, string siteId, LocationRequest request, SiteAdministration sites, CancellationToken ct)
    {
        var location = await sites.CreateLocationAsync(tenantId, siteId, request, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/sites/{siteId}/locations/{location.LocationId}", location);
    }

    public static async Task<Ok<LocationDto>> UpdateLocation(string tenantId, string siteId, string locationId, LocationRequest request, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.UpdateLocationAsync(tenantId, siteId, locationId, request, ct));

    public static async Task<NoContent> DeleteLocation(string tenantId, string siteId, string locationId, SiteAdministration sites, CancellationToken ct)
    {
        await sites.DeleteLocationAsync(tenantId, siteId, locationId, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<IReadOnlyList<SystemDto>>> ListSystems(string tenantId, SiteAdministration sites, CancellationToken ct) =>
        TypedResults.Ok(await sites.ListSystemsAsync(tenantId, ct));

    public static async Task<Created<SystemDto>> CreateSystem(string tenantId, SystemRequest request, SiteAdministration sites, CancellationToken ct)
    {
        var system = await sites.CreateSystemAsync(tenantId, request, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/systems/{system.SystemId}", system);
    }

    public static async Task<NoContent> DeleteSystem(string tenantId, string systemId, SiteAdministration sites, CancellationToken ct)
    {
        await sites.DeleteSystemAsync(tenantId, systemId, ct);
        return TypedResults.NoContent();
    }
}
