using System.Collections.Concurrent;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>Which edges are online, from their retained status messages (birth and last will).</summary>
public sealed class EdgeRegistry
{
    private readonly ConcurrentDictionary<(string Tenant, string Site, string Edge), EdgeStatus> _edges = new();

    public void Update(TopicAddress topic, EdgeStatus status) => _edges[(topic.Tenant, topic.Site, topic.Edge)] = status;

    public bool IsSiteOnline(string tenantId, string siteId) =>
        _edges.Any(e => e.Key.Tenant == tenantId && e.Key.Site == siteId && e.Value.State == EdgeState.Online);

    public IReadOnlyList<(string Tenant, string Site, string Edge, EdgeStatus Status)> Snapshot() =>
        _edges.Select(e => (e.Key.Tenant, e.Key.Site, e.Key.Edge, e.Value)).ToList();
}
