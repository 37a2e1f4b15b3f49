using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace PropertyEba.Edge.Remote;

/// <summary>A message the broker delivered on one of the edge's own cloud → edge channels (<c>config</c>, <c>cmd/{id}</c>).</summary>
internal sealed record RemoteMessage(string Channel, byte[] Payload);

/// <summary>
/// Hands the messages the uplink receives to <see cref="RemoteControl"/>, so that a slow device write never holds up
/// the MQTT client's receive loop (and with it the PUBACKs of telemetry). Bounded: a flood of commands drops the oldest,
/// counted and logged; a dropped command is never executed, which is the safe side (its sender sees it expire).
/// </summary>
internal sealed class RemoteInbox
{
    public const int Capacity = 64;

    private readonly Channel<RemoteMessage> _channel;
    private long _dropped;

    public RemoteInbox(ILogger logger)
    {
        _channel = Channel.CreateBounded<RemoteMessage>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => RemoteLog.RemoteMessageDropped(logger, dropped.Channel, Interlocked.Increment(ref _dropped)));
    }

    public ChannelReader<RemoteMessage> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Post(RemoteMessage message) => _channel.Writer.TryWrite(message);

    public void Complete() => _channel.Writer.TryComplete();
}
