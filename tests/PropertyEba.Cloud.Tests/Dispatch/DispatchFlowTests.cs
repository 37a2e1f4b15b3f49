using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Dispatch;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Notifications;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Dispatch;

/// <summary>
/// A pump trip at 03:00 on the store of each provider: routed to the technician on the night shift, told, not accepted
/// in time (a breach, the supervisor told), then the manager; accepted, reminders stop. The handlers and the clock are
/// called as the outbox dispatcher and the background loop would call them, on a fake clock.
/// </summary>
public abstract class DispatchFlowTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private const string Site = "harbour";

    // Monday 2026-12-07 03:00 in Shanghai.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.FromHours(8)));
    private readonly TempStore _store;

    private DispatchFlowTests(PostgresServer? postgres) =>
        _store = new TempStore(
            (services, configuration) => services.AddSingleton<TimeProvider>(_time).AddSingleton<LiveEvents>().AddSignalR().Services
                .AddTickets(configuration).AddNotifications(configuration).AddDispatch(configuration),
            postgres);

    public sealed class OnSqlite() : DispatchFlowTests(postgres: null);

    [Collection(PostgreSqlCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlFixture postgres) : DispatchFlowTests(postgres.Server);

    private T Get<T>() where T : notnull => _store.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        await _store.StartDatabaseAsync();
        await using var db = await _store.NewContextAsync();
        db.Add(new Site { TenantId = Tenant, SiteId = Site, Name = "Harbour", TimeZone = "Asia/Shanghai" });
        foreach (var user in new[] { "wang", "li", "sup", "boss" })
        {
            db.Users.Add(new EbaUser { UserName = user, NormalizedUserName = user.ToUpperInvariant(), TenantId = Tenant, DisplayName = user, SecurityStamp = Guid.NewGuid().ToString() });
        }

        db.Add(new Team { TenantId = Tenant, TeamId = "harbour-elec", Name = "Electrical", SiteIds = Site, Skills = "electrical", Supervisor = "sup", Manager = "boss" });
        db.Add(new RotaShift { TenantId = Tenant, TeamId = "harbour-elec", UserName = "wang", Days = Rota.EveryDay, Start = new TimeOnly(8, 0), Duration = TimeSpan.FromHours(12) });
        db.Add(new RotaShift { TenantId = Tenant, TeamId = "harbour-elec", UserName = "li", Days = Rota.EveryDay, Start = new TimeOnly(20, 0), Duration = TimeSpan.FromHours(12) });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private async Task<List<T>> EventsAsync<T>(long ticketId) where T : IDomainEvent
    {
        await using var db = await _store.NewContextAsync();
        var rows = await db.Set<DomainEventRecord>().Where(r => r.Type == typeof(T).FullName).OrderBy(r => r.Id).ToListAsync();
        return [.. rows.Select(r => JsonSerializer.Deserialize<T>(r.Payload, JsonSerializerOptions.Web)!).Where(e => (long)typeof(T).GetProperty("TicketId")!.GetValue(e)! == ticketId)];
    }

    private async Task<List<(string Kind, string User)>> NotificationsAsync(long ticketId)
    {
        await using var db = await _store.NewContextAsync();
        var rows = await db.Set<NotificationDelivery>().Where(d => d.TicketId == ticketId && d.Channel == "hub").OrderBy(d => d.Id).ToListAsync();
        var users = await db.Users.ToDictionaryAsync(u => u.Id, u => u.UserName!);
        return rows.ConvertAll(d => (d.Kind, users[d.RecipientUserId]));
    }

    // What the outbox dispatcher does: each event to its handler.
    private async Task DeliverAssignedAsync(long ticketId)
    {
        foreach (var e in await EventsAsync<TicketAssigned>(ticketId))
        {
            await Get<DispatchNotifications>().HandleAsync(e, CancellationToken.None);
        }
    }

    private async Task DeliverEscalatedAsync(long ticketId)
    {
        foreach (var e in await EventsAsync<TicketEscalated>(ticketId))
        {
            await Get<DispatchNotifications>().HandleAsync(e, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Night_trip_goes_to_the_night_shift_and_escalates_to_supervisor_then_manager_until_accepted()
    {
        var tickets = Get<TicketService>();
        var opened = await tickets.OpenAsync(Tenant, Site, "pumps-1", null, MessageCatalog.Typed("Pump trip"), Severity.Emergency, CancellationToken.None);
        var openedEvent = (await EventsAsync<TicketOpened>(opened.Id)).ShouldHaveSingleItem();

        await Get<Dispatcher>().HandleAsync(openedEvent, CancellationToken.None);
        await Get<Dispatcher>().HandleAsync(openedEvent, CancellationToken.None); // at least once: the second delivery changes nothing
        var dispatched = (await tickets.GetAsync(Tenant, opened.Id, CancellationToken.None))!;
        dispatched.Status.ShouldBe(TicketStatus.Dispatched);
        dispatched.AssignedTo.ShouldBe("li", "03:00 is in the night shift that started at 20:00");
        dispatched.TeamId.ShouldBe("harbour-elec");
        dispatched.AcceptDueUtc.ShouldBe(_time.GetUtcNow() + TimeSpan.FromMinutes(1));
        await DeliverAssignedAsync(opened.Id);
        (await NotificationsAsync(opened.Id)).ShouldBe([("ticket.assigned", "li")]);

        var clock = Get<DispatchClock>();
        _time.Advance(TimeSpan.FromSeconds(59));
        (await clock.CheckAsync(CancellationToken.None)).ShouldBe(0);

        _time.Advance(TimeSpan.FromSeconds(1));
        (await clock.CheckAsync(CancellationToken.None)).ShouldBe(2, "the accept breach and the escalation to the supervisor");
        var breach = (await EventsAsync<TimeStandardBreached>(opened.Id)).ShouldHaveSingleItem();
        breach.Standard.ShouldBe("accept");
        breach.Assignee.ShouldBe("li");
        (await EventsAsync<TicketEscalated>(opened.Id)).Select(e => (e.Level, e.Recipient)).ShouldBe([(1, "sup")]);

        _time.Advance(TimeSpan.FromMinutes(2));
        (await clock.CheckAsync(CancellationToken.None)).ShouldBe(2, "the on-site breach at 3 minutes and a reminder to li (every 2)");
        (await EventsAsync<TimeStandardBreached>(opened.Id)).Select(b => b.Standard).ShouldBe(["accept", "on-site"]);

        _time.Advance(TimeSpan.FromMinutes(9));
        await clock.CheckAsync(CancellationToken.None);
        (await EventsAsync<TicketEscalated>(opened.Id)).Select(e => (e.Level, e.Recipient)).ShouldBe([(1, "sup"), (2, "boss")]);
        var escalated = (await tickets.GetAsync(Tenant, opened.Id, CancellationToken.None))!;
        escalated.EscalationLevel.ShouldBe(2);
        escalated.AcceptBreached.ShouldBeTrue();
        escalated.OnSiteBreached.ShouldBeTrue();

        await DeliverEscalatedAsync(opened.Id);
        (await NotificationsAsync(opened.Id)).ShouldBe([
            ("ticket.assigned", "li"), ("ticket.reminder", "li"), ("ticket.reminder", "li"), ("ticket.escalated", "sup"), ("ticket.escalated", "boss")]);

        (await tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("accept"), CancellationToken.None)).Error.ShouldBeNull();
        _time.Advance(TimeSpan.FromMinutes(30));
        (await clock.CheckAsync(CancellationToken.None)).ShouldBe(0, "accepted: no reminders, no more escalation");
    }

    [Fact]
    public async Task Override_takes_the_ticket_and_with_nobody_on_call_it_waits_for_a_person()
    {
        await using (var db = await _store.NewContextAsync())
        {
            db.Add(new RotaOverride { TenantId = Tenant, TeamId = "harbour-elec", UserName = "wang", FromUtc = _time.GetUtcNow().AddHours(-1), ToUtc = _time.GetUtcNow().AddHours(1), Reason = "li is ill" });
            await db.SaveChangesAsync();
        }

        var dispatcher = Get<Dispatcher>();
        (await dispatcher.OnCallAsync(Tenant, Site, "electrical", Severity.Urgent, _time.GetUtcNow(), CancellationToken.None)).ShouldBe(("harbour-elec", "wang"));
        (await dispatcher.OnCallAsync(Tenant, Site, "lifts", Severity.Urgent, _time.GetUtcNow(), CancellationToken.None)).ShouldBeNull("no team has the skill");

        var lift = await Get<TicketService>().CreateAsync(Tenant, new CreateTicketRequest(Site, "Lift stuck", Severity.Urgent, Skill: "lifts"), CancellationToken.None);
        await dispatcher.HandleAsync((await EventsAsync<TicketOpened>(lift.Id)).ShouldHaveSingleItem(), CancellationToken.None);
        (await Get<TicketService>().GetAsync(Tenant, lift.Id, CancellationToken.None))!.Status.ShouldBe(TicketStatus.Created);
        dispatcher.Unrouted.ShouldBe(1);
    }

    [Fact]
    public async Task Tenant_time_standard_replaces_the_default_for_new_tickets()
    {
        await using (var db = await _store.NewContextAsync())
        {
            db.Add(new TenantTimeStandard { TenantId = Tenant, Priority = Severity.Urgent, Accept = TimeSpan.FromMinutes(2), OnSite = TimeSpan.FromMinutes(10) });
            await db.SaveChangesAsync();
        }

        var urgent = await Get<TicketService>().OpenAsync(Tenant, Site, null, null, MessageCatalog.Typed("Leak"), Severity.Urgent, CancellationToken.None);
        urgent.OnSiteDueUtc.ShouldBe(_time.GetUtcNow() + TimeSpan.FromMinutes(10));
        var normal = await Get<TicketService>().OpenAsync("globex", Site, null, null, MessageCatalog.Typed("Leak"), Severity.Urgent, CancellationToken.None);
        normal.OnSiteDueUtc.ShouldBe(_time.GetUtcNow() + TimeSpan.FromMinutes(15), "another tenant keeps the default");
    }
}
