using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>The production shape: no embedded broker; the edge and the cloud meet on Debian's mosquitto.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class ExternalBrokerTests
{
    [Fact]
    public async Task Telemetry_flows_through_an_external_mosquitto_broker()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var port = broker.Port;

        var data = Directory.CreateTempSubdirectory("propertyeba-external-").FullName;
        await using var cloud = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Persistence:DataDirectory"] = data,
                ["Mqtt:EmbeddedBroker"] = "false",
                ["Mqtt:Host"] = "127.0.0.1",
                ["Mqtt:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Mqtt:ClientId"] = "cloud-external-test",
                ["Mqtt:SharedSubscriptionGroup"] = "cloud",
                ["DemoEstate:PollInterval"] = "00:00:00.5",
            }));
        });
        using var api = await cloud.SignInAsAsync(Tenancy.Roles.PlatformOperator);

        var stats = await Eventually.UntilAsync(
            async ct => (await api.GetFromJsonAsync<IngestionStatsDto>("/api/ingestion/stats", ct))!,
            s => s.BatchesAccepted >= 3,
            "three telemetry batches through mosquitto",
            TimeSpan.FromSeconds(60));
        stats.PayloadsRejected.ShouldBe(0);
        using var admin = await cloud.SignInAsAsync(Tenancy.Roles.Administrator, "demo");
        var sites = await admin.GetFromJsonAsync<List<SiteDto>>("/api/tenants/demo/sites");
        sites!.ShouldContain(s => s.EdgeOnline);
    }
}
