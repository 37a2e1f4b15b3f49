using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Cloud.Assets;

/// <summary>
/// A site's devices and their points. A device is an instance of one version of a profile: its points are copied from
/// that version when it is created, and again when it moves to another version; what the device overrides of a point
/// (name, unit, enabled, deadband) is kept across the move.
/// </summary>
public sealed class DeviceAdministration(IDbContextFactory<EbaDbContext> dbFactory, DeviceProfileLibrary profiles, IEnumerable<IDeviceDeletionCheck> deletionChecks, AuditTrail audit)
{
    public async Task<DeviceDetailDto> GetDeviceAsync(string tenantId, string siteId, string deviceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await FindDeviceAsync(db, tenantId, siteId, deviceId, cancellationToken);
        return ToDto(device, await PointsOfAsync(db, device, cancellationToken));
    }

    public async Task<DeviceDetailDto> CreateDeviceAsync(string tenantId, string siteId, DeviceRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await SiteAdministration.FindSiteAsync(db, tenantId, siteId, cancellationToken);
        var context = await ContextAsync(db, tenantId, siteId, cancellationToken);
        var profile = request.ProfileId is { } pid ? await profiles.ResolveAsync(db, tenantId, pid, request.ProfileVersion, cancellationToken) : null;
        var v = new AssetValidation();
        Validate(v, "", request, withId: true, profile, context);
        v.ThrowIfAny("Invalid device");
        if (await db.Set<Device>().AnyAsync(d => d.TenantId == tenantId && d.SiteId == siteId && d.DeviceId == request.DeviceId, cancellationToken))
        {
            throw AssetProblemException.Conflict("Device", $"Site '{siteId}' already has a device '{request.DeviceId}'.");
        }

        var (device, points) = Add(db, tenantId, siteId, request, profile!);
        audit.Record(db, tenantId, "device.create", $"site/{siteId}/device/{device.DeviceId}", new { device.DeviceId, Profile = device.Model, device.ProfileVersion, device.Connection });
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(device, points);
    }

    public async Task<DeviceDetailDto> UpdateDeviceAsync(string tenantId, string siteId, string deviceId, DeviceRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await FindDeviceAsync(db, tenantId, siteId, deviceId, cancellationToken);
        var context = await ContextAsync(db, tenantId, siteId, cancellationToken);
        var v = new AssetValidation();
        if (request.ProfileId is { } pid && pid != device.Model)
        {
            v.Add("profileId", $"a device keeps its profile ('{device.Model}'); only its version can change. Create a new device for '{pid}'.");
        }

        var profile = await profiles.ResolveAsync(db, tenantId, device.Model, request.ProfileVersion ?? device.ProfileVersion, cancellationToken);
        Validate(v, "", request with { ProfileId = device.Model }, withId: false, profile, context);
        v.ThrowIfAny("Invalid device");

        var moved = profile!.Version != device.ProfileVersion;
        Apply(device, request, profile);
        var points = await db.Set<Point>().Where(p => p.TenantId == tenantId && p.SiteId == siteId && p.DeviceId == deviceId).ToListAsync(cancellationToken);
        points = SyncPoints(db, device, profile.Profile, points);
        audit.Record(db, tenantId, moved ? "device.move" : "device.update", $"site/{siteId}/device/{deviceId}", new { device.DeviceId, Profile = device.Model, device.ProfileVersion, device.Connection, device.Location });
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(device, points);
    }

    public async Task DeleteDeviceAsync(string tenantId, string siteId, string deviceId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await FindDeviceAsync(db, tenantId, siteId, deviceId, cancellationToken);
        foreach (var check in deletionChecks)
        {
            if (await check.WhyNotDeleteAsync(db, tenantId, siteId, deviceId, cancellationToken) is { } why)
            {
                throw new AssetProblemException(AssetProblemKind.Conflict, "Device in use", why);
            }
        }

        db.RemoveRange(await db.Set<Point>().Where(p => p.TenantId == tenantId && p.SiteId == siteId && p.DeviceId == deviceId).ToListAsync(cancellationToken));
        db.Remove(device);
        audit.Record(db, tenantId, "device.delete", $"site/{siteId}/device/{deviceId}");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets what the device changes of one point; fields left null keep the profile's value.</summary>
    public Task<DevicePointDto> OverridePointAsync(string tenantId, string siteId, string deviceId, string pointId, PointOverrideDto request, CancellationToken cancellationToken) =>
        SetPointAsync(tenantId, siteId, deviceId, pointId, request, "point.override", cancellationToken);

    /// <summary>Drops a point's override: the profile's values apply again.</summary>
    public Task<DevicePointDto> ResetPointAsync(string tenantId, string siteId, string deviceId, string pointId, CancellationToken cancellationToken) =>
        SetPointAsync(tenantId, siteId, deviceId, pointId, new PointOverrideDto(), "point.reset", cancellationToken);

    private async Task<DevicePointDto> SetPointAsync(string tenantId, string siteId, string deviceId, string pointId, PointOverrideDto request, string action, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Override("", request);
        v.ThrowIfAny("Invalid point override");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await FindDeviceAsync(db, tenantId, siteId, deviceId, cancellationToken);
        var point = await db.Set<Point>().SingleOrDefaultAsync(p => p.TenantId == tenantId && p.SiteId == siteId && p.DeviceId == deviceId && p.PointId == pointId, cancellationToken)
            ?? throw AssetProblemException.NotFound("point", $"Device '{deviceId}' has no point '{pointId}'.");
        var profile = await profiles.ResolveAsync(db, tenantId, device.Model, device.ProfileVersion, cancellationToken);
        SetOverride(point, request);
        ApplyEffective(point, profile?.Profile.FindPoint(pointId));
        audit.Record(db, tenantId, action, $"site/{siteId}/device/{deviceId}/point/{pointId}", request);
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(point);
    }

    /// <summary>The ids a device may refer to in its site and tenant.</summary>
    internal static async Task<DeviceContext> ContextAsync(EbaDbContext db, string tenantId, string siteId, CancellationToken ct)
    {
        var locations = await db.Set<Location>().Where(l => l.TenantId == tenantId && l.SiteId == siteId).Select(l => l.LocationId).ToListAsync(ct);
        var systems = await db.Set<AssetSystem>().Where(s => s.TenantId == tenantId).Select(s => s.SystemId).ToListAsync(ct);
        return new DeviceContext([.. locations], [.. systems, .. AssetSystems.BuiltIn.Select(s => s.SystemId)]);
    }

    internal static void Validate(AssetValidation v, string prefix, DeviceRequest? r, bool withId, ResolvedProfile? profile, DeviceContext context)
    {
        if (r is null)
        {
            v.Add(prefix.Length == 0 ? "device" : prefix, "The device is required.");
            return;
        }

        if (withId)
        {
            v.Id(AssetValidation.Join(prefix, "deviceId"), r.DeviceId);
        }

        v.Name(AssetValidation.Join(prefix, "name"), r.Name, required: true);
        v.Name(AssetValidation.Join(prefix, "nameZh"), r.NameZh, required: false);
        if (string.IsNullOrEmpty(r.ProfileId))
        {
            v.Add(AssetValidation.Join(prefix, "profileId"), "'profileId' is required: a built-in profile or one the tenant uploaded (GET .../device-profiles).");
        }
        else if (profile is null)
        {
            v.Add(AssetValidation.Join(prefix, r.ProfileVersion is null ? "profileId" : "profileVersion"),
                r.ProfileVersion is null ? $"there is no device profile '{r.ProfileId}'." : $"device profile '{r.ProfileId}' has no version {r.ProfileVersion}.");
        }

        v.Connection(prefix, r.Connection);
        if (r.LocationId is { } location && !context.Locations.Contains(location))
        {
            v.Add(AssetValidation.Join(prefix, "locationId"), $"the site has no location '{location}'.");
        }

        if (r.SystemId is { } system && !context.Systems.Contains(system))
        {
            v.Add(AssetValidation.Join(prefix, "systemId"), $"there is no system '{system}'; allowed: {string.Join(", ", context.Systems.Order(StringComparer.Ordinal))}.");
        }

        v.Ledger(prefix, r.Ledger);
    }

    /// <summary>Adds a validated device and its points to the context.</summary>
    internal static (Device Device, List<Point> Points) Add(EbaDbContext db, string tenantId, string siteId, DeviceRequest request, ResolvedProfile profile)
    {
        var device = new Device { TenantId = tenantId, SiteId = siteId, DeviceId = request.DeviceId!, Model = profile.Profile.Model, Name = "", System = "" };
        Apply(device, request, profile);
        db.Add(device);
        return (device, SyncPoints(db, device, profile.Profile, []));
    }

    private static void Apply(Device device, DeviceRequest request, ResolvedProfile profile)
    {
        var c = request.Connection!;
        device.ProfileVersion = profile.Version;
        device.Name = request.Name!.Trim();
        device.NameZh = request.NameZh?.Trim();
        device.System = request.SystemId ?? profile.Profile.System;
        device.Location = request.LocationId;
        device.ConnectionKind = c.Kind!;
        device.Host = c.Kind == "tcp" ? c.Host : null;
        device.Port = c.Kind == "tcp" ? c.Port : null;
        device.SerialPort = c.Kind == "serial" ? c.SerialPort : null;
        device.UnitId = c.UnitId!.Value;
        device.Connection = c.Kind == "tcp" ? $"tcp://{c.Host}:{c.Port} unit {c.UnitId}" : $"serial://{c.SerialPort} unit {c.UnitId}";
        var ledger = request.Ledger ?? new DeviceLedgerDto();
        device.AssetNumber = ledger.AssetNumber;
        device.Manufacturer = ledger.Manufacturer ?? profile.Profile.Manufacturer;
        device.ModelNumber = ledger.ModelNumber;
        device.SerialNumber = ledger.SerialNumber;
        device.InstalledOn = ledger.InstalledOn;
        device.CertificateExpiresOn = ledger.CertificateExpiresOn;
    }

    /// <summary>Makes the device's points those of <paramref name="profile"/>, keeping the overrides of points it still has.</summary>
    internal static List<Point> SyncPoints(EbaDbContext db, Device device, DeviceProfile profile, List<Point> existing)
    {
        var byId = existing.ToDictionary(p => p.PointId, StringComparer.Ordinal);
        var result = new List<Point>(profile.Points.Count);
        var order = 0;
        foreach (var definition in profile.Points)
        {
            if (!byId.Remove(definition.Id, out var point))
            {
                point = new Point { TenantId = device.TenantId, SiteId = device.SiteId, DeviceId = device.DeviceId, PointId = definition.Id, Name = definition.Name, Kind = "" };
                db.Add(point);
            }

            point.Kind = DeviceProfileLibrary.KindOf(definition);
            point.SortOrder = order++;
            ApplyEffective(point, definition);
            result.Add(point);
        }

        // Points the new version no longer has go, with their overrides.
        db.RemoveRange(byId.Values);
        return result;
    }

    internal static void SetOverride(Point point, PointOverrideDto o)
    {
        point.NameOverride = o.Name?.Trim();
        point.NameZhOverride = o.NameZh?.Trim();
        point.UnitOverride = o.Unit?.Trim();
        point.EnabledOverride = o.Enabled;
        point.DeadbandOverride = o.Deadband;
    }

    internal static void ApplyEffective(Point point, PointDefinition? definition)
    {
        point.Name = point.NameOverride ?? definition?.Name ?? point.Name;
        point.NameZh = point.NameZhOverride ?? definition?.NameZh;
        point.Unit = point.UnitOverride ?? definition?.Unit;
        point.Enabled = point.EnabledOverride ?? true;
        point.Deadband = point.DeadbandOverride;
    }

    internal static async Task<Device> FindDeviceAsync(EbaDbContext db, string tenantId, string siteId, string deviceId, CancellationToken ct) =>
        await db.Set<Device>().SingleOrDefaultAsync(d => d.TenantId == tenantId && d.SiteId == siteId && d.DeviceId == deviceId, ct)
        ?? throw AssetProblemException.NotFound("device", $"Site '{siteId}' of tenant '{tenantId}' has no device '{deviceId}'.");

    private static async Task<List<Point>> PointsOfAsync(EbaDbContext db, Device device, CancellationToken ct) =>
        await db.Set<Point>().AsNoTracking().Where(p => p.TenantId == device.TenantId && p.SiteId == device.SiteId && p.DeviceId == device.DeviceId).OrderBy(p => p.SortOrder).ToListAsync(ct);

    internal static DeviceConnectionDto ConnectionOf(Device d) => d.ConnectionKind == "serial"
        ? new DeviceConnectionDto("serial", SerialPort: d.SerialPort, UnitId: d.UnitId)
        : new DeviceConnectionDto("tcp", d.Host, d.Port, UnitId: d.UnitId);

    internal static DeviceLedgerDto LedgerOf(Device d) => new(d.AssetNumber, d.Manufacturer, d.ModelNumber, d.SerialNumber, d.InstalledOn, d.CertificateExpiresOn);

    internal static DeviceDetailDto ToDto(Device d, IEnumerable<Point> points) => new(
        d.SiteId, d.DeviceId, d.Name, d.NameZh, d.Model, d.ProfileVersion, ConnectionOf(d), d.Location, d.System, LedgerOf(d),
        [.. points.OrderBy(p => p.SortOrder).Select(ToDto)]);

    internal static PointOverrideDto? OverrideOf(Point p) =>
        p.HasOverride ? new PointOverrideDto(p.NameOverride, p.NameZhOverride, p.UnitOverride, p.EnabledOverride, p.DeadbandOverride) : null;

    internal static DevicePointDto ToDto(Point p) => new(p.PointId, p.Name, p.NameZh, p.Kind, p.Unit, p.Enabled, p.Deadband, OverrideOf(p));
}

/// <summary>The locations of the device's site and the systems of its tenant, for validation.</summary>
internal sealed record DeviceContext(HashSet<string> Locations, HashSet<string> Systems);
