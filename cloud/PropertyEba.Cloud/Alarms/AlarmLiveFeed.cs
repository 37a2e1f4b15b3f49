using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Pushes every change of an alarm to the live feed (dashboard circuits, the hub) as the alarm now stands; the feed
/// filters it to the tenant and sites of each subscriber. Runs on the outbox, right after the change's commit.
/// </summary>
public sealed class AlarmLiveFeed(IDbContextFactory<EbaDbContext> dbFactory, LiveEvents live) :
    IDomainEventHandler<AlarmRaised>, IDomainEventHandler<AlarmCleared>, IDomainEventHandler<AlarmAcknowledged>,
    IDomainEventHandler<AlarmShelved>, IDomainEventHandler<AlarmUnshelved>, IDomainEventHandler<AlarmReset>,
    IDomainEventHandler<AlarmOutOfServiceChanged>
{
    public Task HandleAsync(AlarmRaised e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    public Task HandleAsync(AlarmCleared e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    public Task HandleAsync(AlarmAcknowledged e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    public Task HandleAsync(AlarmShelved e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    public Task HandleAsync(AlarmUnshelved e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    public Task HandleAsync(AlarmReset e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    public Task HandleAsync(AlarmOutOfServiceChanged e, CancellationToken ct) => PublishAsync(e.AlarmId, ct);

    private async Task PublishAsync(long alarmId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alarm = await db.Set<Alarm>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == alarmId, ct);
        if (alarm is not null)
        {
            live.PublishAlarm(alarm.ToDto());
        }
    }
}
