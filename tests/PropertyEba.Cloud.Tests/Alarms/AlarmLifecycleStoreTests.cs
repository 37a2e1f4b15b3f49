using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Alarms;

/// <summary>
/// Alarms through the engine, the store and the outbox, on each provider: grouping into incidents, suppression by
/// design, out of service, latching, shelving that ends on its own, comments, the audit of every transition — and the
/// tickets the policy opens from them: one per incident, a recurrence appended (also after a restart), verification on
/// clearing, acknowledgement by a closed ticket.
/// </summary>
public abstract class AlarmLifecycleStoreTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private const string Site = "harbour";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero));
    private readonly TempStore _store;

    private AlarmLifecycleStoreTests(PostgresServer? postgres) =>
        _store = new TempStore(
            (services, configuration) => services
                .AddSingleton<TimeProvider>(_time)
                .AddSingleton<LiveEvents>()
                .AddTickets(configuration)
                .AddTicketsFromAlarms(configuration)
                .AddAlarms(),
            postgres);

    public sealed class OnSqlite() : AlarmLifecycleStoreTests(postgres: null);

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : AlarmLifecycleStoreTests(postgres.Server);

    private AlarmEngine Engine => _store.Services.GetRequiredService<AlarmEngine>();

    private AlarmService Alarms => _store.Services.GetRequiredService<AlarmService>();

    public async Task InitializeAsync()
    {
        await _store.StartDatabaseAsync();
        await using var db = await _store.NewContextAsync();
        db.Add(new Device { TenantId = Tenant, SiteId = Site, DeviceId = "pumps-1", Model = "pump-set-duplex", Name = "Pump set", NameZh = "生活泵组", System = "water" });
        db.Add(new Device { TenantId = Tenant, SiteId = Site, DeviceId = "mains", Model = "power-meter", Name = "Mains", System = "power" });
        db.Add(Rule("pump1-fault", "pump1.vfdFault", AlarmCondition.StateEquals, 1));
        db.Add(Rule("pump1-pressure-low", "outletPressure", AlarmCondition.BelowLimit, 0.3, suppressedBy: "mains-failure"));
        db.Add(Rule("mains-failure", "mainsLost", AlarmCondition.StateEquals, 1, severity: Severity.Emergency));
        db.Add(Rule("comm-lost", CommunicationPoint.Id, AlarmCondition.CommunicationLost, 1));
        db.Add(Rule("fire", "fireAlarm", AlarmCondition.StateEquals, 1, severity: Severity.Emergency, latched: true));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Two_alarms_of_one_pump_set_are_one_incident_with_one_ticket_and_the_second_is_appended_to_it()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        await SampleAsync("pumps-1", "outletPressure", 0.1);
        await DispatchAsync();

        var alarms = await AlarmsAsync();
        alarms.Count.ShouldBe(2);
        alarms.Select(a => a.IncidentId).Distinct().ShouldHaveSingleItem();
        alarms.Select(a => a.TicketId).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
        await using var db = await _store.NewContextAsync();
        var ticket = await db.Set<Ticket>().SingleAsync();
        (await db.Set<TicketEvent>().Where(e => e.TicketId == ticket.Id).Select(e => e.Action).ToListAsync()).ShouldBe(["open", "alarm"]);
        (await db.Set<AlarmIncident>().SingleAsync()).TicketId.ShouldBe(ticket.Id);
    }

    [Fact]
    public async Task The_same_fault_raised_again_after_a_restart_appends_to_the_open_ticket_instead_of_opening_a_second()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        await DispatchAsync();
        await SampleAsync("pumps-1", "pump1.vfdFault", 0);
        await DispatchAsync();

        await _store.RestartAsync();
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        await DispatchAsync();

        await using var db = await _store.NewContextAsync();
        var ticket = await db.Set<Ticket>().SingleAsync();
        (await AlarmsAsync()).Select(a => a.TicketId).ShouldBe([ticket.Id, ticket.Id]);
        (await db.Set<AlarmIncident>().CountAsync()).ShouldBe(2, "the first incident closed when its alarm cleared");
        (await db.Set<TicketEvent>().Where(e => e.TicketId == ticket.Id).Select(e => e.Action).ToListAsync()).ShouldBe(["open", "verify", "alarm"]);
    }

    [Fact]
    public async Task A_recurrence_reopens_the_equipment_s_recently_closed_ticket()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        await DispatchAsync();
        var ticketId = (await AlarmsAsync()).Single().TicketId!.Value;
        var tickets = _store.Services.GetRequiredService<TicketService>();
        foreach (var action in new[] { new TicketActionRequest("dispatch", "王师傅"), new("accept"), new("arrive"), new("resolve", Cause: "VFD fault", Remedy: "VFD replaced", LabourHours: 1.5), new("callback", Satisfaction: 5), new("close") })
        {
            (await tickets.ApplyAsync(Tenant, ticketId, action, CancellationToken.None)).Error.ShouldBeNull();
        }

        await SampleAsync("pumps-1", "pump1.vfdFault", 0);
        _time.Advance(TimeSpan.FromHours(2));
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        await DispatchAsync();

        await using var db = await _store.NewContextAsync();
        var ticket = await db.Set<Ticket>().SingleAsync();
        ticket.Status.ShouldBe(TicketStatus.Dispatched, "reopened, back to the technician who repaired it");
        ticket.AssignedTo.ShouldBe("王师傅");
        (await AlarmsAsync()).Last().TicketId.ShouldBe(ticketId);
    }

    [Fact]
    public async Task A_cleared_alarm_asks_its_ticket_for_verification_and_closing_the_ticket_acknowledges_its_alarms_with_the_reason()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        await DispatchAsync();
        await SampleAsync("pumps-1", "pump1.vfdFault", 0);
        await DispatchAsync();

        var alarm = (await AlarmsAsync()).Single();
        await using (var db = await _store.NewContextAsync())
        {
            (await db.Set<TicketEvent>().Where(e => e.TicketId == alarm.TicketId).Select(e => e.Action).ToListAsync()).ShouldContain("verify");
            (await db.Set<DomainEventRecord>().CountAsync(e => e.Type == typeof(TicketVerificationRequested).FullName)).ShouldBe(1);
            db.AddDomainEvent(new TicketClosed(Tenant, alarm.TicketId!.Value, [alarm.Id], "VFD replaced", DateTimeOffset.UnixEpoch));
            await db.SaveChangesAsync();
        }

        await DispatchAsync();

        alarm = (await AlarmsAsync()).Single();
        alarm.AcknowledgedBy.ShouldBe(AuditTrail.SystemUser);
        alarm.AcknowledgeNote.ShouldBe("VFD replaced");
    }

    [Fact]
    public async Task A_mains_failure_suppresses_the_pump_pressure_alarm_it_causes_which_opens_no_ticket()
    {
        await SampleAsync("mains", "mainsLost", 1);
        await SampleAsync("pumps-1", "outletPressure", 0.0);
        await DispatchAsync();

        var pressure = (await AlarmsAsync()).Single(a => a.RuleId == "pump1-pressure-low");
        pressure.SuppressedBy.ShouldBe("mains-failure");
        pressure.TicketId.ShouldBeNull();
        await using var db = await _store.NewContextAsync();
        (await db.Set<DomainEventRecord>().CountAsync(e => e.Type == typeof(AlarmRaised).FullName)).ShouldBe(1, "only the mains failure is announced");
    }

    [Fact]
    public async Task A_lost_device_suppresses_its_own_value_alarms()
    {
        await SampleAsync("pumps-1", CommunicationPoint.Id, 1);
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);

        (await AlarmsAsync()).Single(a => a.RuleId == "pump1-fault").SuppressedBy.ShouldBe(CommunicationPoint.Id);
    }

    [Fact]
    public async Task A_device_out_of_service_raises_unannounced_alarms_until_it_is_back()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        var first = (await AlarmsAsync()).Single();
        (await Alarms.SetOutOfServiceAsync(Tenant, first.Id, true, "pump overhaul", CancellationToken.None)).Alarm!.OutOfService.ShouldBeTrue();

        await SampleAsync("pumps-1", "outletPressure", 0.1);
        (await AlarmsAsync()).Single(a => a.RuleId == "pump1-pressure-low").OutOfService.ShouldBeTrue();

        await Alarms.SetOutOfServiceAsync(Tenant, first.Id, false, null, CancellationToken.None);
        (await AlarmsAsync()).ShouldAllBe(a => !a.OutOfService);
    }

    [Fact]
    public async Task A_fire_alarm_stays_after_its_condition_clears_until_it_is_reset_and_then_its_incident_closes()
    {
        await SampleAsync("pumps-1", "fireAlarm", 1);
        var fire = (await AlarmsAsync()).Single();
        (await Alarms.ResetAsync(Tenant, fire.Id, CancellationToken.None)).Error.ShouldNotBeNull().ShouldContain("still holds");

        await SampleAsync("pumps-1", "fireAlarm", 0);
        (await AlarmsAsync()).Single().State.ShouldBe(AlarmState.ClearedUnacknowledged);

        var (reset, error) = await Alarms.ResetAsync(Tenant, fire.Id, CancellationToken.None);
        error.ShouldBeNull();
        reset!.State.ShouldBe(AlarmState.Cleared);
        await using var db = await _store.NewContextAsync();
        (await db.Set<AlarmIncident>().SingleAsync()).ClosedUtc.ShouldBe(_time.GetUtcNow());
        (await db.Set<AuditEntry>().Where(a => a.Target == $"alarm/{fire.Id}").Select(a => a.Action).ToListAsync()).ShouldBe(["alarm.reset"]);
    }

    [Fact]
    public async Task Shelving_hides_an_alarm_for_its_time_and_ends_on_its_own()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        var alarm = (await AlarmsAsync()).Single();
        var (shelved, error) = await Alarms.ShelveAsync(Tenant, alarm.Id, TimeSpan.FromMinutes(30), "sensor being replaced", CancellationToken.None);
        error.ShouldBeNull();
        shelved!.ShelvedUntilUtc.ShouldBe(_time.GetUtcNow() + TimeSpan.FromMinutes(30));

        _time.Advance(TimeSpan.FromMinutes(29));
        await Alarms.SweepAsync(CancellationToken.None);
        (await AlarmsAsync()).Single().ShelvedUntilUtc.ShouldNotBeNull();

        _time.Advance(TimeSpan.FromMinutes(1));
        await Alarms.SweepAsync(CancellationToken.None);

        (await AlarmsAsync()).Single().ShelvedUntilUtc.ShouldBeNull();
        await using var db = await _store.NewContextAsync();
        var trail = await db.Set<AuditEntry>().Where(a => a.Target == $"alarm/{alarm.Id}").OrderBy(a => a.Id).ToListAsync();
        trail.Select(a => a.Action).ShouldBe(["alarm.shelve", "alarm.unshelve"]);
        trail[1].UserName.ShouldBe(AuditTrail.SystemUser);
        trail[1].AtUtc.ShouldBe(_time.GetUtcNow());
        (await db.Set<DomainEventRecord>().CountAsync(e => e.Type == typeof(AlarmUnshelved).FullName)).ShouldBe(1);
    }

    [Fact]
    public async Task An_acknowledged_alarm_still_holding_after_its_re_alarm_time_is_unacknowledged_again()
    {
        await using (var db = await _store.NewContextAsync())
        {
            await db.Set<AlarmRule>().Where(r => r.RuleId == "pump1-fault").ExecuteUpdateAsync(r => r.SetProperty(x => x.ReAlarmSeconds, 600));
        }

        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        var alarm = (await AlarmsAsync()).Single();
        (await Alarms.AcknowledgeAsync(Tenant, alarm.Id, "seen", CancellationToken.None))!.State.ShouldBe(AlarmState.Acknowledged);

        _time.Advance(TimeSpan.FromMinutes(10));
        await Alarms.SweepAsync(CancellationToken.None);

        (await AlarmsAsync()).Single().State.ShouldBe(AlarmState.Active);
    }

    [Fact]
    public async Task Comments_are_kept_in_order_with_who_and_when()
    {
        await SampleAsync("pumps-1", "pump1.vfdFault", 1);
        var alarm = (await AlarmsAsync()).Single();
        await Alarms.CommentAsync(Tenant, alarm.Id, "VFD shows F0001", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await Alarms.CommentAsync(Tenant, alarm.Id, "spare ordered", CancellationToken.None);

        var comments = (await Alarms.CommentsAsync(Tenant, alarm.Id, CancellationToken.None))!;
        comments.Select(c => c.Text).ShouldBe(["VFD shows F0001", "spare ordered"]);
        comments[1].AtUtc.ShouldBe(_time.GetUtcNow());
        comments.ShouldAllBe(c => c.By == AuditTrail.SystemUser);
        (await Alarms.CommentsAsync("globex", alarm.Id, CancellationToken.None)).ShouldBeNull("another tenant's alarm");
    }

    private static AlarmRule Rule(string id, string point, AlarmCondition condition, double threshold, Severity severity = Severity.Urgent, string? suppressedBy = null, bool latched = false) => new()
    {
        TenantId = Tenant,
        RuleId = id,
        Name = id,
        PointId = point,
        Condition = condition,
        Threshold = threshold,
        Severity = severity,
        SuppressedByRuleId = suppressedBy,
        Latched = latched,
        OpensTicket = true,
    };

    private async Task SampleAsync(string device, string point, double value)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        await Engine.ProcessAsync(Tenant, Site, [new(device, point, value, _time.GetUtcNow().ToUnixTimeMilliseconds())], CancellationToken.None);
    }

    private Task DispatchAsync() => _store.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);

    private async Task<List<Alarm>> AlarmsAsync()
    {
        await using var db = await _store.NewContextAsync();
        return await db.Set<Alarm>().AsNoTracking().OrderBy(a => a.Id).ToListAsync();
    }
}
