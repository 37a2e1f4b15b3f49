using System.Text.Json.Serialization;

namespace PropertyEba.Contracts.Mqtt;

/// <summary>Payload of the retained <c>…/status</c> topic: the birth message, and the last will.</summary>
public sealed record EdgeStatus
{
    /// <summary>Payload schema version (1).</summary>
    public required int Schema { get; init; }

    /// <summary>The edge this status is about.</summary>
    public required string EdgeId { get; init; }

    /// <summary>Online (birth) or offline (last will, or clean shutdown).</summary>
    public required EdgeState State { get; init; }

    /// <summary>Version of the configuration the edge applied, if any.</summary>
    public string? ConfigVersion { get; init; }

    /// <summary>Agent software version.</summary>
    public string? AgentVersion { get; init; }

    /// <summary>When the status was produced (UTC, Unix ms).</summary>
    public required long TimestampUtcMs { get; init; }

    /// <summary>
    /// Sequence numbers the edge skipped without giving them to any batch (after an unclean stop it continues after
    /// the block of numbers it had reserved, and says which of them it never used), oldest first; null when there are
    /// none to announce. Missing batches with these numbers are no gap: no data was behind them. Sent in every status
    /// of the agent's run until the numbers are 65,536 behind its next one.
    /// </summary>
    public IReadOnlyList<SeqRange>? SkippedSeq { get; init; }

    /// <summary>Communication and process health at <see cref="TimestampUtcMs"/>; null in the last will and from older agents.</summary>
    public EdgeHealth? Health { get; init; }

    /// <summary>
    /// The latest desired configuration (retained <c>config</c>) the edge refused, with every reason; the edge keeps
    /// running <see cref="ConfigVersion"/>. Null when the latest one was applied.
    /// </summary>
    public ConfigRejection? ConfigRejected { get; init; }
}

/// <summary>A range of sequence numbers, both ends included.</summary>
public sealed record SeqRange
{
    /// <summary>The first number of the range (at least 1).</summary>
    public required long From { get; init; }

    /// <summary>The last number of the range (at least <see cref="From"/>).</summary>
    public required long To { get; init; }
}

/// <summary>Whether an edge is connected.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EdgeState>))]
public enum EdgeState
{
    /// <summary>Connected and publishing.</summary>
    [JsonStringEnumMemberName("online")]
    Online,

    /// <summary>Disconnected (clean or by last will).</summary>
    [JsonStringEnumMemberName("offline")]
    Offline,
}
