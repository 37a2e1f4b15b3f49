using System.Buffers;
using System.Text.Json;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Commands;

/// <summary>
/// Takes each <c>cmd-result/{id}</c> an edge publishes (in the embedded broker, or from the external broker's client).
/// The broker already checked that the edge publishes only under its own topics, so the topic says which edge answered.
/// A malformed result is logged and acknowledged: sending it again would not make it readable.
/// </summary>
internal sealed partial class CommandResultIntake(EdgeCommands commands, ILogger<CommandResultIntake> logger) : IInboundPublishHandler
{
    public bool Handles(string topic) =>
        topic.StartsWith(MqttTopics.Root + "/", StringComparison.Ordinal) && topic.Contains("/" + MqttTopics.CommandResult + "/", StringComparison.Ordinal);

    public async ValueTask<PublishRefusal?> HandleAsync(InboundPublish publish, CancellationToken cancellationToken)
    {
        if (!MqttTopics.TryParse(publish.Topic, out var from) || !from.Channel.StartsWith(MqttTopics.CommandResult + "/", StringComparison.Ordinal))
        {
            return null;
        }

        EdgeCommandResult? result;
        try
        {
            // Parsed before the first await: the broker's buffer is valid only until then.
            result = JsonSerializer.Deserialize(publish.Payload.ToArray(), ContractsJsonContext.Default.EdgeCommandResult);
        }
        catch (JsonException ex)
        {
            LogUnreadable(publish.Topic, ex.Message);
            return null;
        }

        var topicId = from.Channel[(MqttTopics.CommandResult.Length + 1)..];
        if (result is null || result.CommandId != topicId || result.EdgeId != from.Edge)
        {
            LogUnreadable(publish.Topic, "the result's commandId or edgeId differs from its topic");
            return null;
        }

        await commands.ResultReceivedAsync(from, result, cancellationToken);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored an unreadable command result on {Topic}: {Reason}")]
    private partial void LogUnreadable(string topic, string reason);
}
