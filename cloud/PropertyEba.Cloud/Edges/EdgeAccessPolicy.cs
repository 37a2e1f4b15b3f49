using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// The embedded broker's gate. At CONNECT: the cloud's client id and user name are the cloud's alone; a provisioned
/// edge's client id needs its own user name (the same id) and secret, and the edge must be enabled; any other client
/// is let in as <see cref="BrokerClientKind.Unprovisioned"/>, allowed nothing, so that its attempts show in the list of
/// edges waiting to be adopted. After that <see cref="EdgeTopicAccess"/> decides; every denied publish is counted
/// (<c>publishesDenied</c> of the ingestion stats) and logged.
/// </summary>
internal sealed partial class EdgeAccessPolicy(
    IDbContextFactory<EbaDbContext> dbFactory,
    CloudMqttIdentity cloud,
    PendingEdges pending,
    IngestionStats stats,
    ILogger<EdgeAccessPolicy> logger) : IBrokerAccessPolicy
{
    public async ValueTask<ConnectDecision> AuthenticateAsync(BrokerConnect connect, CancellationToken cancellationToken)
    {
        if (connect.ClientId == cloud.ClientId || connect.UserName == cloud.Username)
        {
            if (connect.ClientId != cloud.ClientId)
            {
                return ConnectDecision.Refuse(ConnectRefusal.ClientIdentifierNotValid, "the cloud's user name with another client id");
            }

            return connect.UserName == cloud.Username && cloud.IsPassword(connect.Password)
                ? ConnectDecision.Accept(new BrokerClient(connect.ClientId, BrokerClientKind.Cloud))
                : ConnectDecision.Refuse(ConnectRefusal.BadUserNameOrPassword, "the cloud's client id without the cloud's credentials");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var edges = db.Set<ProvisionedEdge>().AsNoTracking();
        var edge = await edges.SingleOrDefaultAsync(e => e.ClientId == connect.ClientId, cancellationToken);
        if (edge is null)
        {
            if (!string.IsNullOrEmpty(connect.UserName) && await edges.AnyAsync(e => e.ClientId == connect.UserName, cancellationToken))
            {
                return ConnectDecision.Refuse(ConnectRefusal.ClientIdentifierNotValid, $"edge '{connect.UserName}' must connect with its own id as client id");
            }

            return ConnectDecision.Accept(new BrokerClient(connect.ClientId, BrokerClientKind.Unprovisioned));
        }

        if (connect.UserName != edge.ClientId)
        {
            return string.IsNullOrEmpty(connect.UserName)
                ? ConnectDecision.Refuse(ConnectRefusal.BadUserNameOrPassword, $"the client id of edge {edge.TenantId}/{edge.SiteId}/{edge.EdgeId} without credentials")
                : ConnectDecision.Refuse(ConnectRefusal.ClientIdentifierNotValid, $"the client id of edge {edge.TenantId}/{edge.SiteId}/{edge.EdgeId} with user name '{connect.UserName}'");
        }

        if (!EdgeSecretHasher.Verify(connect.Password, edge.SecretHash))
        {
            return ConnectDecision.Refuse(ConnectRefusal.BadUserNameOrPassword, $"wrong or missing secret of edge {edge.TenantId}/{edge.SiteId}/{edge.EdgeId}");
        }

        if (!edge.Enabled)
        {
            return ConnectDecision.Refuse(ConnectRefusal.NotAuthorized, $"edge {edge.TenantId}/{edge.SiteId}/{edge.EdgeId} is disabled");
        }

        return ConnectDecision.Accept(new BrokerClient(edge.ClientId, BrokerClientKind.Edge, edge.TenantId, edge.SiteId, edge.EdgeId));
    }

    public string? AuthorizePublish(BrokerClient client, string topic)
    {
        if (EdgeTopicAccess.PublishDenial(client, topic) is not { } denial)
        {
            return null;
        }

        if (client.Kind == BrokerClientKind.Unprovisioned)
        {
            pending.Attempted(client.ClientId, topic);
        }

        stats.PublishDenied(client.ClientId, topic, denial);
        LogPublishDenied(client.ClientId, topic, denial);
        return denial;
    }

    public string? AuthorizeSubscribe(BrokerClient client, string topicFilter) => EdgeTopicAccess.SubscribeDenial(client, topicFilter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a publish of MQTT client {ClientId} on {Topic}: {Reason}")]
    private partial void LogPublishDenied(string clientId, string topic, string reason);
}
