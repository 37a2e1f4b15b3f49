using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Tests.Hosting;

[Collection(CloudHostCollection.Name)]
public sealed class LiveHubTests(CloudHostFixture host)
{
    [Fact]
    public async Task Hub_pushes_live_values_to_the_tenant_that_joined()
    {
        var values = Channel.CreateUnbounded<LiveValueDto[]>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
            {
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(host.Api.DefaultRequestHeaders.Authorization?.Parameter);
            })
            .Build();
        connection.On<LiveValueDto[]>("values", batch => values.Writer.TryWrite(batch));
        await connection.StartAsync();
        await connection.InvokeAsync("JoinTenant", CloudHostFixture.Tenant);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var batch = await values.Reader.ReadAsync(timeout.Token);
        batch.ShouldNotBeEmpty();
        batch.ShouldAllBe(v => v.TenantId == CloudHostFixture.Tenant && v.SiteId == CloudHostFixture.Site);
    }

    [Fact]
    public async Task Hub_pushes_an_alarm_and_its_ticket_with_message_id_and_args_for_the_client_to_render()
    {
        var alarms = Channel.CreateUnbounded<AlarmDto>();
        var tickets = Channel.CreateUnbounded<TicketDto>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
            {
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(host.Api.DefaultRequestHeaders.Authorization?.Parameter);
            })
            .Build();
        connection.On<AlarmDto>("alarm", a => alarms.Writer.TryWrite(a));
        connection.On<TicketDto>("ticket", t => tickets.Writer.TryWrite(t));
        await connection.StartAsync();
        await connection.InvokeAsync("JoinTenant", CloudHostFixture.Tenant);

        const string edge = "edge-hub-text";
        var status = $"eba/v1/demo/riverside/{edge}/status";
        string Status(string state) => $"{{\"schema\":1,\"edgeId\":\"{edge}\",\"state\":\"{state}\",\"timestampUtcMs\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}";
        await host.PublishAsync(status, Status("offline"));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            AlarmDto alarm;
            do
            {
                alarm = await alarms.Reader.ReadAsync(timeout.Token);
            }
            while (alarm.DeviceId != edge);

            alarm.MessageText.Id.ShouldBe(MessageIds.AlarmRaised);
            alarm.MessageText.Args.ShouldContainKeyAndValue("rule@zh", "边缘网关离线");
            MessageCatalog.Render(alarm.MessageText, CultureInfo.GetCultureInfo("en")).ShouldBe("Edge gateway offline");

            TicketDto ticket;
            do
            {
                ticket = await tickets.Reader.ReadAsync(timeout.Token);
            }
            while (ticket.DeviceId != edge);

            ticket.TitleText.Id.ShouldBe(MessageIds.TicketForAlarm);
            MessageCatalog.Render(ticket.TitleText, CultureInfo.GetCultureInfo("en")).ShouldBe($"Edge gateway offline — {edge}");
        }
        finally
        {
            await host.PublishAsync(status, Status("online"));
        }
    }

    [Fact]
    public async Task Joining_an_invalid_tenant_is_refused()
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, LiveHub.Path.TrimStart('/')), o =>
            {
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult(host.Api.DefaultRequestHeaders.Authorization?.Parameter);
            })
            .Build();
        await connection.StartAsync();
        var error = await Should.ThrowAsync<HubException>(() => connection.InvokeAsync("JoinTenant", "not a tenant"));
        error.Message.ShouldContain("is not a tenant id");
    }
}
