using System.Globalization;
using DuckDB.NET.Data;

namespace PropertyEba.Cloud.Telemetry;

/// <summary>
/// The embedded engine's other format (<c>Telemetry:EmbeddedFormat=duckdb</c>, docs/adr/0012-embedded-engine-by-measurement.md): one DuckDB file (columnar, compressed) with a
/// <c>samples(series, ts, value, quality)</c> table fed by DuckDB's appender, and aggregates answered in SQL
/// (<c>arg_min</c>/<c>arg_max</c> give FIRST and LAST). Appends are committed (in DuckDB's WAL) when the call returns.
/// One writer connection under a lock; every query runs on a connection of its own to the same database instance, so a long report does not hold up
/// ingestion. A folder that still holds the day files of the earlier engine is migrated on first open (see
/// <see cref="OpenAsync"/>).
/// </summary>
public sealed class DuckDbTelemetryStore : ITelemetryStore, IDisposable
{
    public const string FileName = "telemetry.duckdb";

    /// <summary>Where the day files of the earlier engine are moved once their records are in DuckDB (kept, not deleted).</summary>
    public const string MigratedFolder = "dayfiles-migrated";

    private readonly DuckDBConnection _writer;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Dictionary<SeriesKey, int> _ids = [];

    private DuckDbTelemetryStore(string path, int memoryLimitMb)
    {
        _connectionString = $"Data Source={path}";
        _writer = new DuckDBConnection(_connectionString);
        _writer.Open();
        Execute(_writer, string.Create(CultureInfo.InvariantCulture, $"SET memory_limit = '{memoryLimitMb}MB';")
            + "CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, key VARCHAR NOT NULL);"
            + "CREATE TABLE IF NOT EXISTS samples(series INTEGER NOT NULL, ts BIGINT NOT NULL, value DOUBLE, quality UTINYINT NOT NULL);"
            + "CREATE TABLE IF NOT EXISTS migrations(name VARCHAR PRIMARY KEY, records BIGINT NOT NULL);");
        using var read = _writer.CreateCommand();
        read.CommandText = "SELECT id, key FROM series";
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            if (SeriesKey.TryParse(reader.GetString(1), out var key))
            {
                _ids[key] = reader.GetInt32(0);
            }
        }
    }

    public int SeriesCount
    {
        get
        {
            lock (_ids)
            {
                return _ids.Count;
            }
        }
    }

    /// <summary>
    /// Opens the store in <paramref name="directory"/>. When the folder holds day files and no DuckDB file yet, every
    /// record is first copied into <c>telemetry.duckdb.migrating</c>, which is renamed into place only when complete
    /// (a crash restarts the copy from the day files); then the day files and their index move to
    /// <see cref="MigratedFolder"/>. Nothing is deleted, and the counts are returned for the log.
    /// </summary>
    public static async Task<(DuckDbTelemetryStore Store, long Migrated, long WithoutSeries)> OpenAsync(string directory, int memoryLimitMb, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var dayFiles = EmbeddedTelemetryStore.DayFilesIn(directory);
        long migrated = 0, orphans = 0;
        if (!File.Exists(path) && dayFiles.Count > 0)
        {
            var temporary = path + ".migrating";
            File.Delete(temporary);
            File.Delete(temporary + ".wal");
            using (var target = new DuckDbTelemetryStore(temporary, memoryLimitMb))
            using (var source = new EmbeddedTelemetryStore(directory))
            {
                (migrated, orphans) = await source.ExportAsync(batch => target.AppendAsync(batch, cancellationToken), 100_000, cancellationToken);
                Execute(target._writer, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO migrations VALUES ('dayfiles', {migrated}); CHECKPOINT;"));
            }

            File.Move(temporary, path);
        }

        if (dayFiles.Count > 0)
        {
            // The records are in DuckDB (this run or a run that stopped before the move): put the old files aside.
            var aside = Path.Combine(directory, MigratedFolder);
            System.IO.Directory.CreateDirectory(aside);
            foreach (var file in dayFiles.Append(Path.Combine(directory, "series.idx")).Where(File.Exists))
            {
                File.Move(file, Path.Combine(aside, Path.GetFileName(file)), overwrite: true);
            }
        }

        return (new DuckDbTelemetryStore(path, memoryLimitMb), migrated, orphans);
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
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
            var newSeries = new List<(int Id, SeriesKey Key)>();
            var ids = new int[samples.Count];
            lock (_ids)
            {
                for (var i = 0; i < samples.Count; i++)
                {
                    if (!_ids.TryGetValue(samples[i].Key, out ids[i]))
                    {
                        ids[i] = _ids.Count + 1;
                        _ids[samples[i].Key] = ids[i];
                        newSeries.Add((ids[i], samples[i].Key));
                    }
                }
            }

            // Series first: a sample is never committed before the series it names.
            if (newSeries.Count > 0)
            {
                using var series = _writer.CreateAppender("series");
                foreach (var (id, key) in newSeries)
                {
                    series.CreateRow().AppendValue(id).AppendValue(key.ToString()).EndRow();
                }
            }

            using var appender = _writer.CreateAppender("samples");
            for (var i = 0; i < samples.Count; i++)
            {
                var sample = samples[i].Sample;
                var row = appender.CreateRow().AppendValue(ids[i]).AppendValue(sample.TimestampUtcMs);
                row = sample.Value is { } v ? row.AppendValue(v) : row.AppendNullValue();
                row.AppendValue(sample.Quality).EndRow();
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task<IReadOnlyList<StoredSample>> QueryAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        int id;
        lock (_ids)
        {
            if (!_ids.TryGetValue(key, out id))
            {
                return Task.FromResult<IReadOnlyList<StoredSample>>([]);
            }
        }

        return Task.Run<IReadOnlyList<StoredSample>>(() =>
        {
            using var connection = Reader();
            using var command = connection.CreateCommand();

            // Only integers are formatted into the text: nothing a caller sends reaches the SQL.
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"SELECT ts, value, quality FROM samples WHERE series = {id} AND ts >= {from.ToUnixTimeMilliseconds()} AND ts < {to.ToUnixTimeMilliseconds()} ORDER BY ts DESC LIMIT {limit}");
            var result = new List<StoredSample>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(new StoredSample(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.GetByte(2)));
            }

            result.Reverse();
            return result;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<BucketAggregate>> AggregateAsync(IReadOnlyList<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, TimeSpan offset, CancellationToken cancellationToken)
    {
        BucketArguments.Validate(from, to, bucket, offset);
        var bucketMs = (long)bucket.TotalMilliseconds;
        var offsetMs = (long)offset.TotalMilliseconds;
        var byId = new Dictionary<int, (int Position, SeriesKey Key)>();
        lock (_ids)
        {
            for (var i = 0; i < series.Count; i++)
            {
                if (_ids.TryGetValue(series[i], out var id))
                {
                    byId.TryAdd(id, (i, series[i]));
                }
            }
        }

        if (byId.Count == 0 || to <= from)
        {
            return Task.FromResult<IReadOnlyList<BucketAggregate>>([]);
        }

        return Task.Run<IReadOnlyList<BucketAggregate>>(() =>
        {
            using var connection = Reader();
            using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture,
                $"""
                SELECT series, floor((ts - {offsetMs}) / {bucketMs})::BIGINT AS k, count(*), sum(value), min(value), max(value),
                       min(ts), arg_min(value, ts), max(ts), arg_max(value, ts)
                FROM samples
                WHERE series IN ({string.Join(',', byId.Keys)}) AND ts >= {from.ToUnixTimeMilliseconds()} AND ts < {to.ToUnixTimeMilliseconds()} AND value IS NOT NULL
                GROUP BY series, k
                """);
            var result = new List<(int Position, BucketAggregate Aggregate)>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var (position, key) = byId[reader.GetInt32(0)];
                var start = offsetMs + (reader.GetInt64(1) * bucketMs);
                result.Add((position, new BucketAggregate(key, DateTimeOffset.FromUnixTimeMilliseconds(start), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), reader.GetDouble(7), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)), reader.GetDouble(9))));
            }

            return [.. result.OrderBy(r => r.Position).ThenBy(r => r.Aggregate.Start).Select(r => r.Aggregate)];
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes the samples of a tenant older than <paramref name="before"/> (retention); returns how many went.
    /// </summary>
    public async Task<long> DeleteOlderThanAsync(string tenantId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        int[] ids;
        lock (_ids)
        {
            ids = [.. _ids.Where(p => p.Key.TenantId == tenantId).Select(p => p.Value)];
        }

        if (ids.Length == 0)
        {
            return 0;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"DELETE FROM samples WHERE series IN ({string.Join(',', ids)}) AND ts < {before.ToUnixTimeMilliseconds()}");
            return command.ExecuteNonQuery();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private DuckDBConnection Reader()
    {
        // DuckDB.NET shares one database instance between the connections of a process that name the same file.
        var connection = new DuckDBConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _writeLock.Dispose();
    }
}
