using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Alarms;

/// <summary>Reads alarms, acknowledges them, and manages the rules.</summary>
public sealed class AlarmService(IDbContextFactory<EbaDbContext> dbFactory, AlarmEngine engine, LiveEvents live, AuditTrail audit, CallerAccessor callers, TimeProvider time)
{
    public async Task<IReadOnlyList<AlarmDto>> ListAsync(string tenantId, bool activeOnly, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<Alarm>().AsNoTracking().Where(a => a.TenantId == tenantId);
        if (activeOnly)
        {
            query = query.Where(a => a.State != AlarmState.Cleared);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(limit).ToListAsync(cancellationToken);
        return rows.ConvertAll(a => a.ToDto());
    }

    /// <summary>Acknowledges an open alarm as the current caller; null when the tenant has no such alarm.</summary>
    public async Task<AlarmDto?> AcknowledgeAsync(string tenantId, long alarmId, string? note, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var alarm = await db.Set<Alarm>().SingleOrDefaultAsync(a => a.TenantId == tenantId && a.Id == alarmId, cancellationToken);
        if (alarm is null)
        {
            return null;
        }

        if (alarm.AcknowledgedUtc is null)
        {
            alarm.AcknowledgedUtc = time.GetUtcNow();
            alarm.AcknowledgedBy = callers.Current is { IsAuthenticated: true } caller ? caller.UserName : AuditTrail.SystemUser;
            if (alarm.State == AlarmState.Active)
            {
                alarm.State = AlarmState.Acknowledged;
            }

            audit.Record(db, tenantId, "alarm.acknowledge", $"alarm/{alarm.Id}", note is null ? null : new { note });
            await db.SaveChangesAsync(cancellationToken);
            live.PublishAlarm(alarm.ToDto());
        }

        return alarm.ToDto();
    }

    public async Task<IReadOnlyList<AlarmRule>> ListRulesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<AlarmRule>().AsNoTracking().Where(r => r.TenantId == tenantId).OrderBy(r => r.RuleId).ToListAsync(cancellationToken);
    }

    /// <summary>Creates or replaces a rule by its RuleId.</summary>
    public async Task<AlarmRule> UpsertRuleAsync(AlarmRule rule, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.Set<AlarmRule>().SingleOrDefaultAsync(r => r.TenantId == rule.TenantId && r.RuleId == rule.RuleId, cancellationToken);
        if (existing is null)
        {
            rule.Id = 0;
            db.Add(rule);
            existing = rule;
        }
        else
        {
            rule.Id = existing.Id;
            db.Entry(existing).CurrentValues.SetValues(rule);
        }

        audit.Record(db, rule.TenantId, rule.Id == 0 ? "alarm-rule.create" : "alarm-rule.update", $"alarm-rule/{rule.RuleId}", rule.ToDto());
        await db.SaveChangesAsync(cancellationToken);
        engine.InvalidateRules(rule.TenantId);
        return existing;
    }
}
