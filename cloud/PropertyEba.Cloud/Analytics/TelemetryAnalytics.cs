using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Analytics;

/// <summary>What a query asks for: the windows, the grouping and the range.</summary>
public sealed record WindowQuery(WindowKind Kind, TimeSpan Interval, GroupBy GroupBy, DateTimeOffset From, DateTimeOffset To);

/// <summary>Mean, min, max, first, last and count of the values of a group of series in one window.</summary>
public sealed record AggregateRow(string Group, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset LocalStart, int Series, long Count, double? Mean, double? Min, double? Max, double? First, double? Last);

/// <summary>What a group of counters consumed in one window.</summary>
public sealed record ConsumptionRow(string Group, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset LocalStart, int Series, double Consumption, string? Unit);

/// <summary>
/// Window aggregates and counter consumption over many series, built on the store's mergeable buckets: the store is
/// asked for fixed buckets (1 h, or the fixed interval) on a grid aligned with each site's clock, and the buckets are
/// merged into the site's days, weeks and months here, the same for every engine.
/// </summary>
public sealed class TelemetryAnalytics(ITelemetryStore store)
{
    /// <summary>How far before and after the range the readings that bound a gap are looked for.</summary>
    public static readonly TimeSpan ConsumptionLookAround = TimeSpan.FromDays(1);

    public async Task<IReadOnlyList<AggregateRow>> AggregateAsync(IReadOnlyList<ResolvedSeries> series, WindowQuery query, CancellationToken cancellationToken)
    {
        var rows = new List<AggregateRow>();
        foreach (var site in series.GroupBy(s => s.Key.SiteId))
        {
            var members = site.ToList();
            var zone = members[0].Zone;
            var windows = CalendarWindows.Build(zone, query.Kind, query.Interval, query.From, query.To);
            if (windows.Count == 0)
            {
                continue;
            }

            var (bucket, offset) = BucketFor(query, windows[0].Start);
            var buckets = await store.AggregateAsync([.. members.Select(m => m.Key)], windows[0].Start, windows[^1].End, bucket, offset, cancellationToken);
            var groupOf = members.ToDictionary(m => m.Key, m => m.GroupOf(query.GroupBy));
            var merged = new Dictionary<(string Group, int Window), (BucketAggregate Aggregate, HashSet<SeriesKey> Series)>();
            foreach (var b in buckets)
            {
                var w = WindowIndex(windows, b.Start);
                if (w < 0)
                {
                    continue;
                }

                var key = (groupOf[b.Series], w);
                if (merged.TryGetValue(key, out var held))
                {
                    held.Series.Add(b.Series);
                    merged[key] = (held.Aggregate.Merge(b), held.Series);
                }
                else
                {
                    merged[key] = (b, [b.Series]);
                }
            }

            foreach (var group in members.Select(m => groupOf[m.Key]).Distinct().Order(StringComparer.Ordinal))
            {
                for (var w = 0; w < windows.Count; w++)
                {
                    var window = windows[w];
                    rows.Add(merged.TryGetValue((group, w), out var m)
                        ? new AggregateRow(group, window.Start, window.End, window.LocalStart, m.Series.Count, m.Aggregate.Count, m.Aggregate.Mean, m.Aggregate.Min, m.Aggregate.Max, m.Aggregate.First, m.Aggregate.Last)
                        : new AggregateRow(group, window.Start, window.End, window.LocalStart, 0, 0, null, null, null, null, null));
                }
            }
        }

        return rows;
    }

    public async Task<IReadOnlyList<ConsumptionRow>> ConsumptionAsync(IReadOnlyList<ResolvedSeries> series, WindowQuery query, CounterRules rules, CancellationToken cancellationToken)
    {
        var rows = new List<ConsumptionRow>();
        foreach (var site in series.GroupBy(s => s.Key.SiteId))
        {
            var members = site.ToList();
            var windows = CalendarWindows.Build(members[0].Zone, query.Kind, query.Interval, query.From, query.To);
            if (windows.Count == 0)
            {
                continue;
            }

            var (bucket, offset) = BucketFor(query, windows[0].Start);
            var buckets = await store.AggregateAsync([.. members.Select(m => m.Key)], windows[0].Start - ConsumptionLookAround, windows[^1].End + ConsumptionLookAround, bucket, offset, cancellationToken);
            var bySeries = buckets.GroupBy(b => b.Series).ToDictionary(g => g.Key, g => g.ToList());
            var totals = new Dictionary<string, (double[] Amounts, int Series, string? Unit)>();
            foreach (var member in members)
            {
                var group = member.GroupOf(query.GroupBy);
                var amounts = bySeries.TryGetValue(member.Key, out var own) ? CounterConsumption.PerWindow(own, windows, rules) : new double[windows.Count];
                if (totals.TryGetValue(group, out var held))
                {
                    for (var i = 0; i < amounts.Length; i++)
                    {
                        held.Amounts[i] += amounts[i];
                    }

                    totals[group] = (held.Amounts, held.Series + 1, held.Unit == member.Unit ? held.Unit : null);
                }
                else
                {
                    totals[group] = (amounts, 1, member.Unit);
                }
            }

            foreach (var (group, total) in totals.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                for (var w = 0; w < windows.Count; w++)
                {
                    rows.Add(new ConsumptionRow(group, windows[w].Start, windows[w].End, windows[w].LocalStart, total.Series, total.Amounts[w], total.Unit));
                }
            }
        }

        return rows;
    }

    /// <summary>
    /// Calendar windows read hourly buckets shifted by the site's offset within the hour (for +05:30 or +05:45 zones), so
    /// every bucket lies inside one local day; fixed windows read buckets of their own width on their own grid.
    /// </summary>
    private static (TimeSpan Bucket, TimeSpan Offset) BucketFor(WindowQuery query, DateTimeOffset gridStart)
    {
        var bucket = query.Kind == WindowKind.Fixed && query.Interval <= TimeSpan.FromHours(1) ? query.Interval : TimeSpan.FromHours(1);
        if (query.Kind == WindowKind.Fixed && query.Interval > TimeSpan.FromHours(1) && query.Interval.Ticks % TimeSpan.TicksPerHour != 0)
        {
            bucket = query.Interval;
        }

        var ms = (long)bucket.TotalMilliseconds;
        var offsetMs = ((gridStart.ToUnixTimeMilliseconds() % ms) + ms) % ms;
        return (bucket, TimeSpan.FromMilliseconds(offsetMs));
    }

    private static int WindowIndex(IReadOnlyList<TimeWindow> windows, DateTimeOffset at)
    {
        int lo = 0, hi = windows.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (at < windows[mid].Start)
            {
                hi = mid - 1;
            }
            else if (at >= windows[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }
}
