namespace PropertyEba.Cloud.Ingestion;

/// <summary>What a batch's sequence number says about it.</summary>
public enum SequenceVerdict
{
    /// <summary>Not seen before.</summary>
    New,

    /// <summary>Already received (a QoS 1 redelivery or a replay of something that did arrive): skip it.</summary>
    Duplicate,
}

/// <summary>
/// Per edge, which sequence numbers have arrived, so duplicates are skipped and gaps are counted.
/// Replayed batches fill earlier gaps, so a window of recent numbers is kept, not just the highest.
/// Not thread-safe: used by the single ingestion worker.
/// </summary>
public sealed class EdgeSequenceTracker
{
    private const int Window = 65_536;
    private readonly Dictionary<string, EdgeWindow> _edges = new(StringComparer.Ordinal);

    public long Gaps { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>Whether the batch was already stored; a duplicate is counted.</summary>
    public SequenceVerdict Check(string edgeKey, long seq)
    {
        if (_edges.TryGetValue(edgeKey, out var w) && w.Seen.Contains(seq))
        {
            Duplicates++;
            return SequenceVerdict.Duplicate;
        }

        return SequenceVerdict.New;
    }

    /// <summary>Notes a stored batch: later redeliveries of it are duplicates, and gaps before it are counted.</summary>
    public void Record(string edgeKey, long seq)
    {
        if (!_edges.TryGetValue(edgeKey, out var w))
        {
            _edges[edgeKey] = w = new EdgeWindow(seq);
            w.Seen.Add(seq);
            return;
        }

        if (!w.Seen.Add(seq))
        {
            return;
        }

        if (seq > w.Highest + 1)
        {
            Gaps += seq - w.Highest - 1;
        }
        else if (seq < w.Highest && seq >= w.Highest - Window)
        {
            // A replayed batch filling a gap counted earlier.
            Gaps = Math.Max(0, Gaps - 1);
        }

        w.Highest = Math.Max(w.Highest, seq);
        if (w.Seen.Count > Window * 2)
        {
            w.Seen.RemoveWhere(s => s < w.Highest - Window);
        }
    }

    private sealed class EdgeWindow(long first)
    {
        public long Highest { get; set; } = first;

        public HashSet<long> Seen { get; } = [];
    }
}
