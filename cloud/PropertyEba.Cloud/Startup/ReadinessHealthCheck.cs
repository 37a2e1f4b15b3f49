using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Startup;

/// <summary>Healthy when the database answers and the broker is up; reports ingestion counters as data.</summary>
internal sealed class ReadinessHealthCheck(IDbContextFactory<EbaDbContext> dbFactory, BrokerEndpoint broker, IngestionStats stats) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = stats.Snapshot();
        var data = new Dictionary<string, object>
        {
            ["batchesAccepted"] = snapshot.BatchesAccepted,
            ["payloadsRejected"] = snapshot.PayloadsRejected,
            ["broker"] = broker.Current is { } b ? $"{b.Host}:{b.Port}" : "starting",
        };
        if (broker.Current is null)
        {
            return HealthCheckResult.Unhealthy("The MQTT broker is not ready yet.", data: data);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Database and broker ready.", data)
            : HealthCheckResult.Unhealthy("The database cannot be reached.", data: data);
    }
}
