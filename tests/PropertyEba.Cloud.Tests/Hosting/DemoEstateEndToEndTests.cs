using System.Net;
using System.Net.Http.Json;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

[Collection(CloudHostCollection.Name)]
public sealed class DemoEstateEndToEndTests(CloudHostFixture host)
{
    private const string Devices = $"/api/tenants/{CloudHostFixture.Tenant}/sites/{CloudHostFixture.Site}/devices";

    [Fact]
    public async Task Tank_level_read_over_modbus_reaches_the_api_and_keeps_moving()
    {
        var first = await LevelAsync();
        await Eventually.UntilAsync(
            async _ => await LevelAsync(),
            later => later.TimestampUtcMs > first.TimestampUtcMs,
            "a newer tank level sample than the first one read");
        first.Value.ShouldNotBeNull();
        first.Unit.ShouldBe("m");
    }

    [Fact]
    public async Task Injected_tank_low_fault_raises_an_alarm_that_opens_an_urgent_ticket()
    {
        var inject = await host.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "tank-low" });
        inject.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        try
        {
            var alarms = await Eventually.UntilAsync(
                async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"/api/tenants/{CloudHostFixture.Tenant}/alarms?active=true", ct))!,
                list => list.Any(a => a.RuleId == "tank-low-level" && a.TicketId is not null),
                "an active tank-low-level alarm with a ticket",
                TimeSpan.FromSeconds(60));
            var alarm = alarms.First(a => a.RuleId == "tank-low-level");
            alarm.DeviceId.ShouldBe("tank-1");
            alarm.Value!.Value.ShouldBeLessThan(0.5);

            var ticket = await host.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/{CloudHostFixture.Tenant}/tickets/{alarm.TicketId}");
            ticket.ShouldNotBeNull();
            ticket.AlarmId.ShouldBe(alarm.Id);
            ticket.Priority.ShouldBe(Severity.Urgent);
            ticket.Status.ShouldBe(TicketStatus.Created);
            (ticket.OnSiteDueUtc - ticket.CreatedUtc).ShouldBe(TimeSpan.FromMinutes(15));
            ticket.Number.ShouldStartWith("WO-");
        }
        finally
        {
            await host.Api.DeleteAsync("/api/demo/faults");
        }
    }

    [Fact]
    public async Task Site_shows_its_edge_online_from_the_retained_birth_message()
    {
        var sites = await Eventually.UntilAsync(
            async ct => (await host.Api.GetFromJsonAsync<List<SiteDto>>($"/api/tenants/{CloudHostFixture.Tenant}/sites", ct))!,
            list => list.Any(s => s.SiteId == CloudHostFixture.Site && s.EdgeOnline),
            "the demo site to show its edge online");
        sites.Single(s => s.SiteId == CloudHostFixture.Site).DeviceCount.ShouldBe(3);
    }

    [Fact]
    public async Task Pump_trip_raises_a_vfd_fault_alarm_that_clears_when_the_fault_is_cleared()
    {
        const string alarms = $"/api/tenants/{CloudHostFixture.Tenant}/alarms";
        (await host.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "pump-trip" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        AlarmDto raised;
        try
        {
            var list = await Eventually.UntilAsync(
                async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"{alarms}?active=true", ct))!,
                l => l.Any(a => a.RuleId == "pump1-vfd-fault" && a.TicketId is not null),
                "an active pump1-vfd-fault alarm with the ticket its event opened");
            raised = list.First(a => a.RuleId == "pump1-vfd-fault");
            raised.DeviceId.ShouldBe("pumps-1");
            raised.TicketId.ShouldNotBeNull();

            using var engineer = await host.SignInAsAsync(Tenancy.Roles.Engineer, CloudHostFixture.Tenant);
            var acknowledged = await engineer.PostAsJsonAsync($"{alarms}/{raised.Id}/acknowledge", new AcknowledgeAlarmRequest("泵房已确认 seen in the pump room"));
            (await acknowledged.Content.ReadFromJsonAsync<AlarmDto>())!.State.ShouldBe(AlarmState.Acknowledged);
        }
        finally
        {
            await host.Api.DeleteAsync("/api/demo/faults");
        }

        var all = await Eventually.UntilAsync(
            async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>(alarms, ct))!,
            l => l.Any(a => a.Id == raised.Id && a.State == AlarmState.Cleared),
            "the pump1-vfd-fault alarm to clear after the fault was cleared");
        var cleared = all.Single(a => a.Id == raised.Id);
        // Who acknowledged comes from the engineer's sign-in, not from the request.
        cleared.AcknowledgedBy.ShouldNotBeNull().ShouldContain("(demo-engineer)");
        cleared.ClearedUtc.ShouldNotBeNull();
        var audit = await host.Api.GetFromJsonAsync<List<AuditEntryDto>>($"/api/tenants/{CloudHostFixture.Tenant}/audit?action=alarm.acknowledge");
        audit.ShouldNotBeNull().ShouldContain(e => e.Target == $"alarm/{raised.Id}" && e.UserName.Contains("(demo-engineer)") && e.Detail!.Contains("pump room"));
    }

    [Fact]
    public async Task Meter_that_stops_answering_raises_a_communication_lost_alarm_with_a_ticket_that_clears_when_it_answers_again()
    {
        const string alarms = $"/api/tenants/{CloudHostFixture.Tenant}/alarms";
        var inject = await host.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "no-reply", deviceId = "meter-1" });
        inject.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        AlarmDto raised;
        try
        {
            var list = await Eventually.UntilAsync(
                async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"{alarms}?active=true", ct))!,
                l => l.Any(a => a.RuleId == "device-comm-lost" && a.DeviceId == "meter-1" && a.TicketId is not null),
                "an active device-comm-lost alarm for meter-1 with its ticket",
                TimeSpan.FromSeconds(60));
            raised = list.Single(a => a.RuleId == "device-comm-lost" && a.DeviceId == "meter-1");
            raised.PointId.ShouldBe("comm.lost");
            raised.Message.ShouldContain("设备通讯中断");
            raised.Severity.ShouldBe(Severity.Urgent);
            var ticket = await host.Api.GetFromJsonAsync<TicketDto>($"/api/tenants/{CloudHostFixture.Tenant}/tickets/{raised.TicketId}");
            ticket!.DeviceId.ShouldBe("meter-1");
        }
        finally
        {
            await host.Api.DeleteAsync("/api/demo/faults");
        }

        await Eventually.UntilAsync(
            async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>(alarms, ct))!,
            l => l.Any(a => a.Id == raised.Id && a.State == AlarmState.Cleared),
            "the device-comm-lost alarm to clear once meter-1 answers again",
            TimeSpan.FromSeconds(60));

        // The loss again, as a broker would redeliver it after the recovery: older than the last event, so ignored.
        var before = (await host.Operator.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats"))!;
        await host.PublishAsync(
            "eba/v1/demo/sunny-garden/edge-1/events",
            $"{{\"schema\":1,\"edgeId\":\"edge-1\",\"kind\":\"device-comm-lost\",\"deviceId\":\"meter-1\",\"timestampUtcMs\":{raised.RaisedUtc.ToUnixTimeMilliseconds()}}}");
        await Eventually.UntilAsync(
            async ct => (await host.Operator.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", ct))!,
            s => s.EventsOutOfOrder > before.EventsOutOfOrder,
            "the redelivered loss to be counted as out of order");
        (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"{alarms}?active=true"))!
            .ShouldNotContain(a => a.RuleId == "device-comm-lost" && a.DeviceId == "meter-1");
    }

    [Theory]
    [InlineData("its telemetry")]
    [InlineData("an online status")]
    [InlineData("its retained status cleared (the edge retired)")]
    public async Task Edge_offline_longer_than_the_delay_raises_an_alarm_with_a_ticket_that_clears_on(string sign)
    {
        // An edge of another site each time, so that the demo site's own edge and the other cases are left alone.
        const string alarms = $"/api/tenants/{CloudHostFixture.Tenant}/alarms";
        var edge = $"edge-{sign.Length}";
        var status = $"eba/v1/demo/hilltop/{edge}/status";
        string Status(string state) =>
            $"{{\"schema\":1,\"edgeId\":\"{edge}\",\"state\":\"{state}\",\"timestampUtcMs\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}";

        await host.PublishAsync(status, Status("offline"));

        var list = await Eventually.UntilAsync(
            async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"{alarms}?active=true", ct))!,
            l => l.Any(a => a.RuleId == "edge-offline" && a.DeviceId == edge && a.TicketId is not null),
            $"an active edge-offline alarm for {edge}, with its ticket, once its one-second on-delay ran out");
        var raised = list.Single(a => a.RuleId == "edge-offline" && a.DeviceId == edge);
        raised.SiteId.ShouldBe("hilltop");
        raised.Message.ShouldContain("边缘网关离线");
        raised.TicketId.ShouldNotBeNull();

        switch (sign)
        {
            case "its telemetry":
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await host.PublishAsync(
                    $"eba/v1/demo/hilltop/{edge}/telemetry",
                    $"{{\"schema\":1,\"edgeId\":\"{edge}\",\"seq\":1,\"sentUtcMs\":{now},\"samples\":[{{\"deviceId\":\"meter-9\",\"pointId\":\"kwh\",\"timestampUtcMs\":{now},\"value\":1}}]}}");
                break;
            case "an online status":
                await host.PublishAsync(status, Status("online"));
                break;
            default:
                await host.PublishAsync(status, "");
                break;
        }

        await Eventually.UntilAsync(
            async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>(alarms, ct))!,
            l => l.Any(a => a.Id == raised.Id && a.State == AlarmState.Cleared),
            $"the edge-offline alarm of {edge} to clear on {sign}");
    }

    [Fact]
    public async Task Unknown_fault_is_refused_with_the_list_of_known_faults()
    {
        var response = await host.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "meteor-strike" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("meteor-strike");
        body.ShouldContain("tank-low");
    }

    [Fact]
    public async Task Health_openapi_and_dashboard_are_served()
    {
        (await host.Api.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var openApi = await host.Api.GetStringAsync("/openapi/v1.json");
        openApi.ShouldContain("/api/tenants/{tenantId}/alarms");
        var page = await host.Api.GetStringAsync("/");
        page.ShouldContain("blazor.web.js");
    }

    [Fact]
    public async Task Invalid_tenant_id_gets_a_problem_details_answer()
    {
        var response = await host.Api.GetAsync("/api/tenants/bad%20tenant/alarms");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("is not a tenant id");
    }

    private async Task<PointValueDto> LevelAsync()
    {
        var devices = await host.Api.GetFromJsonAsync<List<DeviceDto>>(Devices);
        return devices!.Single(d => d.DeviceId == "tank-1").Points.Single(p => p.PointId == "level");
    }
}
