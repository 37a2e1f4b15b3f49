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
        (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("resolve"), CancellationToken.None)).Error.ShouldBeNull();
        (await Tickets.ApplyAsync(Tenant, opened.Id, new TicketActionRequest("close"), CancellationToken.None)).Error.ShouldBeNull();

        var stored = (await Tickets.GetAsync(Tenant, opened.Id, CancellationToken.None))!;
        stored.Status.ShouldBe(TicketStatus.Closed);
        stored.CreatedUtc.ShouldBe(opened.CreatedUtc);
        stored.OnSiteUtc.ShouldBe(_time.GetUtcNow());

        await using var db = await _store.NewContextAsync();
        (await db.Set<TicketEvent>().Where(e => e.TicketId == opened.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync())
            .ShouldBe(["open", "dispatch", "accept", "arrive", "resolve", "close"]);
        (await db.Set<AuditEntry>().Where(a => a.AtUtc > opened.CreatedUtc).CountAsync()).ShouldBe(3, "arrive, resolve and close came after the opening");
    }

    [Fact]
    public async Task Open_list_leaves_out_closed_tickets_and_other_tenants_newest_first()
    {
        var first = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Leak"), Severity.Normal, CancellationToken.None);
        var second = await Tickets.OpenAsync(Tenant, "harbour", null, null, MessageCatalog.Typed("Noise"), Severity.Normal, CancellationToken.None);
        await Tickets.OpenAsync("globex", "harbour", null, null, MessageCatalog.Typed("Not ours"), Severity.Normal, CancellationToken.None);
        foreach (var action in new[] { new TicketActionRequest("dispatch", "张师傅"), new("accept"), new("arrive"), new("resolve"), new("close") })
        {
            await Tickets.ApplyAsync(Tenant, first.Id, action, CancellationToken.None);
        }

        (await Tickets.ListAsync(Tenant, openOnly: true, 10, CancellationToken.None)).Select(t => t.Id).ShouldBe([second.Id]);
        (await Tickets.ListAsync(Tenant, openOnly: false, 10, CancellationToken.None)).Select(t => t.Id).ShouldBe([second.Id, first.Id]);
    }
}
