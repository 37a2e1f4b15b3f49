using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// The enabled rules of each tenant by point, reloaded every 15 seconds or at once after a change
/// (<see cref="Invalidate"/>), and the devices' models and equipment classes the rules' scopes need.
/// </summary>
public sealed class AlarmRuleCache(IDbContextFactory<EbaDbContext> dbFactory, TimeProvider time)
{
    private static readonly TimeSpan RuleRefresh = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, TenantRules> _rules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tenant, string Site, string Device), DeviceClass> _devices = new();

    /// <summary>Forgets the tenant's cached rules so the next sample sees rule changes at once.</summary>
    public void Invalidate(string tenantId) => _rules.TryRemove(tenantId, out _);

    public async Task<TenantRules> ForTenantAsync(string tenantId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_rules.TryGetValue(tenantId, out var cached) && now - cached.LoadedUtc < RuleRefresh)
        {
            return cached;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rules = await db.Set<AlarmRule>().AsNoTracking().Where(r => r.TenantId == tenantId && r.Enabled).ToListAsync(ct);
        var loaded = new TenantRules(
            now,
            rules.GroupBy(r => r.PointId).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal),
            rules.ToDictionary(r => r.RuleId, StringComparer.Ordinal),
            rules.Where(r => r.DeviceId is null).GroupBy(r => r.PointId).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal),
            rules.Where(r => r.DeviceId is not null).GroupBy(r => (r.PointId, r.DeviceId!)).ToDictionary(g => g.Key, g => g.ToArray()));
        _rules[tenantId] = loaded;
        return loaded;
    }

    /// <summary>The rule's scope: its site, device and model, if it names them.</summary>
    public async Task<bool> AppliesAsync(AlarmRule rule, SeriesKey series, CancellationToken ct) =>
        (rule.SiteId is null || rule.SiteId == series.SiteId)
        && (rule.DeviceId is null || rule.DeviceId == series.DeviceId)
        && (rule.Model is null || (await DeviceAsync(series.TenantId, series.SiteId, series.DeviceId, ct)).Model == rule.Model);

    /// <summary>The device's profile model and equipment class (its system); nulls for an edge, which has no device row.</summary>
    public async Task<DeviceClass> DeviceAsync(string tenantId, string siteId, string deviceId, CancellationToken ct)
    {
        if (_devices.TryGetValue((tenantId, siteId, deviceId), out var known))
        {
            return known;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var found = await db.Set<Device>().Where(d => d.TenantId == tenantId && d.SiteId == siteId && d.DeviceId == deviceId)
            .Select(d => new DeviceClass(d.Model, d.System)).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            // Not remembered: the device may be created later.
            return new DeviceClass(null, null);
        }

        _devices[(tenantId, siteId, deviceId)] = found;
        return found;
    }
}

/// <summary>
/// A tenant's enabled rules, by point and by id; and, for the engine's hot path, the rules of a point for any device
/// apart from those scoped to one device (so a sample meets only its own device's rules, not every device's).
/// </summary>
public sealed record TenantRules(
    DateTimeOffset LoadedUtc,
    Dictionary<string, AlarmRule[]> ByPoint,
    Dictionary<string, AlarmRule> ById,
    Dictionary<string, AlarmRule[]> ByPointAnyDevice,
    Dictionary<(string PointId, string DeviceId), AlarmRule[]> ByPointAndDevice)
{
    public int Count => ById.Count;

    /// <summary>The rules that may judge a sample of <paramref name="pointId"/> on <paramref name="deviceId"/>: those of any device, then the device's own.</summary>
    public IEnumerable<AlarmRule> Candidates(string pointId, string deviceId)
    {
        var any = ByPointAnyDevice.GetValueOrDefault(pointId) ?? [];
        var own = ByPointAndDevice.GetValueOrDefault((pointId, deviceId)) ?? [];
        return own.Length == 0 ? any : any.Length == 0 ? own : any.Concat(own);
    }
}

/// <summary>A device's model and equipment class (system), as the rules and the ticket policy see it.</summary>
public sealed record DeviceClass(string? Model, string? EquipmentClass);
