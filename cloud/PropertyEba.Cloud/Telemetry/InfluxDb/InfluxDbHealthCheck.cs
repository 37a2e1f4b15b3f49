using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PropertyEba.Cloud.Telemetry.InfluxDb;

/// <summary>
/// influxd answers /ping: healthy; it does not: degraded, not unhealthy — ingestion goes on into the
/// outage buffer, so the service is still doing its job. The buffer's fill is in the data either way.
/// </summary>
internal sealed class InfluxDbHealthCheck(InfluxDbClient client, InfluxDbTelemetryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["bufferedSamples"] = store.BufferedPending };
        try
        {
            var version = await client.PingAsync(cancellationToken);
            data["version"] = version;
            return store.BufferedPending == 0
                ? HealthCheckResult.Healthy($"influxd {version} answers", data)
                : HealthCheckResult.Degraded($"influxd {version} answers; {store.BufferedPending} buffered samples still to write", data: data);
        }
        catch (Exception ex) when (InfluxDbTelemetryStore.IsTransient(ex) || ex is InfluxDbRejectedException)
        {
            return HealthCheckResult.Degraded($"influxd does not answer /ping ({ex.Message}); samples wait in the outage buffer", ex, data);
        }
    }
}
