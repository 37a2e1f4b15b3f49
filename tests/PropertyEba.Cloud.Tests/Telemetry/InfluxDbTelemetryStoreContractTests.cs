namespace PropertyEba.Cloud.Tests.Telemetry;

/// <summary>The shared contract on the InfluxDB engine, against a real influxd (one per run, one database; tests keep apart by tenant).</summary>
[Collection(InfluxCollection.Name)]
public sealed class InfluxDbTelemetryStoreContractTests(InfluxFixture influx) : TelemetryStoreContractTests, IAsyncLifetime
{
    private InfluxStoreHarness? _harness;

    protected override async Task<PropertyEba.Cloud.Telemetry.ITelemetryStore> OpenStoreAsync() =>
        (_harness ??= await InfluxStoreHarness.StartAsync(influx.Server.Url, "contract")).Store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
