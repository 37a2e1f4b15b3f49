using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge;
using PropertyEba.Edge.Remote;

namespace PropertyEba.Cloud.Commands;

/// <summary>
/// Sets the configuration an edge should run: checked as the edge will check it (<see cref="DesiredConfigMerger"/>,
/// the edge's own rules; device models are checked by the edge, which holds the profiles), audited, and published
/// retained on the edge's <c>config</c> topic, so the edge receives it whenever it connects. What the edge made of it
/// comes back in its status.
/// </summary>
public sealed partial class DesiredConfigs(
    IDbContextFactory<EbaDbContext> dbFactory,
    AuditTrail audit,
    ICloudPublisher publisher,
    EdgeRegistry registry,
    TimeProvider time,
    ILogger<DesiredConfigs> logger)
{
    private readonly ConcurrentDictionary<(string, string, string), string> _desired = new();

    public async Task<(EdgeConfigStatusDto? Status, CommandProblem? Problem)> SetAsync(string tenantId, string siteId, string edgeId, DesiredConfigRequest request, CancellationToken cancellationToken)
    {
        if (request.Edge is not { ValueKind: JsonValueKind.Object } edge)
        {
            return (null, CommandProblem.Invalid("edge", $"'edge' is missing or not an object: give the fields {string.Join(", ", DesiredConfigMerger.RemoteFields)} as in the edge's appsettings.json."));
        }

        var version = string.IsNullOrWhiteSpace(request.Version) ? time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) : request.Version;
        var desired = new EdgeDesiredConfig { Schema = 1, Version = version, Edge = edge };

        // The edge's identity and broker are placeholders here: only the fields the cloud may set are checked.
        var local = new EdgeOptions { Tenant = tenantId, Site = siteId, EdgeId = edgeId };
        var (_, problems) = DesiredConfigMerger.Merge(local, desired, profiles: null);
        if (problems.Count > 0)
        {
            return (null, CommandProblem.Invalid("edge", string.Join(" ", problems)));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<ProvisionedEdge>().AnyAsync(e => e.TenantId == tenantId && e.SiteId == siteId && e.EdgeId == edgeId, cancellationToken))
        {
            return (null, CommandProblem.NotFound("edge", $"Site '{siteId}' has no edge '{edgeId}'."));
        }

        audit.Record(db, tenantId, "edge.config.set", $"{siteId}/{edgeId}", new { version, edge = edge.GetRawText() });
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(desired, ContractsJsonContext.Default.EdgeDesiredConfig);
            await publisher.PublishAsync(MqttTopics.For(tenantId, siteId, edgeId, MqttTopics.Config), payload, retain: true, cancellationToken);
        }
        catch (BrokerUnavailableException ex)
        {
            return (null, new CommandProblem(StatusCodes.Status503ServiceUnavailable, "Broker unavailable", $"The configuration was not published: {ex.Message}. Send it again."));
        }

        _desired[(tenantId, siteId, edgeId)] = version;
        LogSet(tenantId, siteId, edgeId, version);
        return (Status(tenantId, siteId, edgeId), null);
    }

    /// <summary>Publishes an empty retained message: the broker forgets the desired configuration (the edge keeps what it runs).</summary>
    public async Task<CommandProblem?> ClearAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Set<ProvisionedEdge>().AnyAsync(e => e.TenantId == tenantId && e.SiteId == siteId && e.EdgeId == edgeId, cancellationToken))
        {
            return CommandProblem.NotFound("edge", $"Site '{siteId}' has no edge '{edgeId}'.");
        }

        audit.Record(db, tenantId, "edge.config.clear", $"{siteId}/{edgeId}");
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await publisher.PublishAsync(MqttTopics.For(tenantId, siteId, edgeId, MqttTopics.Config), [], retain: true, cancellationToken);
        }
        catch (BrokerUnavailableException ex)
        {
            return new CommandProblem(StatusCodes.Status503ServiceUnavailable, "Broker unavailable", $"The configuration was not cleared: {ex.Message}. Try again.");
        }

        _desired.TryRemove((tenantId, siteId, edgeId), out _);
        return null;
    }

    public async Task<(EdgeConfigStatusDto? Status, CommandProblem? Problem)> GetAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ProvisionedEdge>().AnyAsync(e => e.TenantId == tenantId && e.SiteId == siteId && e.EdgeId == edgeId, cancellationToken)
            ? (Status(tenantId, siteId, edgeId), null)
            : (null, CommandProblem.NotFound("edge", $"Site '{siteId}' has no edge '{edgeId}'."));
    }

    private EdgeConfigStatusDto Status(string tenantId, string siteId, string edgeId)
    {
        var status = registry.StatusOf(tenantId, siteId, edgeId);
        return new EdgeConfigStatusDto(
            siteId,
            edgeId,
            _desired.TryGetValue((tenantId, siteId, edgeId), out var desired) ? desired : null,
            status?.ConfigVersion,
            status?.ConfigRejected?.Version,
            status?.ConfigRejected?.Reasons ?? []);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Desired configuration {Version} published (retained) for edge {TenantId}/{SiteId}/{EdgeId}")]
    private partial void LogSet(string tenantId, string siteId, string edgeId, string version);
}
