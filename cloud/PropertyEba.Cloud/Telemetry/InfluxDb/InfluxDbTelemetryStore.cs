using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Threading.Channels;
using Polly.Timeout;

namespace PropertyEba.Cloud.Telemetry.InfluxDb;

/// <summary>
/// The InfluxDB engine (docs/telemetry.md, "InfluxDB schema"): measurement <c>telemetry</c>, tags
/// <c>device, point, site, tenant</c>, fields <c>value</c> (float, absent when the sample has none) and
/// <c>quality</c> (integer), timestamps in milliseconds.
/// </summary>
/// <remarks>
/// Concurrent appends are grouped by one writer loop into requests of up to BatchSize points. An append
/// returns when influxd has its samples, or — when influxd is unreachable or answers 5xx after the
/// retries — when they are flushed to the <see cref="OutageBuffer"/> on disk; a drain loop then sends
/// the buffer to influxd, oldest first, and while anything is buffered new samples queue behind it, so
/// the order holds. A full buffer makes appends wait (back-pressure on ingestion, which then stops
/// acknowledging MQTT) and, after BufferFullWait, fail with a counted reason. Nothing is dropped.
/// </remarks>
public sealed partial class InfluxDbTelemetryStore : ITelemetryStore, IHostedService, IAsyncDisposable
{
    public const string Measurement = "telemetry";
    public const string MeterName = "PropertyEba.Telemetry.InfluxDb";

    private readonly InfluxDbClient _client;
    private readonly InfluxDbOptions _options;
    private readonly OutageBuffer _buffer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _bufferDirectory;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _drainWake = new(0);
    private readonly SemaphoreSlim _spaceFreed = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Meter _meter;
    private readonly Counter<long> _written;
    private readonly Counter<long> _buffered;
    private readonly Counter<long> _failed;
    private Task _writerLoop = Task.CompletedTask;
    private Task _drainLoop = Task.CompletedTask;
    private long _writtenTotal;
    private long _bufferedTotal;
    private long _failedTotal;
    private long _drainedTotal;
    private readonly long _pendingAtStart;

    public InfluxDbTelemetryStore(InfluxDbClient client, InfluxDbOptions options, string bufferDirectory, TimeProvider time, ILogger<InfluxDbTelemetryStore> logger, IMeterFactory? meters = null)
    {
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _bufferDirectory = bufferDirectory;
        _buffer = OutageBuffer.Open(bufferDirectory, options.BufferMaxBytes);
        if (_buffer.CorruptRecordsDropped > 0)
        {
            LogCorruptRecords(_buffer.CorruptRecordsDropped, bufferDirectory);
        }

        _pendingAtStart = _buffer.Points;
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        _written = _meter.CreateCounter<long>("propertyeba.telemetry.influxdb.written", "{sample}", "Samples influxd accepted (directly or from the outage buffer).");
        _buffered = _meter.CreateCounter<long>("propertyeba.telemetry.influxdb.buffered", "{sample}", "Samples put into the outage buffer on disk because influxd was unavailable.");
        _failed = _meter.CreateCounter<long>("propertyeba.telemetry.influxdb.failed", "{sample}", "Samples refused to the caller (not acknowledged), by reason.");
        _meter.CreateObservableGauge("propertyeba.telemetry.influxdb.buffer.samples", () => _buffer.Points, "{sample}", "Samples waiting in the outage buffer.");
        _meter.CreateObservableGauge("propertyeba.telemetry.influxdb.buffer.bytes", () => _buffer.Bytes, "By", "Bytes waiting in the outage buffer.");
    }

    /// <summary>Samples influxd has accepted since start.</summary>
    public long Written => Interlocked.Read(ref _writtenTotal);

    /// <summary>Samples that went through the outage buffer since start.</summary>
    public long Buffered => Interlocked.Read(ref _bufferedTotal);

    /// <summary>Samples refused to callers since start (they were not acknowledged).</summary>
    public long Failed => Interlocked.Read(ref _failedTotal);

    /// <summary>Samples waiting in the outage buffer now.</summary>
    public long BufferedPending => _buffer.Points;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateDatabaseAsync(cancellationToken);
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Not fatal: samples wait in the buffer, and a write creates the database when influxd says it is missing.
            LogUnavailableAtStart(ex, _options.Url);
        }

        _writerLoop = Task.Run(() => WriteLoopAsync(_stopping.Token), CancellationToken.None);
        _drainLoop = Task.Run(() => DrainLoopAsync(_stopping.Token), CancellationToken.None);
        if (!_buffer.IsEmpty)
        {
            LogBufferedAtStart(_buffer.Points);
            Signal(_drainWake);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Appends already queued are written or buffered; then the drain stops (the buffer keeps the rest for the next start).
        _pending.Writer.TryComplete();
        await _writerLoop.WaitAsync(cancellationToken);
        await _stopping.CancelAsync();
        try
        {
            await _drainLoop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _buffer.Dispose();
        _meter.Dispose();
        _stopping.Dispose();
    }

    public async Task AppendAsync(IReadOnlyList<SeriesSample> samples, CancellationToken cancellationToken)
    {
        if (samples.Count == 0)
        {
            return;
        }

        byte[] lines;
        try
        {
            lines = ToLineProtocol(samples);
        }
        catch (ArgumentException ex)
        {
            Count(_failed, ref _failedTotal, samples.Count, "unwritable");
            LogUnwritable(ex, samples.Count);
            throw;
        }

        var write = new PendingWrite(lines, samples.Count);
        if (!_pending.Writer.TryWrite(write))
        {
            Count(_failed, ref _failedTotal, samples.Count, "stopping");
            throw new InvalidOperationException("The InfluxDB telemetry store is stopping; the samples were not stored.");
        }

        await write.Done.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<StoredSample>> QueryAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0 || to <= from)
        {
            return [];
        }

        await ReadYourWritesAsync(cancellationToken);

        var q = string.Create(CultureInfo.InvariantCulture,
            $"SELECT \"value\", \"quality\" FROM {From()} WHERE {SeriesFilter(key)} AND time >= {EpochNs(from)} AND time < {EpochNs(to)} ORDER BY time DESC LIMIT {limit}");
        var series = await _client.QueryAsync(q, cancellationToken);
        var result = new List<StoredSample>();
        foreach (var s in series)
        {
            var v = IndexOf(s, "value");
            var qi = IndexOf(s, "quality");
            foreach (var row in s.Values)
            {
                var value = row[v] switch { long l => (double?)l, double d => d, _ => null };
                var quality = row[qi] is long ql ? (byte)ql : (byte)0;
                result.Add(new StoredSample((long)row[0]!, value, quality));
            }
        }

        result.Reverse();
        return result;
    }

    public async Task<IReadOnlyList<BucketAggregate>> AggregateAsync(IReadOnlyList<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, TimeSpan offset, CancellationToken cancellationToken)
    {
        BucketArguments.Validate(from, to, bucket, offset);
        var position = new Dictionary<SeriesKey, int>();
        foreach (var key in series)
        {
            position.TryAdd(key, position.Count);
        }

        if (position.Count == 0 || to <= from)
        {
            return [];
        }

        await ReadYourWritesAsync(cancellationToken);
        var bucketMs = (long)bucket.TotalMilliseconds;
        var offsetMs = (long)offset.TotalMilliseconds;
        var result = new List<BucketAggregate>();

        // A few hundred series per statement keep the WHERE clause (and influxd's planning) small; POST keeps it out of the URL.
        foreach (var chunk in position.Keys.Chunk(200))
        {
            var filter = string.Join(" OR ", chunk.Select(k => "(" + SeriesFilter(k) + ")"));
            var q = string.Create(CultureInfo.InvariantCulture,
                $"SELECT COUNT(\"value\"), SUM(\"value\"), MIN(\"value\"), MAX(\"value\"), FIRST(\"value\"), LAST(\"value\"), MIN(\"time_ms\"), MAX(\"time_ms\") FROM {From()} WHERE ({filter}) AND time >= {EpochNs(from)} AND time < {EpochNs(to)} GROUP BY time({bucketMs}ms, {offsetMs}ms), \"tenant\", \"site\", \"device\", \"point\" fill(none)");
            foreach (var s in await _client.QueryAsync(q, cancellationToken, post: true))
            {
                var key = new SeriesKey(Tag(s, "tenant"), Tag(s, "site"), Tag(s, "device"), Tag(s, "point"));
                foreach (var row in s.Values)
                {
                    var count = row[1] is long c ? c : 0;
                    if (count == 0)
                    {
                        continue;
                    }

                    var start = BucketAggregate.BucketStartMs((long)row[0]!, bucketMs, offsetMs);

                    // Data written without time_ms (by another tool) still aggregates; its FIRST/LAST times are then the window's bounds.
                    var firstAt = row[7] is long f ? f : start;
                    var lastAt = row[8] is long l ? l : start + bucketMs - 1;
                    result.Add(new BucketAggregate(
                        key,
                        DateTimeOffset.FromUnixTimeMilliseconds(start),
                        count,
                        Number(row[2]),
                        Number(row[3]),
                        Number(row[4]),
                        DateTimeOffset.FromUnixTimeMilliseconds(firstAt),
                        Number(row[5]),
                        DateTimeOffset.FromUnixTimeMilliseconds(lastAt),
                        Number(row[6])));
                }
            }
        }

        return [.. result.OrderBy(b => position.TryGetValue(b.Series, out var p) ? p : int.MaxValue).ThenBy(b => b.Start)];
    }

    private bool WritesBehind => _options.AcknowledgeAfter == InfluxDbOptions.AcknowledgeAfterBuffer;

    // Written behind, an appended sample reaches influxd a moment later; a query waits for what was appended before it
    // (bounded: with influxd away it answers with what influxd has).
    private async Task ReadYourWritesAsync(CancellationToken cancellationToken)
    {
        if (!WritesBehind)
        {
            return;
        }

        var target = _pendingAtStart + Buffered;
        var deadline = _time.GetUtcNow() + _options.ReadYourWritesWait;
        while (Interlocked.Read(ref _drainedTotal) < target && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken);
        }
    }

    private static double Number(object? cell) => cell switch
    {
        long l => l,
        double d => d,
        _ => double.NaN,
    };

    private static string Tag(InfluxSeries s, string name) =>
        s.Tags.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"influxd's answer has no '{name}' tag.");

    /// <summary><c>"db"."rp"."telemetry"</c>, or <c>"db".."telemetry"</c> for the default retention policy.</summary>
    public string From() =>
        $"{InfluxDbClient.QuoteIdentifier(_options.Database)}.{(string.IsNullOrEmpty(_options.RetentionPolicy) ? "" : InfluxDbClient.QuoteIdentifier(_options.RetentionPolicy))}.\"{Measurement}\"";

    /// <summary>The WHERE terms that select one series.</summary>
    public static string SeriesFilter(SeriesKey key) =>
        $"\"tenant\" = {InfluxDbClient.QuoteString(key.TenantId)} AND \"site\" = {InfluxDbClient.QuoteString(key.SiteId)} AND \"device\" = {InfluxDbClient.QuoteString(key.DeviceId)} AND \"point\" = {InfluxDbClient.QuoteString(key.PointId)}";

    /// <summary>An InfluxQL time bound in nanoseconds, clamped to what influxd can represent.</summary>
    public static string EpochNs(DateTimeOffset t)
    {
        var ms = Math.Clamp(t.ToUnixTimeMilliseconds(), -9_223_372_036_853L, 9_223_372_036_853L);
        return (ms * 1_000_000L).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The samples as line protocol; a sample without a value keeps only its quality field.</summary>
    public static byte[] ToLineProtocol(IReadOnlyList<SeriesSample> samples)
    {
        var text = new StringBuilder(samples.Count * 96);
        foreach (var (key, sample) in samples)
        {
            if (sample.Value is { } v && !double.IsFinite(v))
            {
                throw new ArgumentException($"Sample {key} at {sample.TimestampUtcMs} ms has the value {v.ToString(CultureInfo.InvariantCulture)}; only finite numbers (or no value) can be stored.", nameof(samples));
            }

            // Tags in key order: influxd sorts them anyway, and sorted input spares it the work.
            text.Append(Measurement);
            LineProtocol.AppendTag(text, "device", key.DeviceId);
            LineProtocol.AppendTag(text, "point", key.PointId);
            LineProtocol.AppendTag(text, "site", key.SiteId);
            LineProtocol.AppendTag(text, "tenant", key.TenantId);
            text.Append(' ');
            if (sample.Value is { } value)
            {
                text.Append("value=");
                LineProtocol.AppendFloat(text, value);

                // The sample's own time as a field: InfluxQL gives a window's start, not when its FIRST and LAST
                // happened, and counter consumption needs those times. Only beside a value, like FIRST/LAST.
                text.Append(",time_ms=");
                LineProtocol.AppendInteger(text, sample.TimestampUtcMs);
                text.Append(',');
            }

            text.Append("quality=");
            LineProtocol.AppendInteger(text, sample.Quality);
            text.Append(' ').Append(sample.TimestampUtcMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    internal static bool IsTransient(Exception ex) =>
        ex is HttpRequestException or InfluxDbUnavailableException or TimeoutRejectedException or TimeoutException or IOException
        || (ex is TaskCanceledException && ex.InnerException is TimeoutException);

    private static int IndexOf(InfluxSeries s, string column)
    {
        for (var i = 0; i < s.Columns.Count; i++)
        {
            if (s.Columns[i] == column)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"influxd's answer has no '{column}' column (columns: {string.Join(", ", s.Columns)}).");
    }

    private async Task WriteLoopAsync(CancellationToken stopping)
    {
        var reader = _pending.Reader;
        var group = new List<PendingWrite>();
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            var points = 0;
            while (points < _options.BatchSize && reader.TryRead(out var next))
            {
                group.Add(next);
                points += next.Points;
            }

            try
            {
                await WriteGroupAsync(group, points, stopping);
            }
            catch (Exception ex)
            {
                // Whatever went wrong, the callers hear of it: nothing is left waiting or taken as stored.
                foreach (var w in group.Where(w => !w.Done.Task.IsCompleted))
                {
                    Count(_failed, ref _failedTotal, w.Points, "error");
                    w.Done.TrySetException(ex);
                }

                LogWriteLoopError(ex);
            }
        }
    }

    private async Task WriteGroupAsync(List<PendingWrite> group, int points, CancellationToken stopping)
    {
        var lines = Concat(group);
        if (_buffer.IsEmpty && !WritesBehind)
        {
            try
            {
                await WriteChunkedAsync(lines, stopping);
                Count(_written, ref _writtenTotal, points, null);
                Complete(group);
                return;
            }
            catch (InfluxDbRejectedException ex)
            {
                await WriteRejectedGroupOneByOneAsync(group, ex, stopping);
                return;
            }
            catch (Exception ex) when (IsTransient(ex) || (ex is OperationCanceledException && stopping.IsCancellationRequested))
            {
                LogBuffering(ex, points);
            }
        }

        await BufferAsync(group, lines, points);
    }

    // One caller's bad point (a field type conflict, say) must not refuse the others grouped with it.
    private async Task WriteRejectedGroupOneByOneAsync(List<PendingWrite> group, InfluxDbRejectedException groupError, CancellationToken stopping)
    {
        if (group.Count == 1)
        {
            Refuse(group[0], groupError);
            return;
        }

        foreach (var w in group)
        {
            try
            {
                await _client.WriteAsync(w.LineProtocol, stopping);
                Count(_written, ref _writtenTotal, w.Points, null);
                w.Done.TrySetResult();
            }
            catch (InfluxDbRejectedException ex)
            {
                Refuse(w, ex);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                await BufferAsync([w], w.LineProtocol, w.Points);
            }
        }
    }

    private void Refuse(PendingWrite w, InfluxDbRejectedException ex)
    {
        Count(_failed, ref _failedTotal, w.Points, "rejected");
        LogRejected(w.Points, ex.Message);
        w.Done.TrySetException(ex);
    }

    private async Task BufferAsync(List<PendingWrite> group, byte[] lines, int points)
    {
        if (!_buffer.HasRoom(lines.Length))
        {
            LogBufferFullWaiting(_buffer.Bytes, _options.BufferMaxBytes);
            var deadline = _time.GetUtcNow() + _options.BufferFullWait;
            while (!_buffer.HasRoom(lines.Length))
            {
                var left = deadline - _time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    var ex = new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"InfluxDB is unavailable and its outage buffer is full ({_buffer.Bytes} of {_options.BufferMaxBytes} bytes) for longer than {_options.BufferFullWait}; the samples were not stored."));
                    foreach (var w in group)
                    {
                        Count(_failed, ref _failedTotal, w.Points, "buffer_full");
                        w.Done.TrySetException(ex);
                    }

                    LogBufferFull(points, _options.BufferMaxBytes);
                    return;
                }

                using var wait = new CancellationTokenSource(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), _time);
                try
                {
                    await _spaceFreed.WaitAsync(wait.Token);
                }
                catch (OperationCanceledException) when (wait.IsCancellationRequested)
                {
                    // Checked again above.
                }
            }
        }

        _buffer.Append(lines, points);
        Count(_buffered, ref _bufferedTotal, points, null);
        Complete(group);
        Signal(_drainWake);
    }

    private async Task DrainLoopAsync(CancellationToken stopping)
    {
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (_buffer.IsEmpty)
            {
                attempt = 0;
                await _drainWake.WaitAsync(stopping);
                continue;
            }

            var records = _buffer.Peek(_options.BatchSize);
            var points = records.Sum(r => r.Points);
            try
            {
                await WriteChunkedAsync(Concat(records), stopping);
                _buffer.Advance(records);
                Interlocked.Add(ref _drainedTotal, points);
                Count(_written, ref _writtenTotal, points, null);
                if (attempt > 0 || (_buffer.IsEmpty && !WritesBehind))
                {
                    LogDrained(points, _buffer.Points);
                }

                attempt = 0;
                Signal(_spaceFreed);
            }
            catch (InfluxDbRejectedException ex)
            {
                // Already acknowledged, so never dropped: kept beside the buffer for an operator, counted and logged.
                await File.AppendAllTextAsync(RejectedPath(), Encoding.UTF8.GetString(Concat(records)), stopping);
                _buffer.Advance(records);
                Interlocked.Add(ref _drainedTotal, points);
                Count(_failed, ref _failedTotal, points, "rejected_after_buffering");
                LogRejectedFromBuffer(points, ex.Message, RejectedPath());
                Signal(_spaceFreed);
            }
            catch (Exception ex) when (IsTransient(ex) && !stopping.IsCancellationRequested)
            {
                attempt++;
                var delay = Backoff(attempt);
                LogDrainRetry(ex, _buffer.Points, delay);
                await Task.Delay(delay, _time, stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Anything else (a disk error reading the buffer, say) must not end the drain: the samples stay buffered and it tries again.
                attempt++;
                var delay = Backoff(attempt);
                LogDrainFailed(ex, _buffer.Points, delay);
                await Task.Delay(delay, _time, stopping);
            }
        }
    }

    // Beside the buffer folder, not in it: the buffer owns every file of its folder.
    // Ingestion hands over up to 20,000 samples at once and waits: requests of BatchSize points, WriteConcurrency of
    // them in flight, let influxd work on several while the cloud prepares the next. A chunk that fails fails the
    // whole write; chunks already written are written again with it, which influxd stores once (same series and time).
    private async Task WriteChunkedAsync(byte[] lines, CancellationToken cancellationToken)
    {
        var chunks = LineChunks(lines, _options.BatchSize);
        if (chunks.Count == 1)
        {
            await _client.WriteAsync(lines, cancellationToken);
            return;
        }

        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = _options.WriteConcurrency, CancellationToken = cancellationToken },
            async (chunk, ct) => await _client.WriteAsync(chunk, ct));
    }

    /// <summary>The line protocol cut after every <paramref name="linesPerChunk"/>-th line.</summary>
    internal static List<ReadOnlyMemory<byte>> LineChunks(byte[] lines, int linesPerChunk)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        var count = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] == (byte)'\n' && ++count == linesPerChunk)
            {
                chunks.Add(lines.AsMemory(start, i + 1 - start));
                start = i + 1;
                count = 0;
            }
        }

        if (start < lines.Length)
        {
            chunks.Add(lines.AsMemory(start));
        }

        return chunks;
    }

    private string RejectedPath() => Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(_bufferDirectory)) ?? ".", "influx-rejected.lp");

    // Exponential with full jitter, capped: many clouds coming back at once do not hit influxd in step.
    private TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(_options.DrainMaxDelay.TotalMilliseconds, _options.RetryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        return TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2));
    }

    private static byte[] Concat(List<PendingWrite> parts) => Concat(parts.ConvertAll(p => p.LineProtocol));

    private static byte[] Concat(IReadOnlyList<BufferedWrite> parts) => Concat(parts.Select(p => p.LineProtocol).ToList());

    private static byte[] Concat(List<byte[]> parts)
    {
        if (parts.Count == 1)
        {
            return parts[0];
        }

        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var p in parts)
        {
            p.CopyTo(result, offset);
            offset += p.Length;
        }

        return result;
    }

    // A wake-up, not a count: a semaphore released per record would let a waiter spin through stale releases.
    private static void Signal(SemaphoreSlim signal)
    {
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    private static void Complete(List<PendingWrite> group)
    {
        foreach (var w in group)
        {
            w.Done.TrySetResult();
        }
    }

    private static void Count(Counter<long> counter, ref long total, long samples, string? reason)
    {
        Interlocked.Add(ref total, samples);
        if (reason is null)
        {
            counter.Add(samples);
        }
        else
        {
            counter.Add(samples, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB at {Url} is not reachable at start-up; samples wait in the outage buffer until it is")]
    private partial void LogUnavailableAtStart(Exception ex, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Samples} samples wait in the InfluxDB outage buffer from an earlier run; draining")]
    private partial void LogBufferedAtStart(long samples);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Records} torn or corrupt records were cut off the InfluxDB outage buffer in {Directory} on open")]
    private partial void LogCorruptRecords(int records, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Samples} samples refused: they cannot be written as line protocol")]
    private partial void LogUnwritable(Exception ex, int samples);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB unavailable; {Samples} samples go to the outage buffer")]
    private partial void LogBuffering(Exception ex, int samples);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Samples} samples refused by influxd (not acknowledged): {Reason}")]
    private partial void LogRejected(int samples, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Samples} buffered samples refused by influxd: {Reason}; kept in {Path}")]
    private partial void LogRejectedFromBuffer(int samples, string reason, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB outage buffer full ({Bytes} of {MaxBytes} bytes); appends wait for the drain")]
    private partial void LogBufferFullWaiting(long bytes, long maxBytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Samples} samples refused (not acknowledged): the InfluxDB outage buffer stayed full at {MaxBytes} bytes")]
    private partial void LogBufferFull(int samples, long maxBytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote {Samples} buffered samples to InfluxDB; {Left} still buffered")]
    private partial void LogDrained(int samples, long left);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB still unavailable with {Samples} samples buffered; next attempt in {Delay}")]
    private partial void LogDrainRetry(Exception ex, long samples, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the InfluxDB outage buffer failed with {Samples} samples buffered; next attempt in {Delay}")]
    private partial void LogDrainFailed(Exception ex, long samples, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The InfluxDB write loop failed a group of appends")]
    private partial void LogWriteLoopError(Exception ex);

    private sealed class PendingWrite(byte[] lineProtocol, int points)
    {
        public byte[] LineProtocol { get; } = lineProtocol;

        public int Points { get; } = points;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
