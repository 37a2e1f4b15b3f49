using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Cloud.Telemetry.InfluxDb;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Telemetry;

/// <summary>One real influxd for the classes of <see cref="InfluxCollection"/>; tests keep apart by tenant or database.</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    private InfluxServer? _server;

    public InfluxServer Server => _server ?? throw new InvalidOperationException("influxd has not started.");

    public async Task InitializeAsync() => _server = await InfluxServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InfluxCollection : ICollectionFixture<InfluxFixture>
{
    public const string Name = "influxd";
}

/// <summary>Builds the store as the cloud does (the same HttpClient and resilience handler), on a test's own buffer folder.</summary>
internal sealed class InfluxStoreHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public InfluxStoreHarness(string url, string database, Action<InfluxDbOptions>? configure = null, string? bufferDirectory = null)
    {
        Options = new InfluxDbOptions
        {
            Url = url,
            Database = database,
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryAttempts = 1,
            DrainMaxDelay = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(Options);
        OwnsBuffer = bufferDirectory is null;
        BufferDirectory = bufferDirectory ?? Directory.CreateTempSubdirectory("influx-buffer-").FullName;
        _services = new ServiceCollection().AddLogging().AddInfluxDbClient(_ => Options).BuildServiceProvider();
        Client = _services.GetRequiredService<InfluxDbClient>();
        Store = new InfluxDbTelemetryStore(Client, Options, BufferDirectory, TimeProvider.System, NullLogger<InfluxDbTelemetryStore>.Instance);
    }

    public InfluxDbOptions Options { get; }

    public string BufferDirectory { get; }

    public bool OwnsBuffer { get; }

    public InfluxDbClient Client { get; }

    public InfluxDbTelemetryStore Store { get; }

    public static async Task<InfluxStoreHarness> StartAsync(string url, string database, Action<InfluxDbOptions>? configure = null, string? bufferDirectory = null)
    {
        var harness = new InfluxStoreHarness(url, database, configure, bufferDirectory);
        await harness.Store.StartAsync(CancellationToken.None);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await _services.DisposeAsync();
        if (OwnsBuffer)
        {
            Directory.Delete(BufferDirectory, recursive: true);
        }
    }
}
