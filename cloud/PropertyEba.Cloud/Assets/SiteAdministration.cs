using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Assets;

/// <summary>
/// A tenant's sites, their buildings and locations, and the tenant's own systems: validated, each change audited in the
/// SaveChanges that makes it. Contexts are created for the current caller, so another tenant's rows are never found.
/// </summary>
public sealed class SiteAdministration(IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<SiteDetailDto> GetSiteAsync(string tenantId, string siteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return ToDto(await FindSiteAsync(db, tenantId, siteId, cancellationToken));
    }

    public async Task<SiteDetailDto> CreateSiteAsync(string tenantId, SiteRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Site("", request, withId: true);
        v.ThrowIfAny("Invalid site");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await EnsureNoSiteAsync(db, tenantId, request.SiteId!, cancellationToken);
        var site = NewSite(tenantId, request, time.GetUtcNow());
        db.Add(site);
        audit.Record(db, tenantId, "site.create", $"site/{site.SiteId}", ToDto(site));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(site);
    }

    public async Task<SiteDetailDto> UpdateSiteAsync(string tenantId, string siteId, SiteRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Site("", request, withId: false);
        v.ThrowIfAny("Invalid site");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await FindSiteAsync(db, tenantId, siteId, cancellationToken);
        Apply(site, request);
        audit.Record(db, tenantId, "site.update", $"site/{siteId}", ToDto(site));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(site);
    }

    public async Task<IReadOnlyList<BuildingDto>> ListBuildingsAsync(string tenantId, string siteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await FindSiteAsync(db, tenantId, siteId, cancellationToken);
        var rows = await db.Set<Building>().AsNoTracking().Where(b => b.TenantId == tenantId && b.SiteId == siteId).OrderBy(b => b.BuildingId).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToDto);
    }

    public async Task<BuildingDto> CreateBuildingAsync(string tenantId, string siteId, BuildingRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Building("", request, withId: true);
        v.ThrowIfAny("Invalid building");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await FindSiteAsync(db, tenantId, siteId, cancellationToken);
        if (await db.Set<Building>().AnyAsync(b => b.TenantId == tenantId && b.SiteId == siteId && b.BuildingId == request.BuildingId, cancellationToken))
        {
            throw AssetProblemException.Conflict("Building", $"Site '{siteId}' already has a building '{request.BuildingId}'.");
        }

        var building = new Building { TenantId = tenantId, SiteId = siteId, BuildingId = request.BuildingId!, Name = request.Name!.Trim(), NameZh = request.NameZh?.Trim() };
        db.Add(building);
        audit.Record(db, tenantId, "building.create", $"site/{siteId}/building/{building.BuildingId}", ToDto(building));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(building);
    }

    public async Task<BuildingDto> UpdateBuildingAsync(string tenantId, string siteId, string buildingId, BuildingRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Building("", request, withId: false);
        v.ThrowIfAny("Invalid building");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var building = await db.Set<Building>().SingleOrDefaultAsync(b => b.TenantId == tenantId && b.SiteId == siteId && b.BuildingId == buildingId, cancellationToken)
            ?? throw AssetProblemException.NotFound("building", $"Site '{siteId}' has no building '{buildingId}'.");
        building.Name = request.Name!.Trim();
        building.NameZh = request.NameZh?.Trim();
        audit.Record(db, tenantId, "building.update", $"site/{siteId}/building/{buildingId}", ToDto(building));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(building);
    }

    public async Task DeleteBuildingAsync(string tenantId, string siteId, string buildingId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var building = await db.Set<Building>().SingleOrDefaultAsync(b => b.TenantId == tenantId && b.SiteId == siteId && b.BuildingId == buildingId, cancellationToken)
            ?? throw AssetProblemException.NotFound("building", $"Site '{siteId}' has no building '{buildingId}'.");
        if (await db.Set<Location>().AnyAsync(l => l.TenantId == tenantId && l.SiteId == siteId && l.BuildingId == buildingId, cancellationToken))
        {
            throw new AssetProblemException(AssetProblemKind.Conflict, "Building in use", $"Building '{buildingId}' still has locations; move or delete them first.");
        }

        db.Remove(building);
        audit.Record(db, tenantId, "building.delete", $"site/{siteId}/building/{buildingId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LocationDto>> ListLocationsAsync(string tenantId, string siteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await FindSiteAsync(db, tenantId, siteId, cancellationToken);
        var rows = await db.Set<Location>().AsNoTracking().Where(l => l.TenantId == tenantId && l.SiteId == siteId).OrderBy(l => l.LocationId).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToDto);
    }

    public async Task<LocationDto> CreateLocationAsync(string tenantId, string siteId, LocationRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await FindSiteAsync(db, tenantId, siteId, cancellationToken);
        var buildings = await BuildingIdsAsync(db, tenantId, siteId, cancellationToken);
        var v = new AssetValidation();
        v.Location("", request, withId: true, buildings.Contains);
        v.ThrowIfAny("Invalid location");
        if (await db.Set<Location>().AnyAsync(l => l.TenantId == tenantId && l.SiteId == siteId && l.LocationId == request.LocationId, cancellationToken))
        {
            throw AssetProblemException.Conflict("Location", $"Site '{siteId}' already has a location '{request.LocationId}'.");
        }

        var location = NewLocation(tenantId, siteId, request);
        db.Add(location);
        audit.Record(db, tenantId, "location.create", $"site/{siteId}/location/{location.LocationId}", ToDto(location));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(location);
    }

    public async Task<LocationDto> UpdateLocationAsync(string tenantId, string siteId, string locationId, LocationRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var location = await db.Set<Location>().SingleOrDefaultAsync(l => l.TenantId == tenantId && l.SiteId == siteId && l.LocationId == locationId, cancellationToken)
            ?? throw AssetProblemException.NotFound("location", $"Site '{siteId}' has no location '{locationId}'.");
        var buildings = await BuildingIdsAsync(db, tenantId, siteId, cancellationToken);
        var v = new AssetValidation();
        v.Location("", request, withId: false, buildings.Contains);
        v.ThrowIfAny("Invalid location");
        location.Kind = request.Kind!;
        location.Name = request.Name!.Trim();
        location.NameZh = request.NameZh?.Trim();
        location.BuildingId = request.BuildingId;
        audit.Record(db, tenantId, "location.update", $"site/{siteId}/location/{locationId}", ToDto(location));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(location);
    }

    public async Task DeleteLocationAsync(string tenantId, string siteId, string locationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var location = await db.Set<Location>().SingleOrDefaultAsync(l => l.TenantId == tenantId && l.SiteId == siteId && l.LocationId == locationId, cancellationToken)
            ?? throw AssetProblemException.NotFound("location", $"Site '{siteId}' has no location '{locationId}'.");
        if (await db.Set<Device>().AnyAsync(d => d.TenantId == tenantId && d.SiteId == siteId && d.Location == locationId, cancellationToken))
        {
            throw new AssetProblemException(AssetProblemKind.Conflict, "Location in use", $"Devices are still in location '{locationId}'; move them first.");
        }

        db.Remove(location);
        audit.Record(db, tenantId, "location.delete", $"site/{siteId}/location/{locationId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<SystemDto>> ListSystemsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var own = await db.Set<AssetSystem>().AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.SystemId).ToListAsync(cancellationToken);
        return [.. AssetSystems.BuiltIn, .. own.Select(s => new SystemDto(s.SystemId, s.Name, s.NameZh, false))];
    }

    public async Task<SystemDto> CreateSystemAsync(string tenantId, SystemRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Id("systemId", request.SystemId);
        v.Name("name", request.Name, required: true);
        v.Name("nameZh", request.NameZh, required: false);
        v.ThrowIfAny("Invalid system");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (AssetSystems.IsBuiltIn(request.SystemId!) || await db.Set<AssetSystem>().AnyAsync(s => s.TenantId == tenantId && s.SystemId == request.SystemId, cancellationToken))
        {
            throw AssetProblemException.Conflict("System", $"A system '{request.SystemId}' already exists.");
        }

        var system = new AssetSystem { TenantId = tenantId, SystemId = request.SystemId!, Name = request.Name!.Trim(), NameZh = request.NameZh?.Trim() };
        db.Add(system);
        var dto = new SystemDto(system.SystemId, system.Name, system.NameZh, false);
        audit.Record(db, tenantId, "system.create", $"system/{system.SystemId}", dto);
        await db.SaveChangesAsync(cancellationToken);
        return dto;
    }

    public async Task DeleteSystemAsync(string tenantId, string systemId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (AssetSystems.IsBuiltIn(systemId))
        {
            throw new AssetProblemException(AssetProblemKind.Conflict, "Built-in system", $"'{systemId}' is a built-in system; it cannot be deleted.");
        }

        var system = await db.Set<AssetSystem>().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.SystemId == systemId, cancellationToken)
            ?? throw AssetProblemException.NotFound("system", $"Tenant '{tenantId}' has no system '{systemId}'.");
        if (await db.Set<Device>().AnyAsync(d => d.TenantId == tenantId && d.System == systemId, cancellationToken))
        {
            throw new AssetProblemException(AssetProblemKind.Conflict, "System in use", $"Devices still belong to system '{systemId}'.");
        }

        db.Remove(system);
        audit.Record(db, tenantId, "system.delete", $"system/{systemId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<Site> FindSiteAsync(EbaDbContext db, string tenantId, string siteId, CancellationToken ct) =>
        await db.Set<Site>().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.SiteId == siteId, ct)
        ?? throw AssetProblemException.NotFound("site", $"Tenant '{tenantId}' has no site '{siteId}'.");

    internal static async Task EnsureNoSiteAsync(EbaDbContext db, string tenantId, string siteId, CancellationToken ct)
    {
        // Ignores the site filter: a user limited to some sites must not create one that exists out of their sight.
        if (await db.Set<Site>().IgnoreQueryFilters([EbaDbContext.SiteFilter]).AnyAsync(s => s.TenantId == tenantId && s.SiteId == siteId, ct))
        {
            throw AssetProblemException.Conflict("Site", $"Tenant '{tenantId}' already has a site '{siteId}'.");
        }
    }

    internal static async Task<HashSet<string>> BuildingIdsAsync(EbaDbContext db, string tenantId, string siteId, CancellationToken ct) =>
        [.. await db.Set<Building>().Where(b => b.TenantId == tenantId && b.SiteId == siteId).Select(b => b.BuildingId).ToListAsync(ct)];

    internal static Site NewSite(string tenantId, SiteRequest request, DateTimeOffset now)
    {
        var site = new Site { TenantId = tenantId, SiteId = request.SiteId!, Name = "", CreatedUtc = now };
        Apply(site, request);
        return site;
    }

    internal static Location NewLocation(string tenantId, string siteId, LocationRequest request) => new()
    {
        TenantId = tenantId,
        SiteId = siteId,
        LocationId = request.LocationId!,
        BuildingId = request.BuildingId,
        Kind = request.Kind!,
        Name = request.Name!.Trim(),
        NameZh = request.NameZh?.Trim(),
    };

    private static void Apply(Site site, SiteRequest request)
    {
        site.Name = request.Name!.Trim();
        site.NameZh = request.NameZh?.Trim();
        site.TimeZone = request.TimeZone ?? site.TimeZone;
        site.Address = request.Address?.Trim();
        site.Latitude = request.Geofence?.Latitude;
        site.Longitude = request.Geofence?.Longitude;
        site.GeofenceRadiusM = request.Geofence?.RadiusM;
    }

    internal static SiteDetailDto ToDto(Site s) => new(
        s.SiteId, s.Name, s.NameZh, s.TimeZone, s.Address,
        s is { Latitude: { } lat, Longitude: { } lon, GeofenceRadiusM: { } r } ? new GeofenceDto(lat, lon, r) : null, s.CreatedUtc);

    internal static BuildingDto ToDto(Building b) => new(b.SiteId, b.BuildingId, b.Name, b.NameZh);

    internal static LocationDto ToDto(Location l) => new(l.SiteId, l.LocationId, l.BuildingId, l.Kind, l.Name, l.NameZh);
}
