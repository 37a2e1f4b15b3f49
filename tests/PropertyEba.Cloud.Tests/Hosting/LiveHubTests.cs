using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Contracts.Api;

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
