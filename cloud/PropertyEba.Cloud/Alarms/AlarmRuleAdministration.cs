using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Creates, edits, enables, disables and deletes a tenant's alarm rules, each checked against the assets it names (the
/// device and its point, or the profile and its point) and audited. Every change drops the alarm engine's cached rules
/// of the tenant, so the next sample is judged by the new rule without a restart.
/// </summary>
public sealed class AlarmRuleAdministration(IDbContextFactory<EbaDbContext> dbFactory, DeviceProfileLibrary profiles, AlarmEngine engine, AuditTrail audit)
{
    public const int MaxOnDelaySeconds = 24 * 3600;

    public async Task<AlarmRuleDto> GetAsync(string tenantId, string ruleId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await FindAsync(db, tenantId, ruleId, cancellationToken)).ToDto();
    }

    public async Task<AlarmRuleDto> CreateAsync(string tenantId, AlarmRuleRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var v = new AssetValidation();
        v.Id("ruleId", request.RuleId);
        await ValidateAsync(v, "", request, db, tenantId, null, cancellationToken);
        v.ThrowIfAny("Invalid alarm rule");
        if (await db.Set<AlarmRule>().AnyAsync(r => r.TenantId == tenantId && r.RuleId == request.RuleId, cancellationToken))
        {
            throw AssetProblemException.Conflict("Alarm rule", $"Tenant '{tenantId}' already has a rule '{request.RuleId}'.");
        }

        var rule = New(tenantId, request.RuleId!, request);
        db.Add(rule);
        audit.Record(db, tenantId, "rule.create", $"rule/{rule.RuleId}", rule.ToDto());
        await db.SaveChangesAsync(cancellationToken);
        engine.InvalidateRules(tenantId);
        return rule.ToDto();
    }

    /// <summary>Replaces a rule's definition (its id stays); <c>enabled</c> null keeps whether it is enabled.</summary>
    public async Task<AlarmRuleDto> UpdateAsync(string tenantId, string ruleId, AlarmRuleRequest request, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await FindAsync(db, tenantId, ruleId, cancellationToken);
        var v = new AssetValidation();
        await ValidateAsync(v, "", request, db, tenantId, null, cancellationToken);
        v.ThrowIfAny("Invalid alarm rule");
        var updated = New(tenantId, ruleId, request with { Enabled = request.Enabled ?? rule.Enabled });
        updated.Id = rule.Id;
        db.Entry(rule).CurrentValues.SetValues(updated);
        audit.Record(db, tenantId, "rule.update", $"rule/{ruleId}", rule.ToDto());
        await db.SaveChangesAsync(cancellationToken);
        engine.InvalidateRules(tenantId);
        return rule.ToDto();
    }

    public async Task<AlarmRuleDto> SetEnabledAsync(string tenantId, string ruleId, bool enabled, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await FindAsync(db, tenantId, ruleId, cancellationToken);
        rule.Enabled = enabled;
        audit.Record(db, tenantId, enabled ? "rule.enable" : "rule.disable", $"rule/{ruleId}");
        await db.SaveChangesAsync(cancellationToken);
        engine.InvalidateRules(tenantId);
        return rule.ToDto();
    }

    public async Task DeleteAsync(string tenantId, string ruleId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await FindAsync(db, tenantId, ruleId, cancellationToken);
        db.Remove(rule);
        audit.Record(db, tenantId, "rule.delete", $"rule/{ruleId}", rule.ToDto());
        await db.SaveChangesAsync(cancellationToken);
        engine.InvalidateRules(tenantId);
    }

    /// <summary>
    /// Checks a rule's fields and scope. <paramref name="devicePoints"/> (site import) gives the points of devices that
    /// are being created with it; otherwise devices are looked up in the store.
    /// </summary>
    internal async Task ValidateAsync(AssetValidation v, string prefix, AlarmRuleRequest r, EbaDbContext db, string tenantId,
        IReadOnlyDictionary<string, (string Model, HashSet<string> Points)>? devicePoints, CancellationToken ct)
    {
        string F(string field) => AssetValidation.Join(prefix, field);
        v.Name(F("name"), r.Name, required: true);
        v.Name(F("nameZh"), r.NameZh, required: false);
        if (string.IsNullOrEmpty(r.PointId) || !Contracts.Mqtt.MqttTopics.IsPointId(r.PointId))
        {
            v.Add(F("pointId"), $"'pointId' is '{r.PointId}'; a point id of the device or profile (letters, digits, '-', '_', '.') is required.");
        }

        if (r.Condition is null || !Enum.TryParse<AlarmCondition>(r.Condition, ignoreCase: false, out _) || int.TryParse(r.Condition, out _))
        {
            v.Add(F("condition"), $"'condition' is '{r.Condition}'; allowed: {string.Join(", ", Enum.GetNames<AlarmCondition>())}.");
        }

        if (r.Severity is not null && (!Enum.TryParse<Severity>(r.Severity, ignoreCase: false, out _) || int.TryParse(r.Severity, out _)))
        {
            v.Add(F("severity"), $"'severity' is '{r.Severity}'; allowed: {string.Join(", ", Enum.GetNames<Severity>())}.");
        }

        if (r.Threshold is not { } threshold || double.IsNaN(threshold) || double.IsInfinity(threshold))
        {
            v.Add(F("threshold"), "'threshold' is required: a finite number (the limit, or the state value for StateEquals).");
        }

        if (r.Deadband is { } deadband && (deadband < 0 || double.IsNaN(deadband) || double.IsInfinity(deadband)))
        {
            v.Add(F("deadband"), $"'deadband' is {deadband}; it must be a finite number ≥ 0.");
        }

        if (r.OnDelaySeconds is < 0 or > MaxOnDelaySeconds)
        {
            v.Add(F("onDelaySeconds"), $"'onDelaySeconds' is {r.OnDelaySeconds}; allowed 0..{MaxOnDelaySeconds}.");
        }

        foreach (var (field, seconds) in new[] { ("offDelaySeconds", r.OffDelaySeconds), ("reAlarmSeconds", r.ReAlarmSeconds) })
        {
            if (seconds is < 0 or > MaxOnDelaySeconds)
            {
                v.Add(F(field), $"'{field}' is {seconds}; allowed 0..{MaxOnDelaySeconds}.");
            }
        }

        if (r.SuppressedByRuleId is { } by && (!Contracts.Mqtt.MqttTopics.IsPointId(by) || by == r.RuleId))
        {
            v.Add(F("suppressedByRuleId"), $"'suppressedByRuleId' is '{by}'; the id of another rule of the tenant (the cause, e.g. a mains failure) is required.");
        }

        if (Enum.TryParse<AlarmCondition>(r.Condition, ignoreCase: false, out var condition) && r.Threshold is { } t && !AlarmEvaluator.ThresholdFits(condition, t, out var why))
        {
            v.Add(F("threshold"), why);
        }

        if (string.IsNullOrEmpty(r.PointId))
        {
            return;
        }

        // Points the cloud computes from the edge's events exist on every device.
        var computed = r.PointId.StartsWith(DeviceProfileLoader.ReservedPointPrefix, StringComparison.Ordinal);
        if (r.DeviceId is { } deviceId)
        {
            if (r.SiteId is null)
            {
                v.Add(F("siteId"), "a rule on one device needs the device's 'siteId'.");
                return;
            }

            (string Model, HashSet<string> Points)? device = devicePoints?.TryGetValue(deviceId, out var known) == true ? known : null;
            if (device is null)
            {
                var row = await db.Set<Device>().AsNoTracking().SingleOrDefaultAsync(d => d.TenantId == tenantId && d.SiteId == r.SiteId && d.DeviceId == deviceId, ct);
                if (row is not null)
                {
                    device = (row.Model, [.. await db.Set<Point>().Where(p => p.TenantId == tenantId && p.SiteId == r.SiteId && p.DeviceId == deviceId).Select(p => p.PointId).ToListAsync(ct)]);
                }
            }

            if (device is not { } d)
            {
                v.Add(F("deviceId"), $"site '{r.SiteId}' has no device '{deviceId}'.");
                return;
            }

            if (r.Model is not null && r.Model != d.Model)
            {
                v.Add(F("model"), $"device '{deviceId}' is a '{d.Model}', not a '{r.Model}'.");
            }

            if (!computed && !d.Points.Contains(r.PointId))
            {
                v.Add(F("pointId"), $"device '{deviceId}' has no point '{r.PointId}'; it has: {string.Join(", ", d.Points.Order(StringComparer.Ordinal))}.");
            }

            return;
        }

        if (r.SiteId is { } siteId && devicePoints is null && !await db.Set<Site>().AnyAsync(s => s.TenantId == tenantId && s.SiteId == siteId, ct))
        {
            v.Add(F("siteId"), $"tenant '{tenantId}' has no site '{siteId}'.");
        }

        if (r.Model is { } model)
        {
            var profile = await profiles.ResolveAsync(db, tenantId, model, null, ct);
            if (profile is null)
            {
                v.Add(F("model"), $"there is no device profile '{model}'.");
            }
            else if (!computed && profile.Profile.FindPoint(r.PointId) is null)
            {
                v.Add(F("pointId"), $"profile '{model}' has no point '{r.PointId}'; it has: {string.Join(", ", profile.Profile.Points.Select(p => p.Id))}.");
            }

            return;
        }

        if (!computed && !await db.Set<Point>().AnyAsync(p => p.TenantId == tenantId && p.PointId == r.PointId, ct))
        {
            v.Add(F("pointId"), $"no device of the tenant has a point '{r.PointId}'; name a device or profile, or a computed point ({Alarms.CommunicationPoint.Id}, {Alarms.CommunicationPoint.EdgeOfflineId}).");
        }
    }

    internal static AlarmRule New(string tenantId, string ruleId, AlarmRuleRequest r) => new()
    {
        TenantId = tenantId,
        RuleId = ruleId,
        Name = r.Name!.Trim(),
        NameZh = r.NameZh?.Trim(),
        SiteId = r.SiteId,
        DeviceId = r.DeviceId,
        Model = r.Model,
        PointId = r.PointId!,
        Condition = Enum.Parse<AlarmCondition>(r.Condition!),
        Threshold = r.Threshold!.Value,
        Deadband = r.Deadband ?? 0,
        OnDelaySeconds = r.OnDelaySeconds ?? 0,
        Severity = r.Severity is null ? Severity.Urgent : Enum.Parse<Severity>(r.Severity),
        OpensTicket = r.OpensTicket ?? true,
        Enabled = r.Enabled ?? true,
        OffDelaySeconds = r.OffDelaySeconds ?? 0,
        ReAlarmSeconds = r.ReAlarmSeconds ?? 0,
        Latched = r.Latched ?? false,
        SuppressedByRuleId = r.SuppressedByRuleId,
    };

    internal static AlarmRuleRequest RequestOf(AlarmRule r) => new(
        r.RuleId, r.Name, r.PointId, r.Condition.ToString(), r.Threshold, r.NameZh, r.SiteId, r.DeviceId, r.Model,
        r.Deadband, r.OnDelaySeconds, r.Severity.ToString(), r.OpensTicket, r.Enabled, r.OffDelaySeconds, r.ReAlarmSeconds, r.Latched, r.SuppressedByRuleId);

    private static async Task<AlarmRule> FindAsync(EbaDbContext db, string tenantId, string ruleId, CancellationToken ct) =>
        await db.Set<AlarmRule>().SingleOrDefaultAsync(r => r.TenantId == tenantId && r.RuleId == ruleId, ct)
        ?? throw AssetProblemException.NotFound("alarm rule", $"Tenant '{tenantId}' has no alarm rule '{ruleId}'.");
}
