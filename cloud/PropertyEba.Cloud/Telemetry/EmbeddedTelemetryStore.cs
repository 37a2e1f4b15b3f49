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
        var order = new Dictionary<int, (int Position, SeriesKey Key)>();
        lock (_seriesIds)
        {
            for (var i = 0; i < series.Count; i++)
            {
                if (_seriesIds.TryGetValue(series[i], out var id))
                {
                    order.TryAdd(id, (i, series[i]));
                }
            }
        }

        if (order.Count == 0)
        {
            return [];
        }

        var bucketMs = (long)bucket.TotalMilliseconds;
        var offsetMs = (long)offset.TotalMilliseconds;
        var buckets = new Dictionary<(int Id, long Start), BucketAggregate>();
        await ScanAsync(order.ContainsKey, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), (id, ts, value, _) =>
        {
            if (double.IsNaN(value))
            {
                return;
            }

            var start = BucketAggregate.BucketStartMs(ts, bucketMs, offsetMs);
            var one = BucketAggregate.Of(order[id].Key, DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(ts), value);
            buckets[(id, start)] = buckets.TryGetValue((id, start), out var held) ? held.Merge(one) : one;
        }, cancellationToken);

        return [.. buckets.OrderBy(b => order[b.Key.Id].Position).ThenBy(b => b.Key.Start).Select(b => b.Value)];
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
