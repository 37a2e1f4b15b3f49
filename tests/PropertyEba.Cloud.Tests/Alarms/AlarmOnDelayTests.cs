using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Alarms;

/// <summary>
/// A condition that waits for its rule's on-delay is raised when the delay runs out, also when no further sample
/// comes (a device's communication state changes once per episode), and not when it ends first. On each provider.
/// </summary>
public abstract class AlarmOnDelayTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private const string Site = "harbour";
    private static readonly TimeSpan OnDelay = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 2, 0, 0, TimeSpan.Zero));
    private readonly TempStore _store;

    private AlarmOnDelayTests(PostgresServer? postgres)
    {
        _store = new TempStore(
            (services, configuration) => services
                .AddSingleton<TimeProvider>(_time)
                .AddSingleton<LiveEvents>()
                .AddTickets(configuration)
                .AddTicketsFromAlarms(configuration)
                .AddAlarms(),
            postgres);
    }

    public sealed class OnSqlite() : AlarmOnDelayTests(postgres: null);

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : AlarmOnDelayTests(postgres.Server);

    private AlarmEngine Engine => _store.Services.GetRequiredService<AlarmEngine>();

    public async Task InitializeAsync()
    {
        await _store.StartDatabaseAsync();
        await using var db = await _store.NewContextAsync();
        db.Add(new AlarmRule
        {
            TenantId = Tenant,
            RuleId = "comm-lost-5-min",
            Name = "Device communication lost for 5 minutes",
            PointId = CommunicationPoint.Id,
            Condition = AlarmCondition.StateEquals,
            Threshold = 1,
            OnDelaySeconds = (int)OnDelay.TotalSeconds,
            Severity = Severity.Urgent,
            OpensTicket = true,
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Communication_lost_longer_than_the_on_delay_raises_the_alarm_and_its_ticket_without_a_further_sample()
    {
        await CommunicationAsync(lost: true);
        _time.Advance(OnDelay - TimeSpan.FromSeconds(1));
        await Engine.RaiseDueAsync(CancellationToken.None);
        (await AlarmsAsync()).ShouldBeEmpty("the on-delay has not run out yet");

        _time.Advance(TimeSpan.FromSeconds(1));
        await Engine.RaiseDueAsync(CancellationToken.None);

        var alarm = (await AlarmsAsync()).ShouldHaveSingleItem();
        alarm.RuleId.ShouldBe("comm-lost-5-min");
        alarm.DeviceId.ShouldBe("pumps-1");
        alarm.RaisedUtc.ShouldBe(_time.GetUtcNow(), "raised when the on-delay ended");
        await _store.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);
        (await AlarmsAsync()).Single().TicketId.ShouldNotBeNull("the ticket policy opened its ticket from the AlarmRaised event");

        await Engine.RaiseDueAsync(CancellationToken.None);
        (await AlarmsAsync()).Count.ShouldBe(1, "a raised alarm is not raised again");
    }

    [Fact]
    public async Task A_waiting_on_delay_survives_a_restart_of_the_service_and_raises_when_it_runs_out()
    {
        var lostAt = _time.GetUtcNow();
        await CommunicationAsync(lost: true);
        _time.Advance(TimeSpan.FromMinutes(2));

        // Everything in memory is gone; the edge sends nothing more for this episode.
        await _store.RestartAsync();
        await Engine.RaiseDueAsync(CancellationToken.None);
        (await AlarmsAsync()).ShouldBeEmpty("three minutes of the on-delay are left");

        _time.Advance(TimeSpan.FromMinutes(3));
        await Engine.RaiseDueAsync(CancellationToken.None);

        var alarm = (await AlarmsAsync()).ShouldHaveSingleItem();
        alarm.RaisedUtc.ShouldBe(lostAt + OnDelay, "on the edge's timeline, as without the restart");
        await using var db = await _store.NewContextAsync();
        (await db.Set<AlarmPendingCondition>().CountAsync()).ShouldBe(0, "nothing waits any more");
    }

    [Fact]
    public async Task The_service_raises_it_without_a_further_sample()
    {
        var timer = _store.Services.GetServices<IHostedService>().OfType<AlarmOnDelayTimer>().Single();
        await timer.StartAsync(CancellationToken.None);
        try
        {
            var lostAt = _time.GetUtcNow();
            await CommunicationAsync(lost: true);

            _time.Advance(OnDelay);

            // The service starts its timer on a thread of its own, perhaps after the first advance: keep the clock going.
            await Eventually.UntilAsync(
                async _ =>
                {
                    _time.Advance(AlarmOnDelayTimer.Period);
                    return await AlarmsAsync();
                },
                list => list.Count == 1,
                "the timer to raise the alarm");
            (await AlarmsAsync()).Single().RaisedUtc.ShouldBe(lostAt + OnDelay, "stamped when the on-delay ended, however late the timer ran");
        }
        finally
        {
            await timer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task An_edge_clock_an_hour_behind_neither_skips_the_on_delay_nor_moves_the_alarm_off_the_edge_timeline()
    {
        var edgeLostAt = _time.GetUtcNow() - TimeSpan.FromHours(1);
        await CommunicationAsync(lost: true, at: edgeLostAt);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Engine.RaiseDueAsync(CancellationToken.None);
        (await AlarmsAsync()).ShouldBeEmpty("the on-delay is measured on the cloud's clock from the event's arrival");

        _time.Advance(OnDelay);
        await Engine.RaiseDueAsync(CancellationToken.None);
        (await AlarmsAsync()).ShouldHaveSingleItem().RaisedUtc.ShouldBe(edgeLostAt + OnDelay);
    }

    [Fact]
    public async Task Replayed_loss_and_recovery_shorter_than_the_on_delay_raise_nothing_however_old()
    {
        var replayedFrom = _time.GetUtcNow() - TimeSpan.FromDays(1);
        await CommunicationAsync(lost: true, at: replayedFrom);
        await Engine.RaiseDueAsync(CancellationToken.None);
        await CommunicationAsync(lost: false, at: replayedFrom + TimeSpan.FromMinutes(1));

        _time.Advance(OnDelay);
        await Engine.RaiseDueAsync(CancellationToken.None);

        (await AlarmsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Communication_restored_within_the_on_delay_raises_nothing()
    {
        await CommunicationAsync(lost: true);
        _time.Advance(TimeSpan.FromMinutes(2));
        await CommunicationAsync(lost: false);

        _time.Advance(OnDelay);
        await Engine.RaiseDueAsync(CancellationToken.None);

        (await AlarmsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Rule_disabled_during_the_on_delay_raises_nothing()
    {
        await CommunicationAsync(lost: true);
        await using (var db = await _store.NewContextAsync())
        {
            await db.Set<AlarmRule>().ExecuteUpdateAsync(r => r.SetProperty(x => x.Enabled, false));
        }

        Engine.InvalidateRules(Tenant);
        _time.Advance(OnDelay);
        await Engine.RaiseDueAsync(CancellationToken.None);

        (await AlarmsAsync()).ShouldBeEmpty();
    }

    private Task CommunicationAsync(bool lost, DateTimeOffset? at = null) =>
        Engine.ProcessAsync(Tenant, Site, [new("pumps-1", CommunicationPoint.Id, lost ? 1 : 0, (at ?? _time.GetUtcNow()).ToUnixTimeMilliseconds())], CancellationToken.None);

    private async Task<List<Alarm>> AlarmsAsync()
    {
        await using var db = await _store.NewContextAsync();
        return await db.Set<Alarm>().AsNoTracking().ToListAsync();
    }
}
