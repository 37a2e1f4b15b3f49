using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Messaging;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// The cloud alone, without the demo estate, on a data folder of its own (a new temp folder, removed when disposed,
/// unless one is given to share between two runs), so that everything stored or counted came from the test.
/// </summary>
internal sealed class StandaloneCloud(Dictionary<string, string?> settings, string? dataDirectory = null) : WebApplicationFactory<Program>
{
    private readonly bool _ownsData = dataDirectory is null;

    /// <summary>The platform operator's password, generated once per test run (the service ships none): two clouds on one data folder share it.</summary>
    public static readonly string OperatorPassword = Identity.UserAdministration.GeneratePassword();

    /// <summary>A client signed in as the platform operator.</summary>
    public Task<HttpClient> OperatorClientAsync() => this.SignInAsync(SignedInClients.OperatorUserName, OperatorPassword);

    public string DataDirectory { get; } = dataDirectory ?? Directory.CreateTempSubdirectory("propertyeba-standalone-").FullName;

    /// <summary>The embedded broker's address (starts the cloud if it has not started).</summary>
    public (string Host, int Port) Broker => Services.GetRequiredService<BrokerEndpoint>().Current ?? throw new InvalidOperationException("The broker has not started.");

    /// <summary>Provisions an edge (once per cloud) and returns its credentials.</summary>
    public Task<Contracts.Api.EdgeCredentialsDto> ProvisionEdgeAsync(string tenant, string site, string edge) => TestEdges.ProvisionEdgeAsync(this, tenant, site, edge);

    /// <summary>Records in the embedded store's day files: one per stored sample (21 bytes each).</summary>
    public long SamplesOnDisk() =>
        Directory.EnumerateFiles(DataDirectory, "*.tsdb", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 21;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Persistence:DataDirectory"] = DataDirectory,
            ["DemoEstate:Enabled"] = "false",
            ["Identity:PlatformOperator:UserName"] = SignedInClients.OperatorUserName,
            ["Identity:PlatformOperator:Password"] = OperatorPassword,
        }));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsData)
        {
            return;
        }

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
