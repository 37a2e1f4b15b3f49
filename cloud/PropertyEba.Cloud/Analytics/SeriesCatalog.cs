using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Analytics;

/// <summary>What a query can be grouped by.</summary>
public enum GroupBy
{
    Series,
    Device,
    Location,
    Building,
    Site,
}

/// <summary>A series with where it sits in the estate and the clock of its site.</summary>
public sealed record ResolvedSeries(SeriesKey Key, string? BuildingId, string? LocationId, TimeZoneInfo Zone, string? Unit)
{
    /// <summary>The group this series adds to; devices without a location or building form the group "-" of their site.</summary>
    public string GroupOf(GroupBy by) => by switch
    {
        GroupBy.Series => $"{Key.SiteId}/{Key.DeviceId}/{Key.PointId}",
        GroupBy.Device => $"{Key.SiteId}/{Key.DeviceId}",
        GroupBy.Location => $"{Key.SiteId}/{LocationId ?? "-"}",
        GroupBy.Building => $"{Key.SiteId}/{BuildingId ?? "-"}",
        _ => Key.SiteId,
    };
}

/// <summary>Which series a query reads: one point id on every device that has it, narrowed by sites, buildings and devices.</summary>
public sealed record SeriesSelector(string PointId, IReadOnlyList<string> SiteIds, IReadOnlyList<string> BuildingIds, IReadOnlyList<string> DeviceIds);

/// <summary>Maps a selector to series through the asset register (the caller's tenant and site filters apply).</summary>
public sealed class SeriesCatalog(IDbContextFactory<EbaDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ResolvedSeries>> ResolveAsync(string tenantId, SeriesSelector selector, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var points = db.Set<Point>().AsNoTracking().Where(p => p.TenantId == tenantId && p.PointId == selector.PointId);
        if (selector.SiteIds.Count > 0)
        {
            points = points.Where(p => selector.SiteIds.Contains(p.SiteId));
        }

        if (selector.DeviceIds.Count > 0)
        {
            points = points.Where(p => selector.DeviceIds.Contains(p.DeviceId));
        }

        var found = await points.Select(p => new { p.SiteId, p.DeviceId, p.Unit }).ToListAsync(cancellationToken);
        var siteIds = found.Select(p => p.SiteId).Distinct().ToList();
        var zones = (await db.Set<Site>().AsNoTracking().Where(s => s.TenantId == tenantId && siteIds.Contains(s.SiteId)).Select(s => new { s.SiteId, s.TimeZone }).ToListAsync(cancellationToken))
            .ToDictionary(s => s.SiteId, s => TimeZoneInfo.TryFindSystemTimeZoneById(s.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc);
        var devices = (await db.Set<Device>().AsNoTracking().Where(d => d.TenantId == tenantId && siteIds.Contains(d.SiteId)).Select(d => new { d.SiteId, d.DeviceId, d.Location }).ToListAsync(cancellationToken))
            .ToDictionary(d => (d.SiteId, d.DeviceId), d => d.Location);
        var buildings = (await db.Set<Location>().AsNoTracking().Where(l => l.TenantId == tenantId && siteIds.Contains(l.SiteId)).Select(l => new { l.SiteId, l.LocationId, l.BuildingId }).ToListAsync(cancellationToken))
            .ToDictionary(l => (l.SiteId, l.LocationId), l => l.BuildingId);

        var result = new List<ResolvedSeries>();
        foreach (var p in found.OrderBy(p => p.SiteId, StringComparer.Ordinal).ThenBy(p => p.DeviceId, StringComparer.Ordinal))
        {
            // A site the caller may not see has no row in `zones` (the site filter hid it): its points are left out.
            if (!zones.TryGetValue(p.SiteId, out var zone))
            {
                continue;
            }

            var location = devices.GetValueOrDefault((p.SiteId, p.DeviceId));
            var building = location is null ? null : buildings.GetValueOrDefault((p.SiteId, location));
            if (selector.BuildingIds.Count > 0 && (building is null || !selector.BuildingIds.Contains(building)))
            {
                continue;
            }

            result.Add(new ResolvedSeries(new SeriesKey(tenantId, p.SiteId, p.DeviceId, selector.PointId), building, location, zone, p.Unit));
        }

        return result;
    }
}
