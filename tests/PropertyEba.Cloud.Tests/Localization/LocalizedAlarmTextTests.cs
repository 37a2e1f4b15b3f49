using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tests.Localization;

/// <summary>
/// An alarm and the ticket it opens are stored as message ids with the names of the rule and the device in both
/// languages, and read in the reader's language, over the real store.
/// </summary>
public sealed class LocalizedAlarmTextTests : IAsyncLifetime
{
    private const string Tenant = "acme";
    private const string Site = "harbour";

    private readonly TempStore _store = new((services, configuration) => services
        .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 2, 0, 0, TimeSpan.Zero)))
        .AddSingleton<LiveEvents>()
        .AddTickets(configuration)
        .AddTicketsFromAlarms(configuration)
        .AddAlarms());

    public async Task InitializeAsync()
    {
        await _store.StartDatabaseAsync();
        await using var db = await _store.NewContextAsync();
        db.Add(new Device { TenantId = Tenant, SiteId = Site, DeviceId = "pumps-1", Model = "pump-set-duplex", Name = "Domestic pump set", NameZh = "生活泵组", System = "water" });
        db.Add(new AlarmRule
        {
            TenantId = Tenant,
            RuleId = "pump1-vfd-fault",
            Name = "Pump 1 VFD fault",
            NameZh = "1#泵变频器故障",
            PointId = "pump1.vfdFault",
            Condition = AlarmCondition.StateEquals,
            Threshold = 1,
            OpensTicket = true,
        });
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Raised_alarm_and_its_ticket_read_in_Chinese_and_in_English_each_in_that_language()
    {
        var engine = _store.Services.GetRequiredService<AlarmEngine>();
        await engine.ProcessAsync(Tenant, Site, [new("pumps-1", "pump1.vfdFault", 1, 1_796_000_000_000)], CancellationToken.None);
        await _store.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);

        await using var db = await _store.NewContextAsync();
        var alarm = await db.Set<Alarm>().SingleAsync();
        var ticket = await db.Set<Ticket>().SingleAsync();
        alarm.Message.Id.ShouldBe(MessageIds.AlarmRaised);
        ticket.Title.Id.ShouldBe(MessageIds.TicketForAlarm);
        ticket.Title.Args.ShouldContainKeyAndValue("device@zh", "生活泵组");

        var (zhAlarm, zhTicket) = ReadIn("zh-CN", alarm, ticket);
        zhAlarm.Message.ShouldBe("1#泵变频器故障");
        zhTicket.Title.ShouldBe("生活泵组：1#泵变频器故障");

        var (enAlarm, enTicket) = ReadIn("en", alarm, ticket);
        enAlarm.Message.ShouldBe("Pump 1 VFD fault");
        enTicket.Title.ShouldBe("Pump 1 VFD fault — Domestic pump set");

        // Whatever the language it was read in, the DTO carries the same id and parameters for a client to render.
        enAlarm.MessageText.ShouldBe(zhAlarm.MessageText);
        enTicket.TitleText.ShouldBe(zhTicket.TitleText);
        enTicket.TitleText.Args.ShouldContainKeyAndValue("rule", "Pump 1 VFD fault");
    }

    [Fact]
    public async Task Ticket_event_of_an_alarm_s_ticket_holds_no_composed_text()
    {
        var engine = _store.Services.GetRequiredService<AlarmEngine>();
        await engine.ProcessAsync(Tenant, Site, [new("pumps-1", "pump1.vfdFault", 1, 1_796_000_000_000)], CancellationToken.None);
        await _store.Services.GetRequiredService<OutboxDispatcher>().DispatchPendingAsync(CancellationToken.None);

        await using var db = await _store.NewContextAsync();
        (await db.Set<TicketEvent>().SingleAsync()).Note.ShouldBeNull("a note is what a person typed; the title is on the ticket");
    }

    private static (AlarmDto Alarm, TicketDto Ticket) ReadIn(string culture, Alarm alarm, Ticket ticket)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return (alarm.ToDto(), ticket.ToDto(DateTimeOffset.UnixEpoch));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
