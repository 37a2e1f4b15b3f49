using System.Numerics;
using PropertyEba.Contracts.Mqtt;

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
/// Batches an edge numbered that have not arrived, found when a later batch did: the first and the last missing
/// number, and how many are missing between them (numbers the edge announced it never used are not counted, so
/// <see cref="Count"/> can be less than <c>To − From + 1</c>).
/// </summary>
/// <param name="From">The first missing sequence number.</param>
/// <param name="To">The last missing sequence number.</param>
/// <param name="Count">How many numbers from <paramref name="From"/> to <paramref name="To"/> are missing.</param>
public readonly record struct SequenceGap(long From, long To, long Count);

/// <summary>
/// Per edge, which sequence numbers have arrived, so duplicates are skipped and gaps are counted. A gap means only
/// that data is missing: numbers the edge announces it never used (<see cref="RecordSkipped"/>, from the
/// <c>skippedSeqFrom</c>/<c>skippedSeqTo</c> of its status after an unclean stop) are no gap. Replayed batches fill
/// earlier gaps, so the last <see cref="Window"/> numbers below the highest one are kept (one bit each), not just the
/// highest. Thread-safe: the ingestion worker records batches while the status handler records announcements.
/// </summary>
/// <remarks>
/// Arithmetic is overflow-proof and never loops per number: a jump from 1 to <see cref="long.MaxValue"/> costs what
/// a jump of one does. A jump of more than the window counts every number jumped over as missing (the counters
/// saturate at <see cref="long.MaxValue"/>) and forgets the numbers that fall out of the window: a batch older than
/// the window that arrives later is neither recognised as a duplicate nor taken off the gap count, and an
/// announcement older than the window no longer changes the count.
/// </remarks>
public sealed class EdgeSequenceTracker
{
    /// <summary>The key an edge's numbers are kept under: its tenant, site and edge id (ids are unique per site only).</summary>
    public static string KeyOf(TopicAddress topic) => $"{topic.Tenant}/{topic.Site}/{topic.Edge}";

    /// <summary>How many numbers below an edge's highest one are remembered (65,536: about 18 hours at one batch a second).</summary>
    public const int Window = 65_536;

    // More separate announced ranges than this per edge are not expected (one per unclean stop); the oldest go first.
    private const int MaxSkippedRanges = 1024;

    private readonly Dictionary<string, EdgeWindow> _edges = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _gaps;
    private long _duplicates;
    private long _skipped;

    /// <summary>Sequence numbers currently missing (below each edge's highest, within the window), saturating.</summary>
    public long Gaps
    {
        get
        {
            lock (_lock)
            {
                return _gaps;
            }
        }
    }

    /// <summary>Batches found to be duplicates by <see cref="Check"/>.</summary>
    public long Duplicates
    {
        get
        {
            lock (_lock)
            {
                return _duplicates;
            }
        }
    }

    /// <summary>Sequence numbers the edges announced they never used (each counted once), saturating.</summary>
    public long Skipped
    {
        get
        {
            lock (_lock)
            {
                return _skipped;
            }
        }
    }

    /// <summary>Whether the batch was already stored; a duplicate is counted.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> is negative (the contract rejects such batches).</exception>
    public SequenceVerdict Check(string edgeKey, long seq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        lock (_lock)
        {
            if (_edges.TryGetValue(edgeKey, out var w) && w.IsReceived(seq))
            {
                _duplicates = SaturatingAdd(_duplicates, 1);
                return SequenceVerdict.Duplicate;
            }

            return SequenceVerdict.New;
        }
    }

    /// <summary>
    /// Notes a stored batch: later redeliveries of it are duplicates, and a replayed batch fills the gap it left.
    /// Returns the gap this batch opened (the numbers between the edge's previous highest and it that are missing),
    /// or null when it opened none, so the caller can log "batches 120..130 of edge X are missing". The first batch
    /// of an edge opens no gap: where the edge started is not known.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> is negative.</exception>
    public SequenceGap? Record(string edgeKey, long seq)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seq);
        lock (_lock)
        {
            var w = EdgeFor(edgeKey);
            if (!w.Started)
            {
                w.Start(seq);
                return null;
            }

            if (seq > w.Highest)
            {
                SequenceGap? gap = null;
                if (seq - w.Highest > 1)
                {
                    var from = w.Highest + 1;
                    var to = seq - 1;
                    var missing = Length(from, to) - w.SkippedWithin(from, to);
                    if (missing > 0)
                    {
                        _gaps = SaturatingAdd(_gaps, missing);
                        gap = new SequenceGap(w.FirstNotSkipped(from), w.LastNotSkipped(to), missing);
                    }
                }

                w.Advance(seq);
                return gap;
            }

            if (seq < w.Floor || w.IsReceived(seq))
            {
                // Older than the window (it was counted missing when passed, and cannot be told from a duplicate now),
                // or recorded already.
                return null;
            }

            w.MarkReceived(seq);
            if (!w.IsSkipped(seq) && _gaps is > 0 and < long.MaxValue)
            {
                // A replayed batch filling a gap counted earlier. (A number the edge announced as never used was
                // not counted; a saturated count stays saturated.)
                _gaps--;
            }

            return null;
        }
    }

    /// <summary>
    /// Notes numbers the edge announced it never gave to any batch (a <c>skippedSeq</c> range of its status,
    /// inclusive): they are no gap, whether the announcement comes before the batches that follow
    /// them (the usual order: the birth precedes the telemetry) or after. Announcing a range again changes nothing.
    /// Returns how many of the numbers had been counted as missing and no longer are.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> is negative or <paramref name="to"/> is below it.</exception>
    public long RecordSkipped(string edgeKey, long from, long to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        lock (_lock)
        {
            var w = EdgeFor(edgeKey);
            long forgiven = 0;
            foreach (var (a, b) in w.NotYetSkipped(from, to))
            {
                _skipped = SaturatingAdd(_skipped, Length(a, b));
                if (!w.Started)
                {
                    continue;
                }

                // Numbers in the window at or below the highest were counted missing unless they arrived; numbers
                // above the highest are left out when a later batch jumps over them.
                var lo = Math.Max(a, w.Floor);
                var hi = Math.Min(b, w.Highest);
                if (lo <= hi)
                {
                    forgiven = SaturatingAdd(forgiven, Length(lo, hi) - w.ReceivedWithin(lo, hi));
                }
            }

            w.AddSkipped(from, to);
            if (_gaps < long.MaxValue)
            {
                _gaps = Math.Max(0, _gaps - forgiven);
            }

            return forgiven;
        }
    }

    private EdgeWindow EdgeFor(string edgeKey)
    {
        if (!_edges.TryGetValue(edgeKey, out var w))
        {
            _edges[edgeKey] = w = new EdgeWindow();
        }

        return w;
    }

    // How many numbers from a to b inclusive (0 <= a <= b), saturating: 0..long.MaxValue is one more than a long holds.
    private static long Length(long a, long b) => b - a == long.MaxValue ? long.MaxValue : b - a + 1;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>
    /// One edge: the highest number recorded, a ring of one bit per number for the window below it (8 KiB), and the
    /// announced never-used ranges (sorted, disjoint, not adjacent), whose parts below the window are forgotten.
    /// </summary>
    private sealed class EdgeWindow
    {
        private const int Mask = Window - 1;
        private readonly ulong[] _received = new ulong[Window / 64];
        private readonly List<(long From, long To)> _skipped = [];

        public bool Started { get; private set; }

        public long Highest { get; private set; }

        /// <summary>The lowest number still remembered (may be negative while the edge is young).</summary>
        public long Floor => Highest - Window + 1;

        public void Start(long seq)
        {
            Started = true;
            Highest = seq;
            MarkReceived(seq);
            ForgetSkippedBelowFloor();
        }

        public bool IsReceived(long seq) =>
            Started && seq <= Highest && seq >= Floor && (_received[(int)(seq & Mask) >> 6] & (1UL << (int)(seq & 63))) != 0;

        public void MarkReceived(long seq) => _received[(int)(seq & Mask) >> 6] |= 1UL << (int)(seq & 63);

        /// <summary>Moves the highest number up to <paramref name="seq"/>: the bits of the numbers passed are cleared (at most the whole ring).</summary>
        public void Advance(long seq)
        {
            if (seq - Highest >= Window)
            {
                Array.Clear(_received);
            }
            else
            {
                for (var n = Highest + 1; n <= seq;)
                {
                    var (word, mask, take) = Span(n, seq);
                    _received[word] &= ~mask;
                    if (seq - n < take)
                    {
                        break;
                    }

                    n += take;
                }
            }

            Highest = seq;
            MarkReceived(seq);
            ForgetSkippedBelowFloor();
        }

        /// <summary>How many numbers from a to b (within the window) have arrived.</summary>
        public long ReceivedWithin(long a, long b)
        {
            long count = 0;
            for (var n = a; n <= b;)
            {
                var (word, mask, take) = Span(n, b);
                count += BitOperations.PopCount(_received[word] & mask);
                if (b - n < take)
                {
                    break;
                }

                n += take;
            }

            return count;
        }

        public bool IsSkipped(long seq)
        {
            foreach (var (from, to) in _skipped)
            {
                if (seq < from)
                {
                    return false;
                }

                if (seq <= to)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>How many numbers from a to b were announced as never used.</summary>
        public long SkippedWithin(long a, long b)
        {
            long count = 0;
            foreach (var (from, to) in _skipped)
            {
                var lo = Math.Max(a, from);
                var hi = Math.Min(b, to);
                if (lo <= hi)
                {
                    count = SaturatingAdd(count, Length(lo, hi));
                }
            }

            return count;
        }

        /// <summary>The first number from <paramref name="n"/> up that was not announced as never used.</summary>
        public long FirstNotSkipped(long n)
        {
            foreach (var (from, to) in _skipped)
            {
                if (to < n)
                {
                    continue;
                }

                if (from > n || to == long.MaxValue)
                {
                    break;
                }

                n = to + 1;
            }

            return n;
        }

        /// <summary>The last number from <paramref name="n"/> down that was not announced as never used.</summary>
        public long LastNotSkipped(long n)
        {
            for (var i = _skipped.Count - 1; i >= 0; i--)
            {
                var (from, to) = _skipped[i];
                if (from > n)
                {
                    continue;
                }

                if (to < n || from == 0)
                {
                    break;
                }

                n = from - 1;
            }

            return n;
        }

        /// <summary>The parts of a..b not announced before, in order.</summary>
        public List<(long From, long To)> NotYetSkipped(long a, long b)
        {
            var parts = new List<(long, long)>(2);
            var n = a;
            foreach (var (from, to) in _skipped)
            {
                if (to < n)
                {
                    continue;
                }

                if (from > b)
                {
                    break;
                }

                if (from > n)
                {
                    parts.Add((n, from - 1));
                }

                if (to >= b)
                {
                    return parts;
                }

                n = to + 1;
            }

            parts.Add((n, b));
            return parts;
        }

        public void AddSkipped(long from, long to)
        {
            // Merge with every range it overlaps or touches, keeping the list sorted.
            var i = 0;
            while (i < _skipped.Count && _skipped[i].To < from - 1)
            {
                i++;
            }

            while (i < _skipped.Count && _skipped[i].From - 1 <= to)
            {
                from = Math.Min(from, _skipped[i].From);
                to = Math.Max(to, _skipped[i].To);
                _skipped.RemoveAt(i);
            }

            _skipped.Insert(i, (from, to));
            if (_skipped.Count > MaxSkippedRanges)
            {
                _skipped.RemoveAt(0);
            }
        }

        private void ForgetSkippedBelowFloor()
        {
            var floor = Floor;
            var drop = 0;
            while (drop < _skipped.Count && _skipped[drop].To < floor)
            {
                drop++;
            }

            _skipped.RemoveRange(0, drop);
        }

        // The ring word holding n, the bits of it that n..b take, and how many numbers that is (up to 64).
        private static (int Word, ulong Mask, int Take) Span(long n, long b)
        {
            var bit = (int)(n & 63);
            var take = (int)Math.Min(64 - bit, b - n + 1);
            var mask = take == 64 ? ulong.MaxValue : ((1UL << take) - 1) << bit;
            return ((int)(n & Mask) >> 6, mask, take);
        }
    }
}
