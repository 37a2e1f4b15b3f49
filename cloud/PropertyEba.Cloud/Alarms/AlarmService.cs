using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Reads alarms and moves them through their lifecycle (<see cref="AlarmLifecycle"/>) for a person: acknowledge, reset,
/// shelve, unshelve, out of service, comment — each audited with who and when, and written to the outbox as an event
/// in the same transaction. The system's own transitions (shelving that ran out, re-alarm, a closed ticket) go the same way
/// as user <c>system</c>.
/// </summary>
public sealed class AlarmService(IDbContextFactory<EbaDbContext> dbFactory, AlarmEngine engine, AuditTrail audit, CallerAccessor callers, TimeProvider time)
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

    /// <summary>Acknowledges an alarm as the current caller; null when the tenant has no such alarm.</summary>
    public async Task<AlarmDto?> AcknowledgeAsync(string tenantId, long alarmId, string? note, CancellationToken cancellationToken) =>
        (await ChangeAsync(tenantId, alarmId, "alarm.acknowledge", note is null ? null : new { note }, (db, alarm, by, now) =>
        {
            if (alarm.AcknowledgedUtc is not null)
            {
                return (null, null);
            }

            Acknowledge(db, alarm, by, now, note);
            return (null, null);
        }, cancellationToken)).Alarm;

    /// <summary>Resets a latched alarm whose condition has cleared; (null, null) when there is no such alarm.</summary>
    public Task<(AlarmDto? Alarm, string? Error)> ResetAsync(string tenantId, long alarmId, CancellationToken ct) =>
        ChangeAsync(tenantId, alarmId, "alarm.reset", null, (db, alarm, by, now) =>
        {
            var (next, error) = AlarmLifecycle.Reset(alarm.State, alarm.Latched);
            if (next is null)
            {
                return (error, null);
            }

            alarm.State = next.Value;
            alarm.ResetUtc = now;
            alarm.ResetBy = by;
            alarm.AcknowledgedUtc ??= now;
            alarm.AcknowledgedBy ??= by;
            db.AddDomainEvent(new AlarmReset(alarm.TenantId, alarm.SiteId, alarm.DeviceId, alarm.Id, alarm.IncidentId, alarm.RuleId, alarm.Severity, alarm.Message, now, by));
            return (null, alarm.IncidentId);
        }, ct);

    public Task<(AlarmDto? Alarm, string? Error)> ShelveAsync(string tenantId, long alarmId, TimeSpan duration, string? reason, CancellationToken ct) =>
        ChangeAsync(tenantId, alarmId, "alarm.shelve", new { minutes = duration.TotalMinutes, reason }, (db, alarm, by, now) =>
        {
            if (AlarmLifecycle.CannotShelve(alarm.State, duration, reason) is { } error)
            {
                return (error, null);
            }

            alarm.ShelvedUntilUtc = now + duration;
            alarm.ShelvedBy = by;
            alarm.ShelveReason = reason!.Trim();
            db.AddDomainEvent(new AlarmShelved(alarm.TenantId, alarm.SiteId, alarm.DeviceId, alarm.Id, alarm.IncidentId, alarm.RuleId, alarm.Severity, alarm.Message, now, alarm.ShelvedUntilUtc.Value, by, alarm.ShelveReason));
            return (null, null);
        }, ct);

    public Task<(AlarmDto? Alarm, string? Error)> UnshelveAsync(string tenantId, long alarmId, CancellationToken ct) =>
        ChangeAsync(tenantId, alarmId, "alarm.unshelve", null, (db, alarm, by, now) =>
        {
            if (alarm.ShelvedUntilUtc is null)
            {
                return ("The alarm is not shelved.", null);
            }

            Unshelve(db, alarm, by, now, expired: false);
            return (null, null);
        }, ct);

    /// <summary>Takes the alarm's device out of service (its alarms no longer announced) or puts it back.</summary>
    public Task<(AlarmDto? Alarm, string? Error)> SetOutOfServiceAsync(string tenantId, long alarmId, bool outOfService, string? reason, CancellationToken ct) =>
        ChangeAsync(tenantId, alarmId, outOfService ? "alarm.out-of-service" : "alarm.in-service", new { reason }, async (db, alarm, by, now) =>
        {
            var marker = await db.Set<DeviceOutOfService>().SingleOrDefaultAsync(o => o.TenantId == alarm.TenantId && o.SiteId == alarm.SiteId && o.DeviceId == alarm.DeviceId, ct);
            if (outOfService && marker is null)
            {
                db.Add(new DeviceOutOfService { TenantId = alarm.TenantId, SiteId = alarm.SiteId, DeviceId = alarm.DeviceId, By = by, Reason = reason, SinceUtc = now });
            }
            else if (!outOfService && marker is not null)
            {
                db.Remove(marker);
            }

            // Every open alarm of the device goes with it.
            var open = await db.Set<Alarm>().Where(a => a.TenantId == alarm.TenantId && a.SiteId == alarm.SiteId && a.DeviceId == alarm.DeviceId && a.State != AlarmState.Cleared).ToListAsync(ct);
            foreach (var a in open.Where(a => a.OutOfService != outOfService))
            {
                a.OutOfService = outOfService;
                db.AddDomainEvent(new AlarmOutOfServiceChanged(a.TenantId, a.SiteId, a.DeviceId, a.Id, a.IncidentId, a.RuleId, a.Severity, a.Message, now, outOfService, by, reason));
            }

            return ((string?)null, (long?)null);
        }, ct);

    public async Task<(AlarmCommentDto? Comment, string? Error)> CommentAsync(string tenantId, long alarmId, string text, CancellationToken ct)
    {
        AlarmComment? added = null;
        var (alarm, error) = await ChangeAsync(tenantId, alarmId, "alarm.comment", new { text }, (db, alarm, by, now) =>
        {
            added = new AlarmComment { TenantId = alarm.TenantId, AlarmId = alarm.Id, By = by, Text = text.Trim(), AtUtc = now };
            db.Add(added);
            db.AddDomainEvent(new AlarmCommented(alarm.TenantId, alarm.SiteId, alarm.DeviceId, alarm.Id, alarm.IncidentId, alarm.RuleId, alarm.Severity, alarm.Message, now, by, added.Text));
            return (null, null);
        }, ct);
        return alarm is null || added is null ? (null, error) : (new AlarmCommentDto(added.Id, added.AlarmId, added.By, added.Text, added.AtUtc), null);
    }

    public async Task<IReadOnlyList<AlarmCommentDto>?> CommentsAsync(string tenantId, long alarmId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Set<Alarm>().AnyAsync(a => a.TenantId == tenantId && a.Id == alarmId, ct))
        {
            return null;
        }

        return await db.Set<AlarmComment>().Where(c => c.TenantId == tenantId && c.AlarmId == alarmId).OrderBy(c => c.Id)
            .Select(c => new AlarmCommentDto(c.Id, c.AlarmId, c.By, c.Text, c.AtUtc)).ToListAsync(ct);
    }

    /// <summary>A closed ticket acknowledges its alarms, with the ticket's reason, as the system.</summary>
    public async Task AcknowledgeForTicketAsync(string tenantId, long ticketId, IReadOnlyCollection<long> alarmIds, string? reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarms = await db.Set<Alarm>().Where(a => a.TenantId == tenantId && (alarmIds.Contains(a.Id) || a.TicketId == ticketId) && a.AcknowledgedUtc == null).ToListAsync(ct);
        var now = time.GetUtcNow();
        var note = string.IsNullOrWhiteSpace(reason) ? $"ticket {ticketId} closed" : reason;
        foreach (var alarm in alarms)
        {
            Acknowledge(db, alarm, AuditTrail.SystemUser, now, note);
            audit.Record(db, tenantId, "alarm.acknowledge", $"alarm/{alarm.Id}", new { note, ticketId });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Brings back the shelved alarms whose time has run out, and re-announces acknowledged ones past their re-alarm time.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var expired = await db.Set<Alarm>().Where(a => a.ShelvedUntilUtc != null && a.ShelvedUntilUtc <= now).ToListAsync(ct);
        foreach (var alarm in expired)
        {
            Unshelve(db, alarm, AuditTrail.SystemUser, now, expired: true);
            audit.Record(db, alarm.TenantId, "alarm.unshelve", $"alarm/{alarm.Id}", new { expired = true });
        }

        var reAlarm = await db.Set<Alarm>().Where(a => a.ReAlarmDueUtc != null && a.ReAlarmDueUtc <= now).ToListAsync(ct);
        foreach (var alarm in reAlarm)
        {
            alarm.ReAlarmDueUtc = null;
            if (alarm.State != AlarmState.Acknowledged)
            {
                continue;
            }

            alarm.State = AlarmLifecycle.OnReAlarm(alarm.State);
            alarm.AcknowledgedUtc = null;
            alarm.AcknowledgedBy = null;
            audit.Record(db, alarm.TenantId, "alarm.re-alarm", $"alarm/{alarm.Id}");
            if (alarm.IsAnnounced)
            {
                db.AddDomainEvent(AlarmEventFactory.Raised(alarm, null));
            }
        }

        await db.SaveChangesAsync(ct);
        return expired.Count + reAlarm.Count;
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

    private void Acknowledge(EbaDbContext db, Alarm alarm, string by, DateTimeOffset now, string? note)
    {
        alarm.AcknowledgedUtc = now;
        alarm.AcknowledgedBy = by;
        alarm.AcknowledgeNote = note;
        alarm.State = AlarmLifecycle.OnAcknowledged(alarm.State);
        alarm.ReAlarmDueUtc = alarm.State == AlarmState.Acknowledged && ReAlarmOf(db, alarm) is { } reAlarm ? now + reAlarm : null;
        db.AddDomainEvent(new AlarmAcknowledged(alarm.TenantId, alarm.SiteId, alarm.DeviceId, alarm.Id, alarm.IncidentId, alarm.RuleId, alarm.Severity, alarm.Message, now, by, note));
    }

    private static TimeSpan? ReAlarmOf(EbaDbContext db, Alarm alarm)
    {
        var seconds = db.Set<AlarmRule>().Where(r => r.TenantId == alarm.TenantId && r.RuleId == alarm.RuleId).Select(r => r.ReAlarmSeconds).FirstOrDefault();
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    private static void Unshelve(EbaDbContext db, Alarm alarm, string by, DateTimeOffset now, bool expired)
    {
        alarm.ShelvedUntilUtc = null;
        alarm.ShelvedBy = null;
        alarm.ShelveReason = null;
        db.AddDomainEvent(new AlarmUnshelved(alarm.TenantId, alarm.SiteId, alarm.DeviceId, alarm.Id, alarm.IncidentId, alarm.RuleId, alarm.Severity, alarm.Message, now, by, expired));
    }

    // One transition for the caller: the alarm, the change, its audit entry and its event saved together. The change
    // returns an error (nothing saved) or the incident to close if it is over.
    private Task<(AlarmDto? Alarm, string? Error)> ChangeAsync(string tenantId, long alarmId, string action, object? detail,
        Func<EbaDbContext, Alarm, string, DateTimeOffset, (string? Error, long? CloseIncident)> change, CancellationToken ct) =>
        ChangeAsync(tenantId, alarmId, action, detail, (db, alarm, by, now) => Task.FromResult(change(db, alarm, by, now)), ct);

    private async Task<(AlarmDto? Alarm, string? Error)> ChangeAsync(string tenantId, long alarmId, string action, object? detail,
        Func<EbaDbContext, Alarm, string, DateTimeOffset, Task<(string? Error, long? CloseIncident)>> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarm = await db.Set<Alarm>().SingleOrDefaultAsync(a => a.TenantId == tenantId && a.Id == alarmId, ct);
        if (alarm is null)
        {
            return (null, null);
        }

        var now = time.GetUtcNow();
        var by = callers.Current is { IsAuthenticated: true } caller ? caller.UserName : AuditTrail.SystemUser;
        var (error, closeIncident) = await change(db, alarm, by, now);
        if (error is not null)
        {
            return (null, error);
        }

        if (db.ChangeTracker.HasChanges())
        {
            audit.Record(db, tenantId, action, $"alarm/{alarm.Id}", detail);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (closeIncident is { } incident)
            {
                await AlarmIncidents.CloseIfOverAsync(db, incident, now, ct);
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }

        return (alarm.ToDto(), null);
    }
}
