using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// Clients that connected without being provisioned and tried to publish under an edge's topics: what they claim to
/// be (tenant, site, edge from the topic), when they were first and last seen, how often they tried. Administrators
/// of the claimed tenant see them and may adopt one. Kept in memory and bounded (<see cref="Capacity"/>), since anyone
/// who reaches the broker can add to it; an edge that keeps trying reappears after a restart.
/// </summary>
public sealed class PendingEdges(TimeProvider time)
{
    /// <summary>The most clients listed at once; attempts of further ones are still refused and counted, just not listed.</summary>
    public const int Capacity = 1_000;

    private readonly Dictionary<string, PendingEdgeDto> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Notes an attempt of <paramref name="clientId"/> to publish on <paramref name="topic"/>; a topic outside the contract is not listed.</summary>
    public void Attempted(string clientId, string topic)
    {
        if (!MqttTopics.TryParse(topic, out var claimed))
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_pending.TryGetValue(clientId, out var seen))
            {
                _pending[clientId] = seen with
                {
                    ClaimedTenantId = claimed.Tenant,
                    ClaimedSiteId = claimed.Site,
                    ClaimedEdgeId = claimed.Edge,
                    LastSeenUtc = now,
                    Attempts = seen.Attempts + 1,
                };
            }
            else if (_pending.Count < Capacity)
            {
                _pending[clientId] = new PendingEdgeDto(clientId, claimed.Tenant, claimed.Site, claimed.Edge, now, now, 1);
            }
        }
    }

    /// <summary>The clients that claim to belong to <paramref name="tenantId"/>, most recently seen first.</summary>
    public IReadOnlyList<PendingEdgeDto> Of(string tenantId)
    {
        lock (_lock)
        {
            return [.. _pending.Values.Where(p => p.ClaimedTenantId == tenantId).OrderByDescending(p => p.LastSeenUtc)];
        }
    }

    public PendingEdgeDto? Find(string tenantId, string clientId)
    {
        lock (_lock)
        {
            return _pending.TryGetValue(clientId, out var p) && p.ClaimedTenantId == tenantId ? p : null;
        }
    }

    /// <summary>Takes a client off the list: it was adopted, or provisioned some other way.</summary>
    public void Remove(string clientId)
    {
        lock (_lock)
        {
            _pending.Remove(clientId);
        }
    }
}
