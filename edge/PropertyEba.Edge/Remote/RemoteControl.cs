using System.Text.Json;
using Microsoft.Extensions.Logging;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.Remote;

/// <summary>What <see cref="RemoteControl"/> needs of the uplink: publish a message now, and publish the status again.</summary>
internal interface IRemoteLink
{
    /// <summary>Publishes on one of the edge's channels at QoS 1 if connected; false when not connected or not acknowledged.</summary>
    Task<bool> PublishAsync(string channel, byte[] payload, bool retain);

    /// <summary>Publishes the retained status again (after the applied configuration changed).</summary>
    Task RepublishStatusAsync();
}

/// <summary>What <see cref="RemoteControl"/> needs of the agent: the devices it runs now, and a way to run others.</summary>
internal interface IRemoteTargets
{
    /// <summary>The devices commands can reach now, by device id.</summary>
    IReadOnlyDictionary<string, DeviceTarget> Devices { get; }

    /// <summary>Validates a desired configuration; when valid, runs it (pollers restarted, buffer and sequence kept). Returns the problems.</summary>
    Task<IReadOnlyList<string>> ApplyAsync(EdgeDesiredConfig desired, CancellationToken cancellationToken);
}

/// <summary>
/// Handles what the cloud sends the edge (docs/mqtt-contract.md): each <c>cmd/{id}</c> is validated, executed and
/// answered on <c>cmd-result/{id}</c>; each <c>config</c> is applied or rolled back (the running configuration stays)
/// and the outcome is reported in the retained status. One message at a time, in arrival order.
/// </summary>
internal sealed class RemoteControl(
    RemoteInbox inbox,
    IRemoteLink link,
    IRemoteTargets targets,
    AppliedConfig applied,
    CommandExecutor executor,
    TimeProvider time,
    ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in inbox.Reader.ReadAllAsync(cancellationToken))
            {
                if (message.Channel.StartsWith(MqttTopics.Command + "/", StringComparison.Ordinal))
                {
                    await HandleCommandAsync(message.Channel[(MqttTopics.Command.Length + 1)..], message.Payload, cancellationToken);
                }
                else if (message.Channel == MqttTopics.Config)
                {
                    await HandleConfigAsync(message.Payload, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task HandleCommandAsync(string topicId, byte[] payload, CancellationToken cancellationToken)
    {
        if (!MqttTopics.IsId(topicId))
        {
            // No cmd-result topic can be formed for it; the broker's ACL makes this unreachable for a well-behaved cloud.
            RemoteLog.CommandRejected(logger, topicId, "the command id in the topic is not a valid id; no result can be sent");
            return;
        }

        EdgeCommandResult result;
        EdgeCommand? command = null;
        try
        {
            command = JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.EdgeCommand);
        }
        catch (JsonException ex)
        {
            result = executor.Rejected(topicId, null, $"the payload is not a command of schema 1: {ex.Message}");
            await SendAsync(topicId, result);
            return;
        }

        if (command is null)
        {
            await SendAsync(topicId, executor.Rejected(topicId, null, "the payload is null; send a command object"));
            return;
        }

        var targetsNow = targets.Devices;
        var (validated, rejection) = CommandValidator.Validate(command, topicId, targetsNow, time.GetUtcNow());
        result = validated is null
            ? executor.Rejected(topicId, command, rejection!)
            : await executor.ExecuteAsync(validated, targetsNow[validated.Command.DeviceId].Connection, cancellationToken);
        await SendAsync(topicId, result);
    }

    private async Task SendAsync(string commandId, EdgeCommandResult result)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(result, ContractsJsonContext.Default.EdgeCommandResult);
        if (!await link.PublishAsync(MqttTopics.CommandResultChannel(commandId), payload, retain: false))
        {
            RemoteLog.CommandResultNotSent(logger, commandId);
        }
    }

    private async Task HandleConfigAsync(byte[] payload, CancellationToken cancellationToken)
    {
        if (payload.Length == 0)
        {
            // An empty retained message clears the desired configuration: the edge keeps what it runs.
            return;
        }

        if (applied.Payload is { } current && current.AsSpan().SequenceEqual(payload))
        {
            // The retained message comes again with every connection.
            RemoteLog.ConfigUnchanged(logger, applied.Version ?? "");
            return;
        }

        EdgeDesiredConfig? desired = null;
        IReadOnlyList<string> problems;
        try
        {
            desired = JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.EdgeDesiredConfig);
            problems = desired is null ? ["the payload is null; send a configuration object"] : await targets.ApplyAsync(desired, cancellationToken);
        }
        catch (JsonException ex)
        {
            problems = [$"the payload is not a configuration of schema 1: {ex.Message}"];
        }

        var version = desired?.Version ?? "";
        if (problems.Count == 0)
        {
            applied.Applied(version, payload);
            RemoteLog.ConfigApplied(logger, version, targets.Devices.Count);
        }
        else
        {
            applied.Rejected(new ConfigRejection { Version = version, Reasons = problems });
            RemoteLog.ConfigRejected(logger, version, applied.Version ?? "(local configuration)", string.Join("; ", problems));
        }

        await link.RepublishStatusAsync();
    }
}
