using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Telemetry;

/// <summary>
/// What every <see cref="ITelemetryStore"/> engine must do, run against each real engine by a subclass that says how to
/// open one. Every test writes under its own tenant id, so engines backed by one shared server need no clean-up between tests.
/// </summary>
public abstract class TelemetryStoreContractTests
{
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
    private readonly string _tenant = "ct" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>An engine ready to append and query; the subclass disposes what it opened.</summary>
    protected abstract Task<ITelemetryStore> OpenStoreAsync();

    private SeriesKey Key(string device, string point) => new(_tenant, "site-1", device, point);

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private static SeriesSample At(SeriesKey key, DateTimeOffset t, double? value, byte quality = 0) => new(key, new StoredSample(Ms(t), value, quality));

    [Fact]
    public async Task Raw_query_returns_one_series_oldest_first_with_values_nulls_and_quality_in_a_half_open_range()
    {
        var store = await OpenStoreAsync();
        var level = Key("tank-1", "level");
        var other = Key("tank-2", "level");
        await store.AppendAsync([At(level, Day.AddMinutes(3), 3.5), At(level, Day.AddMinutes(1), 1.25), At(other, Day.AddMinutes(2), 99), At(level, Day.AddMinutes(2), null, 2)], CancellationToken.None);
        await store.AppendAsync([At(level, Day.AddMinutes(5), 5)], CancellationToken.None);

        var samples = await store.QueryAsync(level, Day.AddMinutes(1), Day.AddMinutes(5), 100, CancellationToken.None);

        samples.Select(s => s.TimestampUtcMs).ShouldBe([Ms(Day.AddMinutes(1)), Ms(Day.AddMinutes(2)), Ms(Day.AddMinutes(3))]);
        samples[0].Value.ShouldBe(1.25);
        samples[1].Value.ShouldBeNull();
        samples[1].Quality.ShouldBe((byte)2);
        samples[2].Value.ShouldBe(3.5);
    }

    [Fact]
    public async Task Raw_query_limit_keeps_the_newest_samples()
    {
        var store = await OpenStoreAsync();
        var level = Key("tank-1", "level");
        await store.AppendAsync([.. Enumerable.Range(0, 50).Select(i => At(level, Day.AddSeconds(i * 10), i))], CancellationToken.None);

        var newest = await store.QueryAsync(level, Day, Day.AddDays(1), 3, CancellationToken.None);

        newest.Select(s => s.Value).ShouldBe([47.0, 48.0, 49.0]);
    }

    [Fact]
    public async Task Unknown_series_has_no_samples_and_no_buckets()
    {
        var store = await OpenStoreAsync();
        var unknown = Key("nobody", "nothing");
        (await store.QueryAsync(unknown, Day, Day.AddDays(1), 10, CancellationToken.None)).ShouldBeEmpty();
        (await store.AggregateAsync([unknown], Day, Day.AddDays(1), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Aggregates_count_sum_min_max_first_and_last_per_bucket()
    {
        var store = await OpenStoreAsync();
        var power = Key("meter-1", "power");
        await store.AppendAsync(
        [
            At(power, Day.AddMinutes(10), 4), At(power, Day.AddMinutes(20), -2), At(power, Day.AddMinutes(50), 7.5),
            At(power, Day.AddHours(1).AddMinutes(5), 10),
        ], CancellationToken.None);

        var buckets = await store.AggregateAsync([power], Day, Day.AddDays(1), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None);

        buckets.Count.ShouldBe(2);
        var first = buckets[0];
        first.Series.ShouldBe(power);
        first.Start.ShouldBe(Day);
        first.Count.ShouldBe(3);
        first.Sum.ShouldBe(9.5);
        first.Min.ShouldBe(-2);
        first.Max.ShouldBe(7.5);
        first.First.ShouldBe(4);
        first.FirstAt.ShouldBe(Day.AddMinutes(10));
        first.Last.ShouldBe(7.5);
        first.LastAt.ShouldBe(Day.AddMinutes(50));
        first.Mean.ShouldBe(9.5 / 3, 1e-12);
        buckets[1].Start.ShouldBe(Day.AddHours(1));
        buckets[1].Count.ShouldBe(1);
        buckets[1].First.ShouldBe(10);
        buckets[1].Last.ShouldBe(10);
    }

    [Fact]
    public async Task First_and_last_follow_sample_time_not_write_order()
    {
        var store = await OpenStoreAsync();
        var energy = Key("meter-1", "energy");
        await store.AppendAsync([At(energy, Day.AddMinutes(40), 140)], CancellationToken.None);
        await store.AppendAsync([At(energy, Day.AddMinutes(5), 105), At(energy, Day.AddMinutes(55), 155)], CancellationToken.None);
        await store.AppendAsync([At(energy, Day.AddMinutes(1), 101)], CancellationToken.None);

        var bucket = (await store.AggregateAsync([energy], Day, Day.AddHours(1), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None)).ShouldHaveSingleItem();

        bucket.First.ShouldBe(101);
        bucket.FirstAt.ShouldBe(Day.AddMinutes(1));
        bucket.Last.ShouldBe(155);
        bucket.LastAt.ShouldBe(Day.AddMinutes(55));
    }

    [Fact]
    public async Task Bucket_grid_is_shifted_by_the_offset_like_a_local_midnight()
    {
        // Asia/Shanghai midnight is 16:00 UTC: daily buckets with a 16 h offset start there.
        var store = await OpenStoreAsync();
        var power = Key("meter-1", "power");
        await store.AppendAsync([At(power, Day.AddHours(15), 1), At(power, Day.AddHours(16), 2), At(power, Day.AddHours(39).AddMinutes(59), 3), At(power, Day.AddHours(40), 4)], CancellationToken.None);

        var buckets = await store.AggregateAsync([power], Day, Day.AddDays(3), TimeSpan.FromDays(1), TimeSpan.FromHours(16), CancellationToken.None);

        buckets.Select(b => b.Start).ShouldBe([Day.AddHours(-8), Day.AddHours(16), Day.AddHours(40)]);
        buckets.Select(b => b.Sum).ShouldBe([1.0, 5.0, 4.0]);
    }

    [Fact]
    public async Task Aggregates_use_only_samples_in_the_half_open_range_and_skip_samples_without_value()
    {
        var store = await OpenStoreAsync();
        var power = Key("meter-1", "power");
        await store.AppendAsync([At(power, Day.AddMinutes(-1), 100), At(power, Day, 1), At(power, Day.AddMinutes(30), null, 2), At(power, Day.AddMinutes(59), 3), At(power, Day.AddHours(1), 100), At(power, Day.AddHours(2).AddMinutes(1), null, 2)], CancellationToken.None);

        var buckets = await store.AggregateAsync([power], Day, Day.AddHours(1), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None);

        var only = buckets.ShouldHaveSingleItem();
        only.Count.ShouldBe(2);
        only.Sum.ShouldBe(4);
        (await store.AggregateAsync([power], Day.AddHours(2), Day.AddHours(3), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None)).ShouldBeEmpty("a bucket of only valueless samples has no aggregate");
    }

    [Fact]
    public async Task Many_series_come_back_in_the_order_asked_each_oldest_bucket_first()
    {
        var store = await OpenStoreAsync();
        var a = Key("meter-a", "energy");
        var b = Key("meter-b", "energy");
        var c = Key("meter-c", "energy");
        await store.AppendAsync([At(a, Day.AddHours(2), 1), At(b, Day.AddHours(1), 2), At(c, Day, 3), At(a, Day, 4), At(b, Day.AddHours(3), 5)], CancellationToken.None);

        var buckets = await store.AggregateAsync([b, a], Day, Day.AddDays(1), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None);

        buckets.Select(x => (x.Series.DeviceId, x.Start)).ShouldBe([("meter-b", Day.AddHours(1)), ("meter-b", Day.AddHours(3)), ("meter-a", Day), ("meter-a", Day.AddHours(2))]);
    }

    [Fact]
    public async Task Merging_small_buckets_equals_aggregating_the_large_bucket()
    {
        var store = await OpenStoreAsync();
        var power = Key("meter-1", "power");
        var random = new Random(15);
        await store.AppendAsync([.. Enumerable.Range(0, 24 * 12).Select(i => At(power, Day.AddMinutes(i * 5), Math.Round(random.NextDouble() * 100, 3)))], CancellationToken.None);

        var hourly = await store.AggregateAsync([power], Day, Day.AddDays(1), TimeSpan.FromHours(1), TimeSpan.Zero, CancellationToken.None);
        var daily = (await store.AggregateAsync([power], Day, Day.AddDays(1), TimeSpan.FromDays(1), TimeSpan.Zero, CancellationToken.None)).ShouldHaveSingleItem();

        hourly.Count.ShouldBe(24);
        var merged = hourly.Aggregate((x, y) => x.Merge(y));
        merged.Count.ShouldBe(daily.Count);
        merged.Sum.ShouldBe(daily.Sum, 1e-9);
        merged.Min.ShouldBe(daily.Min);
        merged.Max.ShouldBe(daily.Max);
        (merged.FirstAt, merged.First).ShouldBe((daily.FirstAt, daily.First));
        (merged.LastAt, merged.Last).ShouldBe((daily.LastAt, daily.Last));
        merged.Start.ShouldBe(daily.Start);
    }

    [Fact]
    public async Task Refuses_a_bucket_that_is_not_whole_milliseconds_and_an_offset_outside_the_bucket()
    {
        var store = await OpenStoreAsync();
        var power = Key("meter-1", "power");
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AggregateAsync([power], Day, Day.AddDays(1), TimeSpan.Zero, TimeSpan.Zero, CancellationToken.None));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AggregateAsync([power], Day, Day.AddDays(1), TimeSpan.FromTicks(15_000), TimeSpan.Zero, CancellationToken.None));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AggregateAsync([power], Day, Day.AddDays(1), TimeSpan.FromHours(1), TimeSpan.FromHours(1), CancellationToken.None));
    }
}

/// <summary>The contract on the embedded engine, one fresh folder per test.</summary>
public sealed class EmbeddedTelemetryStoreContractTests : TelemetryStoreContractTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tsdb-contract-").FullName;
    private EmbeddedTelemetryStore? _store;

    protected override Task<ITelemetryStore> OpenStoreAsync() => Task.FromResult<ITelemetryStore>(_store ??= new EmbeddedTelemetryStore(_dir));

    public void Dispose()
    {
        _store?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
