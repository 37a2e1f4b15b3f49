using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Commands;

/// <summary>
/// Sends an engineer's command to the edge that polls the device (<c>cmd/{id}</c>, docs/mqtt-contract.md) after checking
/// what the cloud knows: the device and point exist and the point's profile marks it writable (the edge checks again,
/// with the range, since it holds the profile it runs). Each command is audited when sent and again when its result
/// comes; <see cref="CommandLog"/> keeps its state for the sender to read.
/// </summary>
public sealed partial class EdgeCommands(
    IDbContextFactory<EbaDbContext> dbFactory,
    AuditTrail audit,
    CallerAccessor callers,
    DeviceProfileLibrary profiles,
    ICloudPublisher publisher,
    CommandLog log,
    TimeProvider time,
    ILogger<EdgeCommands> logger)
{
    public const int DefaultExpirySeconds = 30;
    public const int MaxExpirySeconds = 600;

    public async Task<(CommandDto? Command, CommandProblem? Problem)> SendAsync(string tenantId, string siteId, string deviceId, SendCommandRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.PointId))
        {
            return (null, CommandProblem.Invalid("pointId", "'pointId' is missing: give the writable point to command (for a fan: fanCommand)."));
        }

        if (request.Value is not { } value || !double.IsFinite(value))
        {
            return (null, CommandProblem.Invalid("value", "'value' is missing or not a finite number: give the value to write (states: 0 or 1)."));
        }

        var expiresIn = request.ExpiresInSeconds ?? DefaultExpirySeconds;
        if (expiresIn is < 1 or > MaxExpirySeconds)
        {
            return (null, CommandProblem.Invalid("expiresInSeconds", $"expiresInSeconds {expiresIn} is out of range; allowed 1..{MaxExpirySeconds}."));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var device = await db.Set<Device>().AsNoTracking().FirstOrDefaultAsync(d => d.TenantId == tenantId && d.SiteId == siteId && d.DeviceId == deviceId, cancellationToken);
        if (device is null)
        {
            return (null, CommandProblem.NotFound("device", $"Site '{siteId}' has no device '{deviceId}'."));
        }

        var profile = await profiles.GetAsync(tenantId, device.Model, device.ProfileVersion, cancellationToken);
        var point = profile.Points.FirstOrDefault(p => p.PointId == request.PointId);
        var writable = profile.Points.Where(p => p.Writable).Select(p => p.PointId).ToList();
        if (point is null || !point.Writable)
        {
            var what = point is null ? $"Device '{deviceId}' ({device.Model}) has no point '{request.PointId}'." : $"Point '{request.PointId}' of device '{deviceId}' is not writable.";
            return (null, CommandProblem.Invalid("pointId", $"{what} Writable points: {(writable.Count == 0 ? "none" : string.Join(", ", writable))}."));
        }

        var edges = await db.Set<ProvisionedEdge>().AsNoTracking().Where(e => e.TenantId == tenantId && e.SiteId == siteId && e.Enabled).Select(e => e.EdgeId).ToListAsync(cancellationToken);
        string edgeId;
        if (!string.IsNullOrEmpty(request.EdgeId))
        {
            if (!edges.Contains(request.EdgeId))
            {
                return (null, CommandProblem.NotFound("edge", $"Site '{siteId}' has no enabled edge '{request.EdgeId}'; its enabled edges: {(edges.Count == 0 ? "none" : string.Join(", ", edges.Order(StringComparer.Ordinal)))}."));
            }

            edgeId = request.EdgeId;
        }
        else if (edges.Count == 1)
        {
            edgeId = edges[0];
        }
        else
        {
            return (null, CommandProblem.Invalid("edgeId", edges.Count == 0
                ? $"Site '{siteId}' has no enabled edge to send the command through."
                : $"Site '{siteId}' has {edges.Count} edges: give 'edgeId', one of {string.Join(", ", edges.Order(StringComparer.Ordinal))}."));
        }

        var now = time.GetUtcNow();
        var caller = callers.Current;
        var issuedBy = caller is { IsAuthenticated: true } ? caller.UserName : AuditTrail.SystemUser;
        var command = new CommandDto(
            NewId(), siteId, edgeId, deviceId, point.PointId, value, CommandState.Pending, null, null, null, issuedBy, now, now.AddSeconds(expiresIn), null);

        // Audited before it leaves: a command that reaches a device is never missing from the log.
        audit.Record(db, tenantId, "command.send", $"{siteId}/{deviceId}/{point.PointId}", new { command.CommandId, edgeId, value, expiresInSeconds = expiresIn });
        await db.SaveChangesAsync(cancellationToken);
        log.Add(tenantId, command);

        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new EdgeCommand
            {
                Schema = 1,
                CommandId = command.CommandId,
                DeviceId = deviceId,
                PointId = point.PointId,
                Value = value,
                IssuedUtcMs = now.ToUnixTimeMilliseconds(),
                ExpiresUtcMs = command.ExpiresUtc.ToUnixTimeMilliseconds(),
                IssuedBy = issuedBy,
            },
            ContractsJsonContext.Default.EdgeCommand);
        try
        {
            await publisher.PublishAsync(MqttTopics.For(tenantId, siteId, edgeId, MqttTopics.CommandChannel(command.CommandId)), payload, retain: false, cancellationToken);
        }
        catch (BrokerUnavailableException ex)
        {
            LogNotSent(command.CommandId, tenantId, siteId, edgeId, ex.Message);
            return (log.Fail(tenantId, command, $"not sent: {ex.Message}"), null);
        }

        LogSent(command.CommandId, tenantId, siteId, edgeId, deviceId, point.PointId, value, issuedBy);
        return (command, null);
    }

    public CommandDto? Get(string tenantId, string siteId, string deviceId, string commandId) =>
        log.Get(tenantId, commandId) is { } c && c.SiteId == siteId && c.DeviceId == deviceId ? c : null;

    public IReadOnlyList<CommandDto> Recent(string tenantId, string siteId, string deviceId) => log.OfDevice(tenantId, siteId, deviceId);

    /// <summary>Takes a result an edge published; audits it (as the system) when it completes a command of this cloud.</summary>
    public async Task ResultReceivedAsync(TopicAddress from, EdgeCommandResult result, CancellationToken cancellationToken)
    {
        if (log.Complete(from, result) is not { } completed)
        {
            LogUnknownResult(result.CommandId, from.Tenant, from.Site, from.Edge);
            return;
        }

        LogResult(completed.CommandId, from.Tenant, from.Site, from.Edge, completed.State.ToString(), completed.Reason ?? "");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        audit.Record(db, from.Tenant, "command.result", $"{completed.SiteId}/{completed.DeviceId}/{completed.PointId}",
            new { completed.CommandId, completed.EdgeId, state = completed.State.ToString(), completed.Reason, completed.ReadBack, completed.ModbusException });
        await db.SaveChangesAsync(cancellationToken);
    }

    // Random, not sequential: a command id in a topic must not let anyone guess the next one.
    private static string NewId() => "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} sent to edge {TenantId}/{SiteId}/{EdgeId}: {DeviceId}.{PointId} = {Value} (by {IssuedBy})")]
    private partial void LogSent(string commandId, string tenantId, string siteId, string edgeId, string deviceId, string pointId, double value, string issuedBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Command {CommandId} for edge {TenantId}/{SiteId}/{EdgeId} was not sent: {Reason}")]
    private partial void LogNotSent(string commandId, string tenantId, string siteId, string edgeId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {CommandId} of edge {TenantId}/{SiteId}/{EdgeId} ended {State} {Reason}")]
    private partial void LogResult(string commandId, string tenantId, string siteId, string edgeId, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Edge {TenantId}/{SiteId}/{EdgeId} sent a result for command {CommandId}, which this cloud did not send it (or forgot in a restart); ignored")]
    private partial void LogUnknownResult(string commandId, string tenantId, string siteId, string edgeId);
}
