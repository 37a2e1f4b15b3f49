using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Telemetry;

/// <summary>Hourly rollups of the day-file engine answer whole-hour queries, and survive the retention of raw samples.</summary>
public sealed class RollupAndRetentionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rollup-").FullName;
    private static readonly DateTimeOffset Day = new(2026, 1, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly SeriesKey Short = new("short", "s", "meter-1", "energy");
    private static readonly SeriesKey Long = new("long", "s", "meter-1", "energy");

    private static async Task FillAsync(EmbeddedTelemetryStore store)
    {
        var random = new Random(3);
        var samples = new List<SeriesSample>();
        for (var i = 0; i < 3 * 24 * 60; i++)
        {
            var t = Day.AddMinutes(i).ToUnixTimeMilliseconds();
            samples.Add(new(Short, new StoredSample(t, Math.Round(random.NextDouble() * 100, 2), 0)));
            samples.Add(new(Long, new StoredSample(t, i, 0)));
        }

        await store.AppendAsync(samples, CancellationToken.None);
    }

    private static Task<IReadOnlyList<BucketAggregate>> DailyAsync(EmbeddedTelemetryStore store, TimeSpan offset) =>
        store.AggregateAsync([Short, Long], Day.AddDays(-1), Day.AddDays(4), TimeSpan.FromDays(1), offset, CancellationToken.None);

    [Fact]
    public async Task Rolled_up_days_answer_the_same_aggregates_as_the_raw_samples()
    {
        using var store = new EmbeddedTelemetryStore(_dir);
        await FillAsync(store);
        var raw = await DailyAsync(store, TimeSpan.FromHours(16));

        (await store.RollUpAsync(DateOnly.FromDateTime(Day.AddDays(1).UtcDateTime), CancellationToken.None)).ShouldBe(2);
        store.RolledUpThrough.ShouldBe(DateOnly.FromDateTime(Day.AddDays(1).UtcDateTime));
        var mixed = await DailyAsync(store, TimeSpan.FromHours(16));

        mixed.Count.ShouldBe(raw.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            (mixed[i].Series, mixed[i].Start, mixed[i].Count, mixed[i].Min, mixed[i].Max, mixed[i].First, mixed[i].FirstAt, mixed[i].Last, mixed[i].LastAt)
                .ShouldBe((raw[i].Series, raw[i].Start, raw[i].Count, raw[i].Min, raw[i].Max, raw[i].First, raw[i].FirstAt, raw[i].Last, raw[i].LastAt));
            mixed[i].Sum.ShouldBe(raw[i].Sum, 1e-6);
        }
    }

    [Fact]
    public async Task Retention_drops_raw_samples_per_tenant_and_whole_hour_queries_still_answer_from_rollups()
    {
        using var store = new EmbeddedTelemetryStore(_dir);
        await FillAsync(store);
        var before = await DailyAsync(store, TimeSpan.Zero);
        await store.RollUpAsync(DateOnly.FromDateTime(Day.AddDays(2).UtcDateTime), CancellationToken.None);

        // On 2026-01-20 tenant "short" keeps raw samples for 5 days, "long" for 90.
        var dropped = await store.DeleteExpiredRawAsync(t => t == "short" ? 5 : 90, new DateOnly(2026, 1, 20), CancellationToken.None);

        dropped.ShouldBe(3 * 24 * 60, "every raw sample of 'short' (10–12 January) is older than 5 days");
        (await store.QueryAsync(Short, Day, Day.AddDays(3), 10, CancellationToken.None)).ShouldBeEmpty();
        (await store.QueryAsync(Long, Day, Day.AddDays(3), 10, CancellationToken.None)).Count.ShouldBe(10);
        var after = await DailyAsync(store, TimeSpan.Zero);
        after.Select(b => (b.Series, b.Start, b.Count, b.Min, b.Max, b.Last)).ShouldBe(before.Select(b => (b.Series, b.Start, b.Count, b.Min, b.Max, b.Last)));
    }

    [Fact]
    public async Task A_late_sample_in_a_rolled_up_day_is_seen_at_once_and_rolled_up_again()
    {
        using var store = new EmbeddedTelemetryStore(_dir);
        await FillAsync(store);
        await store.RollUpAsync(DateOnly.FromDateTime(Day.AddDays(2).UtcDateTime), CancellationToken.None);

        await store.AppendAsync([new(Long, new StoredSample(Day.AddDays(1).AddSeconds(30).ToUnixTimeMilliseconds(), 1_000_000, 0))], CancellationToken.None);

        store.RolledUpThrough.ShouldBe(DateOnly.FromDateTime(Day.UtcDateTime));
        (await DailyAsync(store, TimeSpan.Zero)).Single(b => b.Series == Long && b.Start == Day.AddDays(1)).Max.ShouldBe(1_000_000);
        await store.RollUpAsync(DateOnly.FromDateTime(Day.AddDays(2).UtcDateTime), CancellationToken.None);
        (await DailyAsync(store, TimeSpan.Zero)).Single(b => b.Series == Long && b.Start == Day.AddDays(1)).Max.ShouldBe(1_000_000);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
