using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Overview;

/// <summary>Sites and devices with their points' latest values, for the API and the dashboard.</summary>
public sealed class AssetQueries(IDbContextFactory<EbaDbContext> dbFactory, LatestValueCache latest, EdgeRegistry edges)
{
    public async Task<IReadOnlyList<SiteDto>> GetSitesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sites = await db.Set<Site>().AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.SiteId).ToListAsync(cancellationToken);
        var deviceCounts = await db.Set<Device>().Where(d => d.TenantId == tenantId).GroupBy(d => d.SiteId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var alarmCounts = await db.Set<Alarm>().Where(a => a.TenantId == tenantId && a.State != AlarmState.Cleared).GroupBy(a => a.SiteId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        return sites.ConvertAll(s => new SiteDto(s.TenantId, s.SiteId, s.Name, s.NameZh, s.TimeZone, deviceCounts.GetValueOrDefault(s.SiteId), alarmCounts.GetValueOrDefault(s.SiteId), edges.IsSiteOnline(tenantId, s.SiteId)));
    }

    public async Task<IReadOnlyList<DeviceDto>> GetDevicesAsync(string tenantId, string siteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var devices = await db.Set<Device>().AsNoTracking().Where(d => d.TenantId == tenantId && d.SiteId == siteId).OrderBy(d => d.DeviceId).ToListAsync(cancellationToken);
        var points = await db.Set<Point>().AsNoTracking().Where(p => p.TenantId == tenantId && p.SiteId == siteId).OrderBy(p => p.SortOrder).ToListAsync(cancellationToken);
        var byDevice = points.GroupBy(p => p.DeviceId).ToDictionary(g => g.Key, g => g.ToList());
        var locations = await db.Set<Location>().AsNoTracking().Where(l => l.TenantId == tenantId && l.SiteId == siteId).ToDictionaryAsync(l => l.LocationId, cancellationToken);
        return devices.ConvertAll(d => new DeviceDto(
            d.TenantId, d.SiteId, d.DeviceId, d.Model, d.Name, d.NameZh, d.System,
            LocationOf(d, locations)?.Name ?? d.Location, LocationOf(d, locations)?.NameZh,
            byDevice.GetValueOrDefault(d.DeviceId, []).ConvertAll(p =>
            {
                var has = latest.TryGet(new SeriesKey(tenantId, siteId, d.DeviceId, p.PointId), out var s);
                return new PointValueDto(d.DeviceId, p.PointId, p.Name, p.NameZh, p.Kind, p.Unit,
                    has ? s.Value : null, has ? IngestionWorker.QualityName((Contracts.Mqtt.SampleQuality)s.Quality) : "none", has ? s.TimestampUtcMs : null);
            })));
    }

    // The device list shows the room's name (each language on its own); a location id without its row shows as the id.
    private static Location? LocationOf(Device device, Dictionary<string, Location> locations) =>
        device.Location is null ? null : locations.GetValueOrDefault(device.Location);
}
