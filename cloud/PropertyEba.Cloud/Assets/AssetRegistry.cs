using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Localization;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Cloud.Assets;

/// <summary>Registers sites and devices (with their profile's points); idempotent, so a restart re-applies the same estate.</summary>
public sealed class AssetRegistry(IDbContextFactory<EbaDbContext> dbFactory)
{
    public async Task EnsureSiteAsync(string tenantId, string siteId, string name, string? nameZh, string timeZone, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await db.Set<Site>().SingleOrDefaultAsync(s => s.TenantId == tenantId && s.SiteId == siteId, cancellationToken);
        if (site is null)
        {
            db.Add(new Site { TenantId = tenantId, SiteId = siteId, Name = name, NameZh = nameZh, TimeZone = timeZone });
        }
        else
        {
            site.Name = name;
            site.NameZh = nameZh;
            site.TimeZone = timeZone;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task EnsureDeviceAsync(string tenantId, string siteId, string deviceId, DeviceProfile profile, LocalizedName? location, string? connection, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await db.Set<Device>().SingleOrDefaultAsync(d => d.TenantId == tenantId && d.SiteId == siteId && d.DeviceId == deviceId, cancellationToken);
        if (device is null)
        {
            device = new Device { TenantId = tenantId, SiteId = siteId, DeviceId = deviceId, Model = profile.Model, Name = profile.Name, System = profile.System };
            db.Add(device);
        }

        device.Model = profile.Model;
        device.Name = profile.Name;
        device.NameZh = profile.NameZh;
        device.System = profile.System;
        device.Location = location?.Name;
        device.LocationZh = location?.NameZh;
        device.Connection = connection;

        var existing = await db.Set<Point>()
            .Where(p => p.TenantId == tenantId && p.SiteId == siteId && p.DeviceId == deviceId)
            .ToDictionaryAsync(p => p.PointId, cancellationToken);
        var order = 0;
        foreach (var definition in profile.Points)
        {
            if (!existing.TryGetValue(definition.Id, out var point))
            {
                point = new Point { TenantId = tenantId, SiteId = siteId, DeviceId = deviceId, PointId = definition.Id, Name = definition.Name, Kind = "" };
                db.Add(point);
            }

            point.Name = definition.Name;
            point.NameZh = definition.NameZh;
            point.Kind = definition.Kind.ToString().ToLowerInvariant();
            point.Unit = definition.Unit;
            point.SortOrder = order++;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
