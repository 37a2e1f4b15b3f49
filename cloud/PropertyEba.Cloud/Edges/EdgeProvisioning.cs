using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Edges;

/// <summary>
/// What went wrong with a change to an edge: the endpoints turn it into a 400, 404 or 409 problem; an invalid input
/// names its <paramref name="Field"/> so a form can show the message beside it.
/// </summary>
public sealed record EdgeProblem(int StatusCode, string Title, string Detail, string? Field = null);

/// <summary>
/// Provisions, rotates, disables, enables and deletes a tenant's edges, and adopts a waiting one. Each change is audited
/// in the same SaveChanges, ends the edge's broker session when its access changed (so a rotated secret or a disabled
/// edge takes effect at once) and has the mosquitto files written again. A secret is returned once and kept hashed.
/// </summary>
public sealed class EdgeProvisioning(
    IDbContextFactory<EbaDbContext> dbFactory,
    AuditTrail audit,
    PendingEdges pending,
    IBrokerSessions sessions,
    CloudMqttIdentity cloud,
    MosquittoFiles mosquitto,
    TimeProvider time)
{
    /// <summary>The client id an edge agent uses unless configured otherwise (docs/mqtt-contract.md, session).</summary>
    public static string DefaultClientId(string tenantId, string siteId, string edgeId) => $"eba-{tenantId}-{siteId}-{edgeId}";

    public async Task<IReadOnlyList<EdgeDto>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var edges = await db.Set<ProvisionedEdge>().AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync(cancellationToken);
        return [.. edges.OrderBy(e => e.SiteId, StringComparer.Ordinal).ThenBy(e => e.EdgeId, StringComparer.Ordinal).Select(ToDto)];
    }

    public async Task<(EdgeCredentialsDto? Credentials, EdgeProblem? Problem)> ProvisionAsync(string tenantId, string siteId, ProvisionEdgeRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.EdgeId) || !MqttTopics.IsId(request.EdgeId))
        {
            return (null, Invalid("edgeId", $"'{request.EdgeId}' is not an edge id: use 1..64 letters, digits, '-' or '_'."));
        }

        var clientId = string.IsNullOrEmpty(request.ClientId) ? DefaultClientId(tenantId, siteId, request.EdgeId) : request.ClientId;
        if (ClientIdProblem(clientId) is { } problem)
        {
            return (null, problem);
        }

        return await CreateAsync(tenantId, siteId, request.EdgeId, clientId, "edge.provision", cancellationToken);
    }

    public async Task<(EdgeCredentialsDto? Credentials, EdgeProblem? Problem)> AdoptAsync(string tenantId, string clientId, CancellationToken cancellationToken)
    {
        if (pending.Find(tenantId, clientId) is not { } waiting)
        {
            return (null, new EdgeProblem(StatusCodes.Status404NotFound, "No such waiting edge", $"No client '{clientId}' claiming tenant '{tenantId}' is waiting to be adopted."));
        }

        if (ClientIdProblem(clientId) is { } problem)
        {
            return (null, problem);
        }

        var adopted = await CreateAsync(tenantId, waiting.ClaimedSiteId, waiting.ClaimedEdgeId, clientId, "edge.adopt", cancellationToken);
        if (adopted.Credentials is not null)
        {
            // Its session is still the unprovisioned one, allowed nothing: it must connect again with its secret.
            await sessions.DisconnectAsync(clientId, cancellationToken);
        }

        return adopted;
    }

    public Task<(EdgeCredentialsDto? Credentials, EdgeProblem? Problem)> RotateSecretAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, siteId, edgeId, "edge.rotate-secret", edge =>
        {
            var secret = EdgeSecretHasher.NewSecret();
            edge.SecretHash = EdgeSecretHasher.Hash(secret);
            edge.SecretIssuedUtc = time.GetUtcNow();
            return secret;
        }, cancellationToken);

    public async Task<(EdgeDto? Edge, EdgeProblem? Problem)> SetEnabledAsync(string tenantId, string siteId, string edgeId, bool enabled, CancellationToken cancellationToken)
    {
        var (changed, problem) = await ChangeAsync(tenantId, siteId, edgeId, enabled ? "edge.enable" : "edge.disable", edge =>
        {
            edge.Enabled = enabled;
            return null;
        }, cancellationToken);
        return (changed?.Edge, problem);
    }

    public async Task<EdgeProblem?> DeleteAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var edge = await FindAsync(db, tenantId, siteId, edgeId, cancellationToken);
        if (edge is null)
        {
            return NotFound(tenantId, siteId, edgeId);
        }

        db.Remove(edge);
        audit.Record(db, tenantId, "edge.delete", Target(edge), new { edge.ClientId });
        await db.SaveChangesAsync(cancellationToken);
        await AccessChangedAsync(edge.ClientId, cancellationToken);
        return null;
    }

    /// <summary>
    /// Credentials for an edge the cloud runs itself (the demo estate's agent): provisions it, or issues it a new secret
    /// when it exists (the old one was never kept), and enables it.
    /// </summary>
    public async Task<EdgeCredentialsDto> EnsureCredentialsAsync(string tenantId, string siteId, string edgeId, CancellationToken cancellationToken)
    {
        var (created, _) = await CreateAsync(tenantId, siteId, edgeId, DefaultClientId(tenantId, siteId, edgeId), "edge.provision", cancellationToken);
        if (created is not null)
        {
            return created;
        }

        var (rotated, problem) = await ChangeAsync(tenantId, siteId, edgeId, "edge.rotate-secret", edge =>
        {
            var secret = EdgeSecretHasher.NewSecret();
            edge.SecretHash = EdgeSecretHasher.Hash(secret);
            edge.SecretIssuedUtc = time.GetUtcNow();
            edge.Enabled = true;
            return secret;
        }, cancellationToken);
        return rotated ?? throw new InvalidOperationException($"Could not issue credentials for edge {tenantId}/{siteId}/{edgeId}: {problem?.Detail}");
    }

    private async Task<(EdgeCredentialsDto? Credentials, EdgeProblem? Problem)> CreateAsync(string tenantId, string siteId, string edgeId, string clientId, string action, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = db.Set<ProvisionedEdge>().IgnoreQueryFilters([EbaDbContext.TenantFilter, EbaDbContext.SiteFilter]);
        if (await set.AnyAsync(e => e.TenantId == tenantId && e.SiteId == siteId && e.EdgeId == edgeId, cancellationToken))
        {
            return (null, new EdgeProblem(StatusCodes.Status409Conflict, "Edge exists", $"Edge '{edgeId}' of site '{siteId}' is provisioned already; rotate its secret instead."));
        }

        // Client ids are unique across tenants, so the answer must not say whose it is.
        if (await set.AnyAsync(e => e.ClientId == clientId, cancellationToken))
        {
            return (null, new EdgeProblem(StatusCodes.Status409Conflict, "Client id taken", $"Client id '{clientId}' belongs to another edge; choose another clientId."));
        }

        var secret = EdgeSecretHasher.NewSecret();
        var now = time.GetUtcNow();
        var edge = new ProvisionedEdge
        {
            TenantId = tenantId,
            SiteId = siteId,
            EdgeId = edgeId,
            ClientId = clientId,
            SecretHash = EdgeSecretHasher.Hash(secret),
            CreatedUtc = now,
            SecretIssuedUtc = now,
        };
        db.Add(edge);
        audit.Record(db, tenantId, action, Target(edge), new { clientId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Provisioned at the same moment by another request: the unique indexes decided.
            return (null, new EdgeProblem(StatusCodes.Status409Conflict, "Edge exists", $"Edge '{edgeId}' of site '{siteId}' or client id '{clientId}' was provisioned meanwhile."));
        }

        pending.Remove(clientId);
        mosquitto.Changed();
        return (new EdgeCredentialsDto(ToDto(edge), clientId, secret), null);
    }

    // Applies a change to an existing edge; returns the new secret when the change issued one.
    private async Task<(EdgeCredentialsDto? Credentials, EdgeProblem? Problem)> ChangeAsync(
        string tenantId, string siteId, string edgeId, string action, Func<ProvisionedEdge, string?> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var edge = await FindAsync(db, tenantId, siteId, edgeId, cancellationToken);
        if (edge is null)
        {
            return (null, NotFound(tenantId, siteId, edgeId));
        }

        var secret = change(edge);
        audit.Record(db, tenantId, action, Target(edge), new { edge.ClientId, edge.Enabled });
        await db.SaveChangesAsync(cancellationToken);
        await AccessChangedAsync(edge.ClientId, cancellationToken);
        return (new EdgeCredentialsDto(ToDto(edge), edge.ClientId, secret ?? ""), null);
    }

    private async Task AccessChangedAsync(string clientId, CancellationToken cancellationToken)
    {
        mosquitto.Changed();

        // The session was opened with the old access; the edge connects again and is checked again.
        await sessions.DisconnectAsync(clientId, cancellationToken);
    }

    private EdgeProblem? ClientIdProblem(string clientId)
    {
        if (clientId.Length > 128 || clientId.Any(c => c is '+' or '#' or '/' or ':' || char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return Invalid("clientId", $"'{clientId}' is not a usable client id: up to 128 printable characters without spaces, '+', '#', '/' or ':'.");
        }

        return clientId == cloud.ClientId || clientId == cloud.Username
            ? new EdgeProblem(StatusCodes.Status409Conflict, "Client id taken", $"Client id '{clientId}' is the cloud's own.")
            : null;
    }

    private static Task<ProvisionedEdge?> FindAsync(EbaDbContext db, string tenantId, string siteId, string edgeId, CancellationToken cancellationToken) =>
        db.Set<ProvisionedEdge>().SingleOrDefaultAsync(e => e.TenantId == tenantId && e.SiteId == siteId && e.EdgeId == edgeId, cancellationToken);

    private static EdgeProblem Invalid(string field, string detail) => new(StatusCodes.Status400BadRequest, $"Invalid {field}", detail, field);

    private static EdgeProblem NotFound(string tenantId, string siteId, string edgeId) =>
        new(StatusCodes.Status404NotFound, "No such edge", $"Tenant '{tenantId}' has no edge '{edgeId}' at site '{siteId}'.");

    private static string Target(ProvisionedEdge edge) => $"edge/{edge.SiteId}/{edge.EdgeId}";

    private static EdgeDto ToDto(ProvisionedEdge e) => new(e.TenantId, e.SiteId, e.EdgeId, e.ClientId, e.Enabled, e.CreatedUtc, e.SecretIssuedUtc);
}
