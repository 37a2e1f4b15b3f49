using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// The conditions waiting for time to pass: an on-delay before raising, an off-delay before clearing, or a point's
/// silence for a no-data rule. Kept in memory for the engine and in <see cref="AlarmPendingCondition"/> rows, so that a
/// restart of the service picks them up where they were (a communication loss sends one event per episode, and its
/// alarm would otherwise never come). Not thread-safe: the engine calls it under its gate.
/// </summary>
public sealed class AlarmOnDelayScheduler(IDbContextFactory<EbaDbContext> dbFactory)
{
    private readonly Dictionary<(string RuleId, SeriesKey Series), Waiting> _waiting = [];

    public int Count => _waiting.Count;

    /// <summary>Waits for <paramref name="waiting"/>; stored when it is new or waits for something else than before.</summary>
    public async Task ScheduleAsync(string ruleId, SeriesKey series, Waiting waiting, CancellationToken ct)
    {
        var key = (ruleId, series);
        var changed = !_waiting.TryGetValue(key, out var before) || before.Kind != waiting.Kind || before.SinceUtcMs != waiting.SinceUtcMs;
        _waiting[key] = waiting;
        if (!changed)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<AlarmPendingCondition>().SingleOrDefaultAsync(
            p => p.TenantId == series.TenantId && p.RuleId == ruleId && p.SiteId == series.SiteId && p.DeviceId == series.DeviceId && p.PointId == series.PointId, ct);
        if (row is null)
        {
            row = new AlarmPendingCondition
            {
                TenantId = series.TenantId,
                SiteId = series.SiteId,
                DeviceId = series.DeviceId,
                PointId = series.PointId,
                RuleId = ruleId,
                Kind = waiting.Kind,
            };
            db.Add(row);
        }

        row.Kind = waiting.Kind;
        row.Value = waiting.Value;
        row.SinceUtcMs = waiting.SinceUtcMs;
        row.DueUtcMs = waiting.DueUtcMs;
        row.DueUtc = waiting.DueUtc;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Stops waiting (the condition ended first, the alarm was raised or cleared, the rule is gone).</summary>
    public async Task CancelAsync(string ruleId, SeriesKey series, CancellationToken ct)
    {
        if (!_waiting.Remove((ruleId, series)))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Set<AlarmPendingCondition>()
            .Where(p => p.TenantId == series.TenantId && p.RuleId == ruleId && p.SiteId == series.SiteId && p.DeviceId == series.DeviceId && p.PointId == series.PointId)
            .ExecuteDeleteAsync(ct);
    }

    /// <summary>What is due at <paramref name="nowUtc"/> on the cloud's clock.</summary>
    public List<(string RuleId, SeriesKey Series, Waiting Waiting)> Due(DateTimeOffset nowUtc) =>
        [.. _waiting.Where(w => w.Value.DueUtc <= nowUtc).Select(w => (w.Key.RuleId, w.Key.Series, w.Value))];

    /// <summary>Reads what was waiting before a restart.</summary>
    public async Task<List<(string RuleId, SeriesKey Series, Waiting Waiting)>> RestoreAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<AlarmPendingCondition>().AsNoTracking().ToListAsync(ct);
        var restored = new List<(string, SeriesKey, Waiting)>();
        foreach (var p in rows)
        {
            var series = new SeriesKey(p.TenantId, p.SiteId, p.DeviceId, p.PointId);
            var waiting = new Waiting(p.Kind, p.Value, p.SinceUtcMs, p.DueUtcMs, p.DueUtc);
            _waiting[(p.RuleId, series)] = waiting;
            restored.Add((p.RuleId, series, waiting));
        }

        return restored;
    }

    /// <summary>
    /// What one series waits for: the kind (<see cref="PendingKinds"/>), the value that made the condition, since when
    /// and until when on the edge's timeline, and until when on the cloud's clock.
    /// </summary>
    public sealed record Waiting(string Kind, double Value, long SinceUtcMs, long DueUtcMs, DateTimeOffset DueUtc);
}
