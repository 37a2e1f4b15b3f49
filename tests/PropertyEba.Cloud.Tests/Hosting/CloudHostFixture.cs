using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// The whole cloud service with its demo estate, on a temp data folder: embedded MQTT broker on a free
/// loopback port, simulated devices on loopback Modbus TCP, a real edge agent polling them. Shared by
/// every host test (one host per test run keeps the suite fast and the static logger single).
/// </summary>
public sealed class CloudHostFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Tenant = "demo";
    public const string Site = "sunny-garden";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("propertyeba-cloud-").FullName;

    /// <summary>Signed in as the demo tenant's administrator.</summary>
    public HttpClient Api { get; private set; } = default!;

    /// <summary>Signed in as the platform operator the demo generated (platform-wide counters).</summary>
    public HttpClient Operator { get; private set; } = default!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:DataDirectory"] = DataDirectory,
            ["Mqtt:Port"] = "0",
            ["Mqtt:ClientId"] = "cloud-tests",
            ["DemoEstate:Enabled"] = "true",
            ["DemoEstate:PollInterval"] = "00:00:00.5",
            ["DemoEstate:Seed"] = "7",
            ["DemoEstate:EdgeOfflineDelay"] = "00:00:01",
        }));
    }

    /// <summary>Publishes one QoS 1 message to the service's broker as the edge the topic names (provisioned on first use).</summary>
    public async Task PublishAsync(string topic, string payload) => await this.PublishAsEdgeAsync(topic, payload);

    /// <summary>Provisions an edge (once per test run) and returns its credentials.</summary>
    public Task<Contracts.Api.EdgeCredentialsDto> ProvisionEdgeAsync(string tenant, string site, string edge) => TestEdges.ProvisionEdgeAsync(this, tenant, site, edge);

    public (string Host, int Port) Broker => Services.GetRequiredService<BrokerEndpoint>().Current ?? throw new InvalidOperationException("The broker has not started.");

    public async Task InitializeAsync()
    {
        Api = await this.SignInAsAsync(Tenancy.Roles.Administrator, Tenant);
        Operator = await this.SignInAsAsync(Tenancy.Roles.PlatformOperator);
        await Eventually.UntilAsync(
            async ct => (await Api.GetFromJsonAsync<List<Contracts.Api.DeviceDto>>($"/api/tenants/{Tenant}/sites/{Site}/devices", ct))!,
            devices => devices.Count >= 3 && devices.All(d => d.Points.Any(p => p.Quality == "good")),
            "the demo estate's devices to report good values through Modbus and MQTT",
            TimeSpan.FromSeconds(60));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still flushing; the temp folder is cleaned later by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class CloudHostCollection : ICollectionFixture<CloudHostFixture>
{
    public const string Name = "cloud host";
}
