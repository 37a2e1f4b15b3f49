namespace PropertyEba.Testing.Load;

/// <summary>What a publisher (or all of them together) achieved. Every batch is counted acknowledged once at most.</summary>
public sealed record LoadCounters
{
    /// <summary>Distinct batches (sequence numbers) whose PUBACK was a success.</summary>
    public required long MessagesAcknowledged { get; init; }

    /// <summary>Samples in the acknowledged batches: what the cloud must have stored.</summary>
    public required long SamplesAcknowledged { get; init; }

    /// <summary>PUBLISH packets sent, re-sends included.</summary>
    public required long MessagesSent { get; init; }

    /// <summary>Batches sent again with the same sequence number after a refusal or a lost connection.</summary>
    public required long Resends { get; init; }

    /// <summary>Connections made after the first (each after a refusal or a lost connection).</summary>
    public required long Reconnects { get; init; }

    /// <summary>Attempts to connect that failed (refused, or no CONNACK in time).</summary>
    public required long ConnectFailures { get; init; }

    /// <summary>Batches still unacknowledged when the drain timeout ran out (or the run was stopped): not delivered.</summary>
    public required long BatchesUnacknowledged { get; init; }

    /// <summary>
    /// Publishes that were not acknowledged, by reason: <c>PUBACK QuotaExceeded</c> (MQTT 5 reason code ≥ 0x80),
    /// <c>connection closed (…)</c>, <c>no PUBACK within …</c>. Each was re-sent.
    /// </summary>
    public required IReadOnlyDictionary<string, long> RefusalsByReason { get; init; }

    /// <summary>All refusals, whatever the reason.</summary>
    public long Refusals => RefusalsByReason.Values.Sum();

    internal static LoadCounters Sum(IEnumerable<LoadCounters> parts)
    {
        long acked = 0, samples = 0, sent = 0, resends = 0, reconnects = 0, connectFailures = 0, unacked = 0;
        var reasons = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in parts)
        {
            acked += p.MessagesAcknowledged;
            samples += p.SamplesAcknowledged;
            sent += p.MessagesSent;
            resends += p.Resends;
            reconnects += p.Reconnects;
            connectFailures += p.ConnectFailures;
            unacked += p.BatchesUnacknowledged;
            foreach (var (reason, count) in p.RefusalsByReason)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + count;
            }
        }

        return new LoadCounters
        {
            MessagesAcknowledged = acked,
            SamplesAcknowledged = samples,
            MessagesSent = sent,
            Resends = resends,
            Reconnects = reconnects,
            ConnectFailures = connectFailures,
            BatchesUnacknowledged = unacked,
            RefusalsByReason = reasons,
        };
    }
}

/// <summary>One publisher's result.</summary>
/// <param name="EdgeId">The edge it published as.</param>
/// <param name="Counters">What it achieved.</param>
/// <param name="LastSequence">The highest sequence number it produced (batches FirstSequence..LastSequence).</param>
/// <param name="Elapsed">From its first connect until its last batch was acknowledged (or it gave up).</param>
/// <param name="LastError">The last refusal, connect failure or error, for a failure message; null when none.</param>
public sealed record PublisherLoadReport(string EdgeId, LoadCounters Counters, long LastSequence, TimeSpan Elapsed, string? LastError);

/// <summary>The result of a <see cref="TelemetryLoadPublisher"/> run, per publisher and in total.</summary>
/// <param name="Publishers">Each publisher's result, in edge order.</param>
/// <param name="Total">The sum over publishers.</param>
/// <param name="Elapsed">From the start until the last publisher finished.</param>
/// <param name="OfferedSamplesPerSecond">The paced rate asked for; null when as fast as acknowledged.</param>
public sealed record TelemetryLoadReport(IReadOnlyList<PublisherLoadReport> Publishers, LoadCounters Total, TimeSpan Elapsed, double? OfferedSamplesPerSecond)
{
    /// <summary>Acknowledged samples per second over <see cref="Elapsed"/>.</summary>
    public double AcknowledgedSamplesPerSecond => Elapsed > TimeSpan.Zero ? Total.SamplesAcknowledged / Elapsed.TotalSeconds : 0;

    /// <summary>Refusals as <c>reason=count</c> pairs, for a log line or an assertion message.</summary>
    public string DescribeRefusals() => Total.RefusalsByReason.Count == 0
        ? "none"
        : string.Join("; ", Total.RefusalsByReason.Select(r => $"{r.Key}={r.Value}"));
}
