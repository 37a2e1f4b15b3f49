using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// What each client may do on the broker (docs/mqtt-contract.md, topics): an edge writes only its own edge → cloud
/// channels under <c>eba/v1/{its tenant}/{its site}/{its edge}/</c> (never its <c>config</c> or <c>cmd/…</c>, which are
/// the cloud's) and reads only its own <c>config</c> and <c>cmd/…</c>; the cloud everything; a client that is not
/// provisioned nothing. Pure, so the same rules write mosquitto's ACL file.
/// </summary>
public static class EdgeTopicAccess
{
    /// <summary>The topic prefix of an edge: <c>eba/v1/{tenant}/{site}/{edge}/</c>.</summary>
    public static string PrefixOf(string tenantId, string siteId, string edgeId) => $"{MqttTopics.Root}/{tenantId}/{siteId}/{edgeId}/";

    /// <summary>The channels an edge publishes on, as mosquitto ACL patterns (<c>+</c>: one command id).</summary>
    public static readonly IReadOnlyList<string> EdgeChannels = [MqttTopics.Telemetry, MqttTopics.Status, MqttTopics.Events, MqttTopics.CommandResult + "/+"];

    public static string? PublishDenial(BrokerClient client, string topic) => client.Kind switch
    {
        BrokerClientKind.Cloud => null,
        BrokerClientKind.Edge when topic.StartsWith(PrefixOf(client.TenantId!, client.SiteId!, client.EdgeId!), StringComparison.Ordinal)
            && !topic.Contains('+') && !topic.Contains('#') && IsEdgeChannel(topic[PrefixOf(client.TenantId!, client.SiteId!, client.EdgeId!).Length..]) => null,
        BrokerClientKind.Edge => $"edge {client.TenantId}/{client.SiteId}/{client.EdgeId} may publish only on {PrefixOf(client.TenantId!, client.SiteId!, client.EdgeId!)}{{{string.Join(", ", EdgeChannels)}}}",
        _ => $"client '{client.ClientId}' is not a provisioned edge; it waits to be adopted",
    };

    private static bool IsEdgeChannel(string channel) =>
        channel is MqttTopics.Telemetry or MqttTopics.Status or MqttTopics.Events
        || (channel.StartsWith(MqttTopics.CommandResult + "/", StringComparison.Ordinal) && MqttTopics.IsId(channel[(MqttTopics.CommandResult.Length + 1)..]));

    public static string? SubscribeDenial(BrokerClient client, string filter)
    {
        if (client.Kind == BrokerClientKind.Cloud)
        {
            return null;
        }

        if (client.Kind != BrokerClientKind.Edge)
        {
            return $"client '{client.ClientId}' is not a provisioned edge";
        }

        // Wildcards after ".../cmd/" stay inside the edge's own command tree; anywhere before it they would not.
        var prefix = PrefixOf(client.TenantId!, client.SiteId!, client.EdgeId!);
        var own = filter == prefix + MqttTopics.Config
            || filter == prefix + "cmd"
            || (filter.StartsWith(prefix + "cmd/", StringComparison.Ordinal) && !filter[(prefix.Length + 4)..].Contains('$'));
        return own ? null : $"edge {client.TenantId}/{client.SiteId}/{client.EdgeId} may subscribe only to {prefix}{MqttTopics.Config} and {prefix}cmd/#";
    }
}
