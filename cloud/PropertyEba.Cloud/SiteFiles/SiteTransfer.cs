using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.SiteFiles;

/// <summary>
/// Writes a whole site (buildings, locations, devices with their profile id and version, point overrides, the site's
/// rules) to one <see cref="SiteFileDto"/>, and creates a site from one. An import checks everything first and reports
/// every problem at once; it changes nothing unless all is well, and then saves it all in one SaveChanges.
/// </summary>
public sealed class SiteTransfer(IDbContextFactory<EbaDbContext> dbFactory, DeviceProfileLibrary profiles, AlarmRuleAdministration rules, AlarmEngine engine, AuditTrail audit, TimeProvider time)
{
    public async Task<SiteFileDto> ExportAsync(string tenantId, string siteId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await SiteAdministration.FindSiteAsync(db, tenantId, siteId, cancellationToken);
        var buildings = await db.Set<Building>().AsNoTracking().Where(b => b.TenantId == tenantId && b.SiteId == siteId).OrderBy(b => b.BuildingId).ToListAsync(cancellationToken);
        var locations = await db.Set<Location>().AsNoTracking().Where(l => l.TenantId == tenantId && l.SiteId == siteId).OrderBy(l => l.LocationId).ToListAsync(cancellationToken);
        var devices = await db.Set<Device>().AsNoTracking().Where(d => d.TenantId == tenantId && d.SiteId == siteId).OrderBy(d => d.DeviceId).ToListAsync(cancellationToken);
        var points = await db.Set<Point>().AsNoTracking().Where(p => p.TenantId == tenantId && p.SiteId == siteId).OrderBy(p => p.SortOrder).ToListAsync(cancellationToken);
        var siteRules = await db.Set<AlarmRule>().AsNoTracking().Where(r => r.TenantId == tenantId && r.SiteId == siteId).OrderBy(r => r.RuleId).ToListAsync(cancellationToken);
        var dto = SiteAdministration.ToDto(site);
        return new SiteFileDto(
            SiteFileDto.CurrentFormat,
            new SiteRequest(site.SiteId, site.Name, site.NameZh, site.TimeZone, site.Address, dto.Geofence),
            buildings.ConvertAll(b => new BuildingRequest(b.BuildingId, b.Name, b.NameZh)),
            locations.ConvertAll(l => new LocationRequest(l.LocationId, l.Kind, l.Name, l.NameZh, l.BuildingId)),
            devices.ConvertAll(d => new SiteFileDeviceDto(
                new DeviceRequest(d.DeviceId, d.Name, d.Model, d.ProfileVersion, DeviceAdministration.ConnectionOf(d), d.NameZh, d.Location, d.System, DeviceAdministration.LedgerOf(d)),
                [.. points.Where(p => p.DeviceId == d.DeviceId && p.HasOverride).Select(p => new SiteFilePointOverrideDto(p.PointId, DeviceAdministration.OverrideOf(p)!))])),
            // The file's rules belong to whichever site it is imported as.
            siteRules.ConvertAll(r => AlarmRuleAdministration.RequestOf(r) with { SiteId = null }));
    }

    public async Task<SiteImportResultDto> ImportAsync(string tenantId, SiteFileDto file, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var v = new AssetValidation();
        if (file.FormatVersion != SiteFileDto.CurrentFormat)
        {
            v.Add("formatVersion", $"'formatVersion' is {file.FormatVersion}; this service reads {SiteFileDto.CurrentFormat}.");
        }

        v.Site("site", file.Site, withId: true);
        var siteId = file.Site?.SiteId ?? "";
        if (Contracts.Mqtt.MqttTopics.IsId(siteId) && await db.Set<Site>().IgnoreQueryFilters([EbaDbContext.SiteFilter]).AnyAsync(s => s.TenantId == tenantId && s.SiteId == siteId, cancellationToken))
        {
            v.Add("site.siteId", $"tenant '{tenantId}' already has a site '{siteId}'; import under another id.");
        }

        var buildings = file.Buildings ?? [];
        var buildingIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < buildings.Count; i++)
        {
            v.Building($"buildings[{i}]", buildings[i], withId: true);
            if (buildings[i]?.BuildingId is { } id && !buildingIds.Add(id))
            {
                v.Add($"buildings[{i}].buildingId", $"building '{id}' is in the file twice.");
            }
        }

        var locations = file.Locations ?? [];
        var locationIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < locations.Count; i++)
        {
            v.Location($"locations[{i}]", locations[i], withId: true, buildingIds.Contains);
            if (locations[i]?.LocationId is { } id && !locationIds.Add(id))
            {
                v.Add($"locations[{i}].locationId", $"location '{id}' is in the file twice.");
            }
        }

        var context = await DeviceAdministration.ContextAsync(db, tenantId, siteId, cancellationToken);
        context = context with { Locations = locationIds };
        var devices = file.Devices ?? [];
        var resolved = new ResolvedProfile?[devices.Count];
        var devicePoints = new Dictionary<string, (string Model, HashSet<string> Points)>(StringComparer.Ordinal);
        for (var i = 0; i < devices.Count; i++)
        {
            var request = devices[i]?.Device;
            var prefix = $"devices[{i}]";
            resolved[i] = request?.ProfileId is { } pid ? await profiles.ResolveAsync(db, tenantId, pid, request.ProfileVersion, cancellationToken) : null;
            DeviceAdministration.Validate(v, $"{prefix}.device", request, withId: true, resolved[i], context);
            if (request?.DeviceId is not { } deviceId)
            {
                continue;
            }

            if (devicePoints.ContainsKey(deviceId))
            {
                v.Add($"{prefix}.device.deviceId", $"device '{deviceId}' is in the file twice.");
                continue;
            }

            var pointIds = resolved[i] is { } p ? p.Profile.Points.Select(x => x.Id).ToHashSet(StringComparer.Ordinal) : [];
            devicePoints[deviceId] = (request.ProfileId ?? "", pointIds);
            var overrides = devices[i].PointOverrides ?? [];
            for (var j = 0; j < overrides.Count; j++)
            {
                v.Override($"{prefix}.pointOverrides[{j}].override", overrides[j]?.Override);
                if (resolved[i] is not null && overrides[j]?.PointId is { } pointId && !pointIds.Contains(pointId))
                {
                    v.Add($"{prefix}.pointOverrides[{j}].pointId", $"profile '{request.ProfileId}' version {resolved[i]!.Version} has no point '{pointId}'.");
                }
            }
        }

        var fileRules = file.Rules ?? [];
        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        var existingRuleIds = (await db.Set<AlarmRule>().Where(r => r.TenantId == tenantId).Select(r => r.RuleId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < fileRules.Count; i++)
        {
            var prefix = $"rules[{i}]";
            if (fileRules[i] is not { } rule)
            {
                v.Add(prefix, "The rule is required.");
                continue;
            }

            v.Id($"{prefix}.ruleId", rule.RuleId);
            if (rule.RuleId is { } id && (!ruleIds.Add(id) || existingRuleIds.Contains(id)))
            {
                v.Add($"{prefix}.ruleId", existingRuleIds.Contains(id) ? $"tenant '{tenantId}' already has a rule '{id}'; rule ids are unique per tenant." : $"rule '{id}' is in the file twice.");
            }

            await rules.ValidateAsync(v, prefix, rule with { SiteId = siteId }, db, tenantId, devicePoints, cancellationToken);
        }

        v.ThrowIfAny("Invalid site file");

        db.Add(SiteAdministration.NewSite(tenantId, file.Site!, time.GetUtcNow()));
        foreach (var b in buildings)
        {
            db.Add(new Building { TenantId = tenantId, SiteId = siteId, BuildingId = b.BuildingId!, Name = b.Name!.Trim(), NameZh = b.NameZh?.Trim() });
        }

        foreach (var l in locations)
        {
            db.Add(SiteAdministration.NewLocation(tenantId, siteId, l));
        }

        var pointCount = 0;
        for (var i = 0; i < devices.Count; i++)
        {
            var (_, points) = DeviceAdministration.Add(db, tenantId, siteId, devices[i].Device, resolved[i]!);
            pointCount += points.Count;
            foreach (var o in devices[i].PointOverrides ?? [])
            {
                var point = points.Single(p => p.PointId == o.PointId);
                DeviceAdministration.SetOverride(point, o.Override);
                DeviceAdministration.ApplyEffective(point, resolved[i]!.Profile.FindPoint(o.PointId));
            }
        }

        foreach (var r in fileRules)
        {
            db.Add(AlarmRuleAdministration.New(tenantId, r.RuleId!, r with { SiteId = siteId }));
        }

        var result = new SiteImportResultDto(siteId, buildings.Count, locations.Count, devices.Count, pointCount, fileRules.Count);
        audit.Record(db, tenantId, "site.import", $"site/{siteId}", result);
        await db.SaveChangesAsync(cancellationToken);
        engine.InvalidateRules(tenantId);
        return result;
    }
}
