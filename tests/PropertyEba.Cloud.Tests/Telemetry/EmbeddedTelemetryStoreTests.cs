using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Telemetry;

public sealed class EmbeddedTelemetryStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tsdb-").FullName;
    private static readonly SeriesKey Level = new("t", "s", "tank-1", "level");
    private static readonly SeriesKey Pressure = new("t", "s", "pumps-1", "outletPressure");
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Returns_one_series_in_time_order_across_days_and_after_reopening()
    {
        var t0 = Day.ToUnixTimeMilliseconds();
        using (var store = new EmbeddedTelemetryStore(_dir))
        {
            await store.AppendAsync([new(Level, new StoredSample(t0 + 2000, 1.2, 0)), new(Pressure, new StoredSample(t0 + 2000, 350, 0))], CancellationToken.None);
            await store.AppendAsync([new(Level, new StoredSample(t0 - 1000, 1.0, 0)), new(Level, new StoredSample(t0 + 86_400_000, null, 2))], CancellationToken.None);
        }

        using var reopened = new EmbeddedTelemetryStore(_dir);
        var samples = await reopened.QueryAsync(Level, Day.AddDays(-1), Day.AddDays(2), 100, CancellationToken.None);
        samples.Select(s => s.TimestampUtcMs).ShouldBe([t0 - 1000, t0 + 2000, t0 + 86_400_000]);
        samples[2].Value.ShouldBeNull();
        samples[2].Quality.ShouldBe((byte)2);
        reopened.SeriesCount.ShouldBe(2);
    }

    [Fact]
    public async Task Range_is_half_open_and_limit_keeps_the_newest()
    {
        var t0 = Day.ToUnixTimeMilliseconds();
        using var store = new EmbeddedTelemetryStore(_dir);
        await store.AppendAsync([.. Enumerable.Range(0, 10).Select(i => new SeriesSample(Level, new StoredSample(t0 + i * 1000, i, 0)))], CancellationToken.None);
        var window = await store.QueryAsync(Level, Day.AddSeconds(2), Day.AddSeconds(5), 100, CancellationToken.None);
        window.Select(s => s.Value).ShouldBe([2.0, 3.0, 4.0]);
        var newest = await store.QueryAsync(Level, Day, Day.AddMinutes(1), 3, CancellationToken.None);
        newest.Select(s => s.Value).ShouldBe([7.0, 8.0, 9.0]);
    }

    [Fact]
    public async Task Limit_keeps_the_newest_even_when_they_were_written_first_across_many_reads_and_days()
    {
        // 20,000 samples, newest written first, over two day files: more than one 4,096-record read
        // each, so the store has to trim while scanning and still return exactly the newest, in order.
        var t0 = Day.ToUnixTimeMilliseconds();
        using var store = new EmbeddedTelemetryStore(_dir);
        await store.AppendAsync([.. Enumerable.Range(0, 20_000).Reverse().Select(i => new SeriesSample(Level, new StoredSample(t0 + i * 10_000L, i, 0)))], CancellationToken.None);
        var newest = await store.QueryAsync(Level, Day, Day.AddDays(3), 5, CancellationToken.None);
        newest.Select(s => s.Value).ShouldBe([19_995.0, 19_996.0, 19_997.0, 19_998.0, 19_999.0]);
    }

    [Fact]
    public async Task Unknown_series_is_empty()
    {
        using var store = new EmbeddedTelemetryStore(_dir);
        (await store.QueryAsync(new SeriesKey("x", "y", "z", "w"), Day, Day.AddDays(1), 10, CancellationToken.None)).ShouldBeEmpty();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
