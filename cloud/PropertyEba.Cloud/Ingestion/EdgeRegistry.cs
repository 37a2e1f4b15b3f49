using System.Collections.Concurrent;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Which edges are online: from their retained status (birth and last will), overruled by the data
/// itself. When an edge reconnects, a broker may publish the old connection's last will after the new
/// birth, leaving "offline" retained for an edge that is publishing; so telemetry received after the
/// status, and recent, counts as online.
/// </summary>
public sealed class EdgeRegistry(TimeProvider time)
{
    /// <summary>How recent telemetry must be to count as a sign of life.</summary>
    public static readonly TimeSpan TelemetryLiveness = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<(string Tenant, string Site, string Edge), EdgeEntry> _edges = new();

    public void Update(TopicAddress topic, EdgeStatus status)
    {
        var now = time.GetUtcNow();
        _edges.AddOrUpdate((topic.Tenant, topic.Site, topic.Edge),
            _ => new EdgeEntry(status, now, null),
            (_, e) => e with { Status = status, StatusReceivedUtc = now });
    }

    /// <summary>Notes that a telemetry batch of the edge was stored.</summary>
    public void TelemetryReceived(TopicAddress topic)
    {
        var now = time.GetUtcNow();
        _edges.AddOrUpdate((topic.Tenant, topic.Site, topic.Edge),
            _ => new EdgeEntry(null, null, now),
            (_, e) => e with { LastTelemetryUtc = now });
    }

    /// <summary>The latest status the edge published (its applied configuration version among it), if any arrived since start.</summary>
    public EdgeStatus? StatusOf(string tenantId, string siteId, string edgeId) =>
        _edges.TryGetValue((tenantId, siteId, edgeId), out var e) ? e.Status : null;

    public bool IsSiteOnline(string tenantId, string siteId)
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _edges)
        {
            if (key.Tenant == tenantId && key.Site == siteId && entry.IsOnline(now))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record EdgeEntry(EdgeStatus? Status, DateTimeOffset? StatusReceivedUtc, DateTimeOffset? LastTelemetryUtc)
    {
        public bool IsOnline(DateTimeOffset now)
        {
            if (Status?.State == EdgeState.Online)
            {
                return true;
            }

            return LastTelemetryUtc is { } seen
                && now - seen < TelemetryLiveness
                && (StatusReceivedUtc is null || seen > StatusReceivedUtc);
        }
    }
}
