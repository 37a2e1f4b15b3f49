using System.Globalization;
using Microsoft.Data.Sqlite;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Telemetry.Benchmarks;

/// <summary>Candidate: SQLite, one WITHOUT ROWID table clustered on (series, ts); WAL, synchronous=NORMAL.</summary>
public sealed class SqliteTelemetryStore : ITelemetryStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<SeriesKey, long> _ids = [];
    private readonly SemaphoreSlim _lock = new(1, 1);

    public SqliteTelemetryStore(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=false");
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
            + "CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);"
            + "CREATE TABLE IF NOT EXISTS samples(series INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL, quality INTEGER NOT NULL, PRIMARY KEY(series, ts)) WITHOUT ROWID;");
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT id, key FROM series";
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            if (SeriesKey.TryParse(reader.GetString(1), out var key))
            {
                _ids[key] = reader.GetInt64(0);
            }
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async Task AppendAsync(IReadOnlyList<SeriesSample> samples, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            using var tx = _connection.BeginTransaction();
            using var series = _connection.CreateCommand();
            series.CommandText = "INSERT INTO series(id, key) VALUES ($id, $key)";
            var sid = series.Parameters.Add("$id", SqliteType.Integer);
            var skey = series.Parameters.Add("$key", SqliteType.Text);
            using var insert = _connection.CreateCommand();
            insert.CommandText = "INSERT OR REPLACE INTO samples(series, ts, value, quality) VALUES ($s, $t, $v, $q)";
            var s = insert.Parameters.Add("$s", SqliteType.Integer);
            var t = insert.Parameters.Add("$t", SqliteType.Integer);
            var v = insert.Parameters.Add("$v", SqliteType.Real);
            var q = insert.Parameters.Add("$q", SqliteType.Integer);
            foreach (var (key, sample) in samples)
            {
                if (!_ids.TryGetValue(key, out var id))
                {
                    id = _ids.Count + 1;
                    _ids[key] = id;
                    sid.Value = id;
                    skey.Value = key.ToString();
                    series.ExecuteNonQuery();
                }

                s.Value = id;
                t.Value = sample.TimestampUtcMs;
                v.Value = sample.Value is { } value ? value : DBNull.Value;
                q.Value = (int)sample.Quality;
                insert.ExecuteNonQuery();
            }

            tx.Commit();
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyList<StoredSample>> QueryAsync(SeriesKey key, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (!_ids.TryGetValue(key, out var id))
            {
                return [];
            }

            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT ts, value, quality FROM samples WHERE series = $s AND ts >= $f AND ts < $t ORDER BY ts DESC LIMIT $l";
            command.Parameters.AddWithValue("$s", id);
            command.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$l", limit);
            var result = new List<StoredSample>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result.Add(new StoredSample(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetDouble(1), (byte)reader.GetInt32(2)));
            }

            result.Reverse();
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<IReadOnlyList<BucketAggregate>> AggregateAsync(IReadOnlyList<SeriesKey> series, DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, TimeSpan offset, CancellationToken cancellationToken)
    {
        BucketArguments.Validate(from, to, bucket, offset);
        var bucketMs = (long)bucket.TotalMilliseconds;
        var offsetMs = (long)offset.TotalMilliseconds;
        var result = new List<BucketAggregate>();
        await _lock.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();

            // The clustered key makes this a range scan in time order: FIRST and LAST fall out of the order.
            command.CommandText = "SELECT ts, value FROM samples WHERE series = $s AND ts >= $f AND ts < $t AND value IS NOT NULL ORDER BY ts";
            var s = command.Parameters.Add("$s", SqliteType.Integer);
            command.Parameters.AddWithValue("$f", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$t", to.ToUnixTimeMilliseconds());
            foreach (var key in series)
            {
                if (!_ids.TryGetValue(key, out var id))
                {
                    continue;
                }

                s.Value = id;
                using var reader = command.ExecuteReader();
                BucketAggregate? current = null;
                long currentStart = long.MinValue;
                while (reader.Read())
                {
                    var ts = reader.GetInt64(0);
                    var value = reader.GetDouble(1);
                    var start = BucketAggregate.BucketStartMs(ts, bucketMs, offsetMs);
                    var one = BucketAggregate.Of(key, DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(ts), value);
                    if (current is { } c && start == currentStart)
                    {
                        current = c.Merge(one);
                    }
                    else
                    {
                        if (current is { } done)
                        {
                            result.Add(done);
                        }

                        (current, currentStart) = (one, start);
                    }
                }

                if (current is { } last)
                {
                    result.Add(last);
                }
            }
        }
        finally
        {
            _lock.Release();
        }

        return result;
    }

    public long FileBytes(string path) => new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
        _ = CultureInfo.InvariantCulture;
    }
}
