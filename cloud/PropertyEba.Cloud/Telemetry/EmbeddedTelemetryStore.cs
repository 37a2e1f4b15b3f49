using System.Buffers.Binary;
using System.Globalization;

namespace PropertyEba.Cloud.Telemetry;

/// <summary>
/// The default telemetry engine: one append-only file of fixed 21-byte records per UTC day
/// (series id, timestamp, value, quality) plus a series index. Needs no server, survives restarts,
/// and answers range queries of one series by scanning the days in range — enough for one estate's
/// history on one machine (docs/adr/0002-embedded-telemetry-store.md says where it stops being enough).
/// </summary>
public sealed class EmbeddedTelemetryStore : ITelemetryStore, IDisposable
{
    private const int RecordSize = 4 + 8 + 8 + 1;
    private readonly string _directory;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<SeriesKey, int> _seriesIds = [];
    private readonly string _indexPath;

    public EmbeddedTelemetryStore(string directory)
    {
        _directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        _indexPath = Path.Combine(directory, "series.idx");
        if (File.Exists(_indexPath))
        {
            foreach (var line in File.ReadAllLines(_indexPath))
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab > 0 && int.TryParse(line.AsSpan(0, tab), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && SeriesKey.TryParse(line[(tab + 1)..], out var key))
                {
                    _seriesIds[key] = id;
                }
            }
        }
    }

    public int SeriesCount
    {
        get
        {
            lock (_seriesIds)
            {
                return _seriesIds.Count;
            }
        }
    }

    public async Task AppendAsync(IReadOnlyList<SeriesSample> samples, CancellationToken cancellationToken)
    {
        if (samples.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var buffer = new byte[samples.Count * RecordSize];
            var byDay = new SortedDictionary<long, List<int>>();
            var newIndexLines = new List<string>();
            for (var i = 0; i < samples.Count; i++)
            {
                var (key, sample) = samples[i];
                var id = IdFor(key, newIndexLines);
                var span = buffer.AsSpan(i * RecordSize, RecordSize);
                BinaryPrimitives.WriteInt32LittleEndian(span, id);
                BinaryPrimitives.WriteInt64LittleEndian(span[4..], sample.TimestampUtcMs);
                BinaryPrimitives.WriteDoubleLittleEndian(span[12..], sample.Value ?? double.NaN);
                span[20] = sample.Quality;
                var day = FloorDiv(sample.TimestampUtcMs, 86_400_000L);
                if (!byDay.TryGetValue(day, out var list))
                {
                    byDay[day] = list = [];
                }

                list.Add(i);
            }

            if (newIndexLines.Count > 0)
            {
                await File.AppendAllLinesAsync(_indexPath, newIndexLines, cancellationToken);
            }

            foreach (var (day, indices) in byDay)
            {
                await using var file = new FileStream(DayFile(day), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 64 * 1024, useAsync: true);
                foreach (var i in indices)
                {
                    await file.WriteAsync(buffer.AsMemory(i * RecordSize, RecordSize), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            // A late sample (an edge replaying its buffer) in a rolled-up day: roll that day up again.
            if (RolledUpThrough is { } through && byDay.Count > 0 && byDay.Keys.First() <= DayNumber(through))
            {
                SetWatermark(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds((byDay.Keys.First() - 1) * DayMs).UtcDateTime));
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<StoredSample>> QueryAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        int id;
        lock (_seriesIds)
        {
            if (!_seriesIds.TryGetValue(key, out id))
            {
                return [];
            }
        }

        var result = new List<StoredSample>();
        await ScanAsync(i => i == id, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), (_, ts, value, quality) =>
        {
            result.Add(new StoredSample(ts, double.IsNaN(value) ? null : value, quality));

            // Only the newest `limit` are returned: keep memory near that, not near the whole
            // range (31 days of a 1 s series would be millions of samples per request).
            if (result.Count > 2 * limit)
            {
                KeepNewest(result, limit);
            }
        }, cancellationToken);

        KeepNewest(result, limit);
        return result;
    }

    public async Task<IReadOnlyList<BucketAggregate>> AggregateAsync(IReadOnlyList<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, TimeSpan offset, CancellationToken cancellationToken)
    {
        BucketArguments.Validate(from, to, bucket, offset);
        var wanted = new Dictionary<int, (int Position, SeriesKey Key)>();
        lock (_seriesIds)
        {
            for (var i = 0; i < series.Count; i++)
            {
                if (_seriesIds.TryGetValue(series[i], out var id))
                {
                    wanted.TryAdd(id, (i, series[i]));
                }
            }
        }

        if (wanted.Count == 0)
        {
            return [];
        }

        // Arrays by series id instead of dictionaries: the scan touches every record of the range, and records of one
        // series arrive mostly in time order, so one open bucket per series is enough; a bucket met again out of order
        // is merged at the end.
        var maxId = wanted.Keys.Max();
        var position = new int[maxId + 1];
        Array.Fill(position, -1);
        foreach (var (id, (pos, _)) in wanted)
        {
            position[id] = pos;
        }

        var open = new Accumulator[maxId + 1];
        var closed = new List<(int Id, Accumulator Bucket)>();
        var bucketMs = (long)bucket.TotalMilliseconds;
        var offsetMs = (long)offset.TotalMilliseconds;
        bool Wanted(int id) => id <= maxId && position[id] >= 0;
        void OnRecord(int id, long ts, double value, byte quality)
        {
            if (double.IsNaN(value))
            {
                return;
            }

            var start = BucketAggregate.BucketStartMs(ts, bucketMs, offsetMs);
            ref var acc = ref open[id];
            if (acc.Count > 0 && acc.Start != start)
            {
                closed.Add((id, acc));
                acc = default;
            }

            acc.Add(start, ts, value);
        }

        // Whole hours of days already rolled up come from the hourly rollups (a year is 8,760 records a series instead
        // of 525,600); the rest, and every query whose grid is not whole hours, from the raw day files.
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var (rollFrom, rollTo) = RollupSpan(fromMs, toMs, bucketMs, offsetMs);
        await ScanAsync(Wanted, fromMs, rollFrom, OnRecord, cancellationToken);
        await ReadRollupsAsync(Wanted, rollFrom, rollTo, (id, hour) =>
        {
            var start = BucketAggregate.BucketStartMs(hour.Start, bucketMs, offsetMs);
            ref var acc = ref open[id];
            if (acc.Count > 0 && acc.Start != start)
            {
                closed.Add((id, acc));
                acc = default;
            }

            acc.Merge(start, hour);
        }, cancellationToken);
        await ScanAsync(Wanted, rollTo, toMs, OnRecord, cancellationToken);

        for (var id = 0; id <= maxId; id++)
        {
            if (open[id].Count > 0)
            {
                closed.Add((id, open[id]));
            }
        }

        var result = new List<BucketAggregate>(closed.Count);
        foreach (var group in closed.OrderBy(c => position[c.Id]).ThenBy(c => c.Bucket.Start).GroupBy(c => (c.Id, c.Bucket.Start)))
        {
            var key = wanted[group.Key.Id].Key;
            BucketAggregate? merged = null;
            foreach (var (_, acc) in group)
            {
                var one = acc.ToAggregate(key);
                merged = merged is { } m ? m.Merge(one) : one;
            }

            result.Add(merged!.Value);
        }

        return result;
    }

    /// <summary>COUNT, SUM, MIN, MAX, FIRST and LAST of one bucket while it is being filled, in raw milliseconds.</summary>
    private struct Accumulator
    {
        public long Start;
        public long Count;
        public double Sum;
        public double Min;
        public double Max;
        public long FirstAt;
        public double First;
        public long LastAt;
        public double Last;

        public void Add(long start, long ts, double value)
        {
            if (Count == 0)
            {
                (Start, Min, Max, FirstAt, First, LastAt, Last) = (start, value, value, ts, value, ts, value);
            }
            else
            {
                Min = Math.Min(Min, value);
                Max = Math.Max(Max, value);
                if (ts < FirstAt)
                {
                    (FirstAt, First) = (ts, value);
                }

                if (ts >= LastAt)
                {
                    (LastAt, Last) = (ts, value);
                }
            }

            Count++;
            Sum += value;
        }

        public void Merge(long start, Accumulator other)
        {
            if (Count == 0)
            {
                this = other;
                Start = start;
                return;
            }

            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
            if (other.FirstAt < FirstAt)
            {
                (FirstAt, First) = (other.FirstAt, other.First);
            }

            if (other.LastAt >= LastAt)
            {
                (LastAt, Last) = (other.LastAt, other.Last);
            }

            Count += other.Count;
            Sum += other.Sum;
        }

        public readonly void Write(Span<byte> span, int id)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span, id);
            BinaryPrimitives.WriteInt64LittleEndian(span[4..], Start);
            BinaryPrimitives.WriteInt64LittleEndian(span[12..], Count);
            BinaryPrimitives.WriteDoubleLittleEndian(span[20..], Sum);
            BinaryPrimitives.WriteDoubleLittleEndian(span[28..], Min);
            BinaryPrimitives.WriteDoubleLittleEndian(span[36..], Max);
            BinaryPrimitives.WriteInt64LittleEndian(span[44..], FirstAt);
            BinaryPrimitives.WriteDoubleLittleEndian(span[52..], First);
            BinaryPrimitives.WriteInt64LittleEndian(span[60..], LastAt);
            BinaryPrimitives.WriteDoubleLittleEndian(span[68..], Last);
        }

        public static Accumulator Read(ReadOnlySpan<byte> span) => new()
        {
            Start = BinaryPrimitives.ReadInt64LittleEndian(span[4..]),
            Count = BinaryPrimitives.ReadInt64LittleEndian(span[12..]),
            Sum = BinaryPrimitives.ReadDoubleLittleEndian(span[20..]),
            Min = BinaryPrimitives.ReadDoubleLittleEndian(span[28..]),
            Max = BinaryPrimitives.ReadDoubleLittleEndian(span[36..]),
            FirstAt = BinaryPrimitives.ReadInt64LittleEndian(span[44..]),
            First = BinaryPrimitives.ReadDoubleLittleEndian(span[52..]),
            LastAt = BinaryPrimitives.ReadInt64LittleEndian(span[60..]),
            Last = BinaryPrimitives.ReadDoubleLittleEndian(span[68..]),
        };

        public readonly BucketAggregate ToAggregate(SeriesKey key) => new(
            key, DateTimeOffset.FromUnixTimeMilliseconds(Start), Count, Sum, Min, Max,
            DateTimeOffset.FromUnixTimeMilliseconds(FirstAt), First, DateTimeOffset.FromUnixTimeMilliseconds(LastAt), Last);
    }

    private const int RollupRecordSize = 4 + (8 * 9);
    private const long HourMs = 3_600_000L;
    private const long DayMs = 86_400_000L;

    private string RollupDirectory => Path.Combine(_directory, "rollup-1h");

    private string RollupFile(long day) => Path.Combine(RollupDirectory, DateTimeOffset.FromUnixTimeMilliseconds(day * DayMs).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".agg");

    private string WatermarkFile => Path.Combine(RollupDirectory, "watermark");

    /// <summary>The last UTC day whose hourly rollups are complete, or null when none is.</summary>
    public DateOnly? RolledUpThrough
    {
        get
        {
            lock (_seriesIds)
            {
                return File.Exists(WatermarkFile) && DateOnly.TryParseExact(File.ReadAllText(WatermarkFile).Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
            }
        }
    }

    private void SetWatermark(DateOnly? day)
    {
        lock (_seriesIds)
        {
            System.IO.Directory.CreateDirectory(RollupDirectory);
            var temporary = WatermarkFile + ".tmp";
            File.WriteAllText(temporary, day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
            File.Move(temporary, WatermarkFile, overwrite: true);
        }
    }

    private static long DayNumber(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() / DayMs;

    /// <summary>[from, to) of the whole hours in range that the rollups cover; (toMs, toMs) when they cannot serve.</summary>
    private (long From, long To) RollupSpan(long fromMs, long toMs, long bucketMs, long offsetMs)
    {
        if (bucketMs % HourMs != 0 || offsetMs % HourMs != 0 || RolledUpThrough is not { } through)
        {
            return (toMs, toMs);
        }

        var start = FloorDiv(fromMs + HourMs - 1, HourMs) * HourMs;
        var end = FloorDiv(Math.Min(toMs, (DayNumber(through) + 1) * DayMs), HourMs) * HourMs;
        return end > start ? (start, end) : (toMs, toMs);
    }

    private async Task ReadRollupsAsync(Func<int, bool> wanted, long fromMs, long toMs, Action<int, Accumulator> onHour, CancellationToken cancellationToken)
    {
        for (var day = FloorDiv(fromMs, DayMs); toMs > fromMs && day <= FloorDiv(toMs - 1, DayMs); day++)
        {
            var path = RollupFile(day);
            if (!File.Exists(path))
            {
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            for (var offset = 0; offset + RollupRecordSize <= bytes.Length; offset += RollupRecordSize)
            {
                var span = bytes.AsSpan(offset, RollupRecordSize);
                var id = BinaryPrimitives.ReadInt32LittleEndian(span);
                if (wanted(id))
                {
                    var hour = Accumulator.Read(span);
                    if (hour.Start >= fromMs && hour.Start < toMs)
                    {
                        onHour(id, hour);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Downsampling: writes the hourly rollups (COUNT, SUM, MIN, MAX, FIRST, LAST per series and UTC hour) of every day
    /// file after the watermark up to <paramref name="throughDay"/>, then moves the watermark; returns the days rolled up.
    /// A sample appended later into a rolled-up day moves the watermark back before that day, so it is rolled up again
    /// (from the raw file, which retention keeps for at least the raw period).
    /// </summary>
    public async Task<int> RollUpAsync(DateOnly throughDay, CancellationToken cancellationToken)
    {
        var after = RolledUpThrough is { } w ? DayNumber(w) : long.MinValue;
        var last = DayNumber(throughDay);
        var days = 0;
        System.IO.Directory.CreateDirectory(RollupDirectory);
        foreach (var path in DayFilesIn(_directory))
        {
            var date = DateOnly.ParseExact(Path.GetFileNameWithoutExtension(path), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var day = DayNumber(date);
            if (day <= after || day > last)
            {
                continue;
            }

            var hours = new Dictionary<(int Id, long Hour), Accumulator>();
            await ScanAsync(_ => true, day * DayMs, (day + 1) * DayMs, (id, ts, value, _) =>
            {
                if (double.IsNaN(value))
                {
                    return;
                }

                var hour = FloorDiv(ts, HourMs) * HourMs;
                ref var acc = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(hours, (id, hour), out var _);
                acc.Add(hour, ts, value);
            }, cancellationToken);

            var buffer = new byte[hours.Count * RollupRecordSize];
            var i = 0;
            foreach (var ((id, _), acc) in hours.OrderBy(h => h.Key.Id).ThenBy(h => h.Key.Hour))
            {
                acc.Write(buffer.AsSpan(i++ * RollupRecordSize, RollupRecordSize), id);
            }

            var temporary = RollupFile(day) + ".tmp";
            await File.WriteAllBytesAsync(temporary, buffer, cancellationToken);
            File.Move(temporary, RollupFile(day), overwrite: true);
            SetWatermark(date);
            days++;
        }

        if (days == 0 && RolledUpThrough is null && DayFilesIn(_directory).Count == 0)
        {
            return 0;
        }

        if (RolledUpThrough is not { } now || DayNumber(now) < last)
        {
            // Days without a file have nothing to roll up: the watermark may pass them.
            SetWatermark(throughDay);
        }

        return days;
    }

    /// <summary>
    /// Retention of raw samples: drops the records of every series whose tenant keeps raw data for fewer days than the
    /// record's age, in rolled-up days only (their hourly rollups stay, for ever). A day file left empty is deleted, one
    /// with other tenants' records rewritten without the dropped ones. Returns how many records were dropped.
    /// </summary>
    public async Task<long> DeleteExpiredRawAsync(Func<string, int> rawDaysOfTenant, DateOnly today, CancellationToken cancellationToken)
    {
        if (RolledUpThrough is not { } through)
        {
            return 0;
        }

        Dictionary<int, string> tenants;
        lock (_seriesIds)
        {
            tenants = _seriesIds.ToDictionary(p => p.Value, p => p.Key.TenantId);
        }

        long dropped = 0;
        foreach (var path in DayFilesIn(_directory))
        {
            var date = DateOnly.ParseExact(Path.GetFileNameWithoutExtension(path), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (date > through)
            {
                break;
            }

            bool Expired(int id) => tenants.TryGetValue(id, out var tenant) && date.AddDays(rawDaysOfTenant(tenant)) < today;
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
                using var kept = new MemoryStream(bytes.Length);
                long gone = 0;
                for (var offset = 0; offset + RecordSize <= bytes.Length; offset += RecordSize)
                {
                    if (Expired(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset))))
                    {
                        gone++;
                    }
                    else
                    {
                        kept.Write(bytes, offset, RecordSize);
                    }
                }

                if (gone == 0)
                {
                    continue;
                }

                if (kept.Length == 0)
                {
                    File.Delete(path);
                }
                else
                {
                    var temporary = path + ".tmp";
                    await File.WriteAllBytesAsync(temporary, kept.ToArray(), cancellationToken);
                    File.Move(temporary, path, overwrite: true);
                }

                dropped += gone;
            }
            finally
            {
                _writeLock.Release();
            }
        }

        return dropped;
    }

    /// <summary>The day files of a folder, oldest first (what <see cref="ExportAsync"/> reads).</summary>
    public static IReadOnlyList<string> DayFilesIn(string directory) =>
        System.IO.Directory.Exists(directory) ? [.. System.IO.Directory.EnumerateFiles(directory, "*.tsdb").Order(StringComparer.Ordinal)] : [];

    /// <summary>
    /// Every stored record, day file by day file in file order, in batches of at most <paramref name="batchSize"/>: the
    /// source of a migration to another engine. Records of series missing from the index (a torn index line) are counted,
    /// not guessed at.
    /// </summary>
    public async Task<(long Exported, long WithoutSeries)> ExportAsync(Func<IReadOnlyList<SeriesSample>, Task> sink, int batchSize, CancellationToken cancellationToken)
    {
        Dictionary<int, SeriesKey> keys;
        lock (_seriesIds)
        {
            keys = _seriesIds.ToDictionary(p => p.Value, p => p.Key);
        }

        long exported = 0, orphans = 0;
        var batch = new List<SeriesSample>(batchSize);
        foreach (var path in DayFilesIn(_directory))
        {
            var day = DateOnly.ParseExact(Path.GetFileNameWithoutExtension(path), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var fromMs = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            await ScanAsync(_ => true, fromMs, fromMs + 86_400_000L, (id, ts, value, quality) =>
            {
                if (!keys.TryGetValue(id, out var key))
                {
                    orphans++;
                    return;
                }

                batch.Add(new SeriesSample(key, new StoredSample(ts, double.IsNaN(value) ? null : value, quality)));
            }, cancellationToken);

            // Flushed per file so a batch never waits on the sink inside the scan callback.
            for (var i = 0; i < batch.Count; i += batchSize)
            {
                var part = batch.GetRange(i, Math.Min(batchSize, batch.Count - i));
                await sink(part);
                exported += part.Count;
            }

            batch.Clear();
        }

        return (exported, orphans);
    }

    /// <summary>Calls <paramref name="onRecord"/> for every record of a wanted series with fromMs ≤ timestamp &lt; toMs, in file order.</summary>
    private async Task ScanAsync(Func<int, bool> wanted, long fromMs, long toMs, Action<int, long, double, byte> onRecord, CancellationToken cancellationToken)
    {
        if (toMs <= fromMs)
        {
            return;
        }

        var buffer = new byte[RecordSize * 4096];
        for (var day = FloorDiv(fromMs, 86_400_000L); day <= FloorDiv(toMs - 1, 86_400_000L); day++)
        {
            var path = DayFile(day);
            if (!File.Exists(path))
            {
                continue;
            }

            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true);
            int read;
            var carry = 0;
            while ((read = await file.ReadAsync(buffer.AsMemory(carry), cancellationToken)) > 0)
            {
                var available = carry + read;
                var whole = available / RecordSize * RecordSize;
                for (var offset = 0; offset < whole; offset += RecordSize)
                {
                    var span = buffer.AsSpan(offset, RecordSize);
                    var id = BinaryPrimitives.ReadInt32LittleEndian(span);
                    if (!wanted(id))
                    {
                        continue;
                    }

                    var ts = BinaryPrimitives.ReadInt64LittleEndian(span[4..]);
                    if (ts >= fromMs && ts < toMs)
                    {
                        onRecord(id, ts, BinaryPrimitives.ReadDoubleLittleEndian(span[12..]), span[20]);
                    }
                }

                // A record cut by the read boundary (or still being written) is kept for the next read.
                carry = available - whole;
                buffer.AsSpan(whole, carry).CopyTo(buffer);
            }
        }
    }

    private static long FloorDiv(long value, long divisor) => value >= 0 ? value / divisor : ((value + 1) / divisor) - 1;

    private static void KeepNewest(List<StoredSample> samples, int limit)
    {
        samples.Sort((a, b) => a.TimestampUtcMs.CompareTo(b.TimestampUtcMs));
        if (samples.Count > limit)
        {
            samples.RemoveRange(0, samples.Count - limit);
        }
    }

    private int IdFor(SeriesKey key, List<string> newIndexLines)
    {
        lock (_seriesIds)
        {
            if (!_seriesIds.TryGetValue(key, out var id))
            {
                id = _seriesIds.Count + 1;
                _seriesIds[key] = id;
                newIndexLines.Add(string.Create(CultureInfo.InvariantCulture, $"{id}\t{key}"));
            }

            return id;
        }
    }

    private string DayFile(long day) =>
        Path.Combine(_directory, DateTimeOffset.FromUnixTimeMilliseconds(day * 86_400_000L).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".tsdb");

    public void Dispose() => _writeLock.Dispose();
}
