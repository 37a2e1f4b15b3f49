using System.Collections.Concurrent;

namespace PropertyEba.Cloud.Telemetry;

/// <summary>The newest sample of every series, in memory, for live views and the latest-values API.</summary>
public sealed class LatestValueCache
{
    private readonly ConcurrentDictionary<SeriesKey, StoredSample> _latest = new();

    /// <summary>Keeps the sample if it is newer than what is held; returns whether it was.</summary>
    public bool Update(SeriesKey key, StoredSample sample)
    {
        while (true)
        {
            if (!_latest.TryGetValue(key, out var current))
            {
                if (_latest.TryAdd(key, sample))
                {
                    return true;
                }

                continue;
            }

            if (sample.TimestampUtcMs < current.TimestampUtcMs)
            {
                return false;
            }

            if (_latest.TryUpdate(key, sample, current))
            {
                return true;
            }
        }
    }

    public bool TryGet(SeriesKey key, out StoredSample sample) => _latest.TryGetValue(key, out sample);
}
