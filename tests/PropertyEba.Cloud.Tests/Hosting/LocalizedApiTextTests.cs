using System.Net.Http.Json;
using System.Text.Json;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>The REST API renders alarm messages and ticket titles in the request's language and carries their id and parameters.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class LocalizedApiTextTests(CloudHostFixture host)
{
    private const string Alarms = $"/api/tenants/{CloudHostFixture.Tenant}/alarms";

    [Fact]
    public async Task Alarm_and_its_ticket_come_in_the_Accept_Language_asked_for_Chinese_without_one_and_always_with_id_and_args()
    {
        // An edge of a site of its own going offline raises edge-offline after its one-second on-delay.
        const string edge = "edge-lang";
        var status = $"eba/v1/demo/lakeside/{edge}/status";
        string Status(string state) => $"{{\"schema\":1,\"edgeId\":\"{edge}\",\"state\":\"{state}\",\"timestampUtcMs\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}";
        await host.PublishAsync(status, Status("offline"));
        try
        {
            var list = await Eventually.UntilAsync(
                async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"{Alarms}?active=true", ct))!,
                l => l.Any(a => a.RuleId == "edge-offline" && a.DeviceId == edge && a.TicketId is not null),
                $"an active edge-offline alarm for {edge} with the ticket its AlarmRaised event opened");
            var id = list.Single(a => a.RuleId == "edge-offline" && a.DeviceId == edge).Id;

            var (zhAlarm, zhTicket) = await ReadAsync(id, "zh-CN");
            zhAlarm.Message.ShouldBe("边缘网关离线");
            zhTicket.Title.ShouldBe($"{edge}：边缘网关离线", "an edge has no device row: its id stands for its name");

            var (enAlarm, enTicket) = await ReadAsync(id, "en-US,en;q=0.9");
            enAlarm.Message.ShouldBe("Edge gateway offline");
            enTicket.Title.ShouldBe($"Edge gateway offline — {edge}");

            var (defaultAlarm, _) = await ReadAsync(id, null);
            defaultAlarm.Message.ShouldBe("边缘网关离线", "Chinese when the client says nothing");

            enAlarm.MessageText.Id.ShouldBe(MessageIds.AlarmRaised);
            enAlarm.MessageText.Args.ShouldContainKeyAndValue("rule", "Edge gateway offline");
            enAlarm.MessageText.Args.ShouldContainKeyAndValue("rule@zh", "边缘网关离线");
            enTicket.TitleText.Id.ShouldBe(MessageIds.TicketForAlarm);
            enTicket.TitleText.Args.ShouldContainKeyAndValue("device", edge);

            // On the wire: {"id":"alarm.raised","args":{...}} beside the rendered message.
            using var raw = JsonDocument.Parse(await host.Api.GetStringAsync($"{Alarms}?active=true"));
            var wire = raw.RootElement.EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == id).GetProperty("messageText");
            wire.GetProperty("id").GetString().ShouldBe(MessageIds.AlarmRaised);
            wire.GetProperty("args").GetProperty("rule").GetString().ShouldBe("Edge gateway offline");
        }
        finally
        {
            await host.PublishAsync(status, Status("online"));
        }
    }

    [Fact]
    public async Task Site_name_and_device_location_come_in_both_languages_not_as_one_mixed_string()
    {
        var sites = await host.Api.GetFromJsonAsync<List<SiteDto>>($"/api/tenants/{CloudHostFixture.Tenant}/sites");
        var site = sites.ShouldNotBeNull().Single(s => s.SiteId == CloudHostFixture.Site);
        site.Name.ShouldBe("Sunny Garden");
        site.NameZh.ShouldBe("阳光花园");

        var devices = await host.Api.GetFromJsonAsync<List<DeviceDto>>($"/api/tenants/{CloudHostFixture.Tenant}/sites/{CloudHostFixture.Site}/devices");
        var pumps = devices.ShouldNotBeNull().First(d => d.System == "water");
        pumps.Location.ShouldBe("Pump room");
        pumps.LocationZh.ShouldBe("水泵房");
    }

    private async Task<(AlarmDto Alarm, TicketDto Ticket)> ReadAsync(long alarmId, string? acceptLanguage)
    {
        using var alarms = new HttpRequestMessage(HttpMethod.Get, Alarms);
        if (acceptLanguage is not null)
        {
            alarms.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage).ShouldBeTrue();
        }

        using var alarmResponse = await host.Api.SendAsync(alarms);
        var alarm = (await alarmResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<List<AlarmDto>>())!.Single(a => a.Id == alarmId);

        using var ticketRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{CloudHostFixture.Tenant}/tickets/{alarm.TicketId.ShouldNotBeNull()}");
        if (acceptLanguage is not null)
        {
            ticketRequest.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage).ShouldBeTrue();
        }

        using var ticketResponse = await host.Api.SendAsync(ticketRequest);
        return (alarm, (await ticketResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<TicketDto>())!);
    }
}
