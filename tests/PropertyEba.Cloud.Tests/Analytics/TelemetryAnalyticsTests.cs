using PropertyEba.Cloud.Analytics;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Analytics;

/// <summary>Aggregates and consumption over the embedded store, checked against answers worked out by hand.</summary>
public sealed class TelemetryAnalyticsTests : IDisposable
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private readonly string _dir = Directory.CreateTempSubdirectory("analytics-").FullName;
    private readonly EmbeddedTelemetryStore _store;
    private readonly TelemetryAnalytics _analytics;

    public TelemetryAnalyticsTests()
    {
        _store = new EmbeddedTelemetryStore(_dir);
        _analytics = new TelemetryAnalytics(_store);
    }

    private static ResolvedSeries Series(string device, string? building, string? location, string point = "energy") =>
        new(new SeriesKey("t", "estate-1", device, point), building, location, Shanghai, "kWh");

    [Fact]
    public async Task Monthly_consumption_in_Shanghai_matches_the_hand_computed_totals_across_a_reset_and_a_rollover()
    {
        // Readings every 15 min from 2026-01-25 00:00Z to 2026-03-05 00:00Z (exclusive).
        // Meter A: starts at 1,000, 2 kWh/h, except 10 kWh/h from 2026-01-31 16:00Z to 24:00Z, which is
        //   00:00–08:00 on 1 February in Shanghai; resets to 0 at 2026-02-10 03:00Z and counts on from there.
        // Meter B: starts at 9,000, 3 kWh/h, on a 10,000 register: it wraps on 7 February.
        // By hand, local months (Shanghai):
        //   January (from 25 Jan 00:00Z to 31 Jan 16:00Z, 160 h): A 160 × 2 = 320, B 160 × 3 = 480 → 800.
        //   February (28 × 24 h): A 1,344 + 8 h × (10 − 2) = 1,408, B 2,016 → 3,424.
        //   March (28 Feb 16:00Z to the last reading at 4 Mar 23:45Z, 103.75 h): A 207.5, B 311.25 → 518.75.
        var a = Series("meter-a", "b1", "room-1");
        var b = Series("meter-b", "b2", "room-2");
        var start = new DateTimeOffset(2026, 1, 25, 0, 0, 0, TimeSpan.Zero);
        var boostFrom = new DateTimeOffset(2026, 1, 31, 16, 0, 0, TimeSpan.Zero);
        var reset = new DateTimeOffset(2026, 2, 10, 3, 0, 0, TimeSpan.Zero);
        double va = 1_000, vb = 9_000;
        var samples = new List<SeriesSample>();
        for (var t = start; t < new DateTimeOffset(2026, 3, 5, 0, 0, 0, TimeSpan.Zero); t = t.AddMinutes(15))
        {
            samples.Add(new(a.Key, new StoredSample(t.ToUnixTimeMilliseconds(), va, 0)));
            samples.Add(new(b.Key, new StoredSample(t.ToUnixTimeMilliseconds(), vb, 0)));
            va = t == reset ? 0 : va;
            va += t >= boostFrom && t < boostFrom.AddHours(8) ? 2.5 : 0.5;
            vb = (vb + 0.75) % 10_000;
        }

        await _store.AppendAsync(samples, CancellationToken.None);
        var query = new WindowQuery(WindowKind.Month, TimeSpan.Zero, GroupBy.Site, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.FromHours(8)));

        var rows = await _analytics.ConsumptionAsync([a, b], query, new CounterRules(10_000), CancellationToken.None);

        rows.Select(r => r.LocalStart.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(["2026-01", "2026-02", "2026-03"]);
        rows.Select(r => r.Consumption).ShouldBe([800, 3_424, 518.75], tolerance: 1e-6);
        rows.ShouldAllBe(r => r.Group == "estate-1" && r.Series == 2 && r.Unit == "kWh");

        var byDevice = await _analytics.ConsumptionAsync([a, b], query with { GroupBy = GroupBy.Device }, new CounterRules(10_000), CancellationToken.None);
        byDevice.Where(r => r.Group == "estate-1/meter-a").Select(r => r.Consumption).ShouldBe([320, 1_408, 207.5], tolerance: 1e-6);
        byDevice.Where(r => r.Group == "estate-1/meter-b").Select(r => r.Consumption).ShouldBe([480, 2_016, 311.25], tolerance: 1e-6);
    }

    [Fact]
    public async Task Daily_aggregates_merge_series_per_building_on_the_site_clock()
    {
        // Two rooms in building b1, one in b2; one reading per local hour over two local days.
        var s1 = Series("pump-1", "b1", "room-1", "pressure");
        var s2 = Series("pump-2", "b1", "room-2", "pressure");
        var s3 = Series("pump-3", "b2", "room-3", "pressure");
        var day1 = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var samples = new List<SeriesSample>();
        for (var h = 0; h < 48; h++)
        {
            var t = day1.AddHours(h).ToUnixTimeMilliseconds();
            samples.Add(new(s1.Key, new StoredSample(t, h, 0)));
            samples.Add(new(s2.Key, new StoredSample(t, 100 + h, 0)));
            samples.Add(new(s3.Key, new StoredSample(t, -h, 0)));
        }

        await _store.AppendAsync(samples, CancellationToken.None);
        var rows = await _analytics.AggregateAsync([s1, s2, s3], new WindowQuery(WindowKind.Day, TimeSpan.Zero, GroupBy.Building, day1, day1.AddDays(2)), CancellationToken.None);

        rows.Select(r => (r.Group, r.LocalStart.Day)).ShouldBe([("estate-1/b1", 1), ("estate-1/b1", 2), ("estate-1/b2", 1), ("estate-1/b2", 2)]);
        var b1Day1 = rows[0];
        b1Day1.Series.ShouldBe(2);
        b1Day1.Count.ShouldBe(48);
        b1Day1.Min.ShouldBe(0);
        b1Day1.Max.ShouldBe(123);
        b1Day1.Mean.ShouldBe((Enumerable.Range(0, 24).Sum() + Enumerable.Range(100, 24).Sum()) / 48.0);
        b1Day1.First.ShouldBe(0, "both series start at 00:00 local; the first one listed wins a tie");
        rows[1].Last.ShouldBe(147);
        rows[3].Min.ShouldBe(-47);
        rows[3].Max.ShouldBe(-24);
    }

    [Fact]
    public async Task A_window_without_samples_is_a_row_with_count_zero()
    {
        var s = Series("pump-1", null, null, "pressure");
        var day1 = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
        await _store.AppendAsync([new(s.Key, new StoredSample(day1.AddHours(30).ToUnixTimeMilliseconds(), 5, 0))], CancellationToken.None);

        var rows = await _analytics.AggregateAsync([s], new WindowQuery(WindowKind.Fixed, TimeSpan.FromHours(6), GroupBy.Location, day1, day1.AddDays(2)), CancellationToken.None);

        rows.Count.ShouldBe(8);
        rows.ShouldAllBe(r => r.Group == "estate-1/-");
        rows.Where(r => r.Count > 0).ShouldHaveSingleItem().LocalStart.ShouldBe(day1.AddHours(30));
        rows[0].Mean.ShouldBeNull();
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
