using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Tickets;

/// <summary>A ticket through the service and the store, on each provider: its times, its trail, its audit, its lists.</summary>
public abstract class TicketServiceTests : IAsyncLifetime
{
    private const string Tenant = "acme";

    // A clock that answers with +08:00 (FakeTimeProvider keeps the offset it is given): written at that offset, the
    // times must be stored and compared as instants on both providers.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 0, 10, 0, TimeSpan.FromHours(8)));
    private readonly TempStore _store;

    private TicketServiceTests(PostgresServer? postgres) =>
        _store = new TempStore(
            (services, configuration) => services.AddSingleton<TimeProvider>(_time).AddSingleton<LiveEvents>().AddTickets(configuration),
            postgres);

    public sealed class OnSqlite() : TicketServiceTests(postgres: null);

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : TicketServiceTests(postgres.Server);

    private TicketService Tickets => _store.Services.GetRequiredService<TicketService>();

    public Task InitializeAsync() => _store.StartDatabaseAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Urgent_ticket_late_on_site_is_overdue_and_keeps_every_step_in_its_trail_and_the_audit()
    {
        var opened = await Tickets.OpenAsync(Tenant, "harbour", "pumps-1", null, MessageCatalog.Typed("Pump trip"), Severity.Urgent, CancellationToken.None);
        opened.OnSiteDueUtc.ShouldBe(_time.GetUtcNow() + TimeSpan.FromMinutes(15));

        foreach (var action in new[] { new TicketActionRequest("dispatch", "王师傅"), new("accept") })
        {
            (await Tickets.ApplyAsync(Tenant, opened.Id, action, CancellationToken.None)).Error.ShouldBeNull();
        }

        _time.Advance(TimeSpan.FromMinutes(20));
        var arrived = (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("arrive"), CancellationToken.None)).Ticket!;
        arrived.OnSiteOverdue.ShouldBeTrue("on site 20 minutes after an urgent ticket was opened");
        (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("resolve", Cause: "Bearing worn", Remedy: "Replaced the bearing", LabourHours: 1.5), CancellationToken.None)).Error.ShouldBeNull();
        (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("callback", Satisfaction: 4), CancellationToken.None)).Error.ShouldBeNull();
        (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("close"), CancellationToken.None)).Error.ShouldBeNull();

        var stored = (await Tickets.GetAsync(Tenant, opened.Id, CancellationToken.None))!;
        stored.Status.ShouldBe(TicketStatus.Closed);
        stored.CreatedUtc.ShouldBe(opened.CreatedUtc);
        stored.OnSiteUtc.ShouldBe(_time.GetUtcNow());

        await using var db = await _store.NewContextAsync();
        (await db.Set<TicketEvent>().Where(e => e.TicketId == opened.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync())
            .ShouldBe(["open", "dispatch", "accept", "arrive", "resolve", "callback", "close"]);
        (await db.Set<AuditEntry>().Where(a => a.AtUtc > opened.CreatedUtc).CountAsync()).ShouldBe(4, "arrive, resolve, callback and close came after the opening");
    }

    [Fact]
    public async Task Open_list_leaves_out_closed_tickets_and_other_tenants_newest_first()
    {
        var first = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Leak"), Severity.Normal, CancellationToken.None);
        var second = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Noise"), Severity.Normal, CancellationToken.None);
        await Tickets.OpenAsync("globex", "harbour", null, null, MessageCatalog.Typed("Not ours"), Severity.Normal, CancellationToken.None);
        foreach (var action in new[] { new TicketActionRequest("dispatch", "张师傅"), new("accept"), new("arrive"), new("resolve", Cause: "Bearing worn", Remedy: "Replaced the bearing", LabourHours: 1.5), new("callback", Satisfaction: 5), new("close") })
        {
            await Tickets.ApplyAsync(Tenant, first.Id, action, CancellationToken.None);
        }

        (await Tickets.ListAsync(Tenant, openOnly: true, 10, CancellationToken.None)).Select(t => t.Id).ShouldBe([second.Id]);
        (await Tickets.ListAsync(Tenant, openOnly: false, 10, CancellationToken.None)).Select(t => t.Id).ShouldBe([second.Id, first.Id]);
    }

    private async Task<TicketDto> RunAsync(long ticketId, params TicketActionRequest[] actions)
    {
        TicketDto? last = null;
        foreach (var action in actions)
        {
            var (ticket, error) = await Tickets.ApplyAsync(Tenant, ticketId, action, CancellationToken.None);
            error.ShouldBeNull($"action {action.Action}");
            last = ticket;
        }

        return last!;
    }

    private static readonly TicketActionRequest Resolve = new("resolve", Cause: "Bearing worn", Remedy: "Replaced the bearing", LabourHours: 2.25,
        Parts: [new PartUsed("Bearing 6204", 2), new PartUsed("Seal kit", 1)]);

    [Fact]
    public async Task Resolution_and_callback_are_recorded_and_an_unsatisfied_callback_keeps_its_reason()
    {
        var opened = await Tickets.OpenAsync(Tenant, "harbour", "pumps-1", null, MessageCatalog.Typed("Pump trip"), Severity.Urgent, CancellationToken.None);
        await RunAsync(opened.Id, new("dispatch", "王师傅"), new("accept"), new("arrive"));
        _time.Advance(TimeSpan.FromMinutes(40));
        var resolved = await RunAsync(opened.Id, Resolve);
        _time.Advance(TimeSpan.FromHours(1));
        var calledBack = await RunAsync(opened.Id, new TicketActionRequest("callback", Note: "Still noisy at night", Satisfaction: 2));

        var stored = (await Tickets.GetAsync(Tenant, opened.Id, CancellationToken.None))!;
        stored.Status.ShouldBe(TicketStatus.CalledBack);
        stored.Cause.ShouldBe("Bearing worn");
        stored.Remedy.ShouldBe("Replaced the bearing");
        stored.LabourHours.ShouldBe(2.25);
        stored.Parts!.ShouldBe([new PartUsed("Bearing 6204", 2), new PartUsed("Seal kit", 1)]);
        stored.ResolvedUtc.ShouldBe(resolved.ResolvedUtc);
        stored.CalledBackUtc.ShouldBe(_time.GetUtcNow());
        stored.Satisfaction.ShouldBe(2);
        stored.UnsatisfiedReason.ShouldBe("Still noisy at night");
        calledBack.Status.ShouldBe(TicketStatus.CalledBack);
    }

    [Fact]
    public async Task Dispatch_starts_the_accept_clock_from_the_standard_and_accept_stops_it()
    {
        var opened = await Tickets.OpenAsync(Tenant, "harbour", "pumps-1", null, MessageCatalog.Typed("Pump trip"), Severity.Emergency, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(20));
        var dispatched = await RunAsync(opened.Id, new TicketActionRequest("dispatch", "王师傅"));
        dispatched.DispatchedUtc.ShouldBe(_time.GetUtcNow());
        dispatched.AcceptDueUtc.ShouldBe(_time.GetUtcNow() + new TicketOptions().EmergencyAccept);
        _time.Advance(TimeSpan.FromSeconds(30));
        (await RunAsync(opened.Id, new TicketActionRequest("accept"))).AcceptedUtc.ShouldBe(_time.GetUtcNow());
    }

    [Fact]
    public async Task Reopen_clears_the_assignee_or_keeps_it_by_an_explicit_choice()
    {
        var cleared = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Leak"), Severity.Normal, CancellationToken.None);
        var kept = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Noise"), Severity.Normal, CancellationToken.None);
        foreach (var id in new[] { cleared.Id, kept.Id })
        {
            await RunAsync(id, new("dispatch", "张师傅"), new("accept"), new("arrive"), Resolve, new("callback", Satisfaction: 5), new("close"));
        }

        (await Tickets.ApplyAsync(Tenant, cleared.Id, new TicketActionRequest("reopen"), CancellationToken.None)).Error!.ShouldContain("keepAssignee");

        var reopenedCleared = await RunAsync(cleared.Id, new TicketActionRequest("reopen", Note: "Leaking again", KeepAssignee: false));
        reopenedCleared.Status.ShouldBe(TicketStatus.Created);
        reopenedCleared.AssignedTo.ShouldBeNull("today a reopened ticket showed its old technician");
        reopenedCleared.ResolvedUtc.ShouldBeNull();
        reopenedCleared.ClosedUtc.ShouldBeNull();
        reopenedCleared.Satisfaction.ShouldBeNull();

        var reopenedKept = await RunAsync(kept.Id, new TicketActionRequest("reopen", KeepAssignee: true));
        reopenedKept.Status.ShouldBe(TicketStatus.Dispatched);
        reopenedKept.AssignedTo.ShouldBe("张师傅");
        reopenedKept.AcceptedUtc.ShouldBeNull("the technician accepts the reopened ticket again");
        reopenedKept.AcceptDueUtc.ShouldBe(_time.GetUtcNow() + new TicketOptions().NormalAccept);
    }

    [Fact]
    public async Task Cancelled_ticket_keeps_its_reason_leaves_the_open_list_and_is_never_overdue()
    {
        var opened = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Duplicate"), Severity.Emergency, CancellationToken.None);
        (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("cancel"), CancellationToken.None)).Error!.ShouldContain("reason");
        var cancelled = await RunAsync(opened.Id, new TicketActionRequest("cancel", Note: "Same fault as WO-1"));
        _time.Advance(TimeSpan.FromHours(1));

        var stored = (await Tickets.GetAsync(Tenant, opened.Id, CancellationToken.None))!;
        stored.Status.ShouldBe(TicketStatus.Cancelled);
        stored.CancelReason.ShouldBe("Same fault as WO-1");
        stored.CancelledUtc.ShouldBe(cancelled.CancelledUtc);
        stored.OnSiteOverdue.ShouldBeFalse();
        (await Tickets.ListAsync(Tenant, openOnly: true, 10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Desk_ticket_works_to_the_priority_standard_and_a_scheduled_one_to_the_agreed_time()
    {
        var desk = await Tickets.CreateAsync(Tenant, new CreateTicketRequest("harbour", "Lift 2 stuck", Severity.Urgent, Description: "Caller in lobby"), CancellationToken.None);
        desk.Source.ShouldBe(TicketSource.Desk);
        desk.Description.ShouldBe("Caller in lobby");
        desk.OnSiteDueUtc.ShouldBe(_time.GetUtcNow() + TimeSpan.FromMinutes(15));
        desk.Title.ShouldBe(MessageCatalog.Typed("Lift 2 stuck"));

        var agreed = _time.GetUtcNow() + TimeSpan.FromDays(2);
        var scheduled = await Tickets.CreateAsync(Tenant, new CreateTicketRequest("harbour", "Quarterly pump service", Severity.Normal, "pumps-1", ScheduledForUtc: agreed), CancellationToken.None);
        scheduled.Source.ShouldBe(TicketSource.Schedule);
        scheduled.OnSiteDueUtc.ShouldBe(agreed);
        (await Tickets.GetAsync(Tenant, scheduled.Id, CancellationToken.None))!.ScheduledForUtc.ShouldBe(agreed);
    }
}
