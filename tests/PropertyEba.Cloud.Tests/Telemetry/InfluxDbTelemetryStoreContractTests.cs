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

/// <summary>
/// The same contract with <c>AcknowledgeAfter=buffer</c>: appends return once on disk and influxd is written behind,
/// so every query right after an append proves that queries wait for what was appended before them.
/// </summary>
[Collection(InfluxCollection.Name)]
public sealed class InfluxDbWriteBehindTelemetryStoreContractTests(InfluxFixture influx) : TelemetryStoreContractTests, IAsyncLifetime
{
    private InfluxStoreHarness? _harness;

    protected override async Task<PropertyEba.Cloud.Telemetry.ITelemetryStore> OpenStoreAsync() =>
        (_harness ??= await InfluxStoreHarness.StartAsync(influx.Server.Url, "contract_behind", o => o.AcknowledgeAfter = "buffer")).Store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
