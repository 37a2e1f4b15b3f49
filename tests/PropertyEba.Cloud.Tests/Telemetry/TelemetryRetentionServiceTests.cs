using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Telemetry;

public sealed class TelemetryRetentionServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retention-").FullName;

    [Fact]
    public async Task A_round_rolls_up_through_yesterday_and_drops_raw_samples_past_each_tenants_period()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 3, 0, 0, TimeSpan.Zero));
        using var store = new EmbeddedTelemetryStore(_dir);
        var a = new SeriesKey("tenant-a", "s", "m", "energy");
        var b = new SeriesKey("tenant-b", "s", "m", "energy");
        var old = new DateTimeOffset(2026, 4, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var today = time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.AppendAsync([new(a, new StoredSample(old, 1, 0)), new(b, new StoredSample(old, 2, 0)), new(a, new StoredSample(today, 3, 0))], CancellationToken.None);
        var options = Options.Create(new TelemetryRetentionOptions { RawDays = 90, TenantRawDays = { ["tenant-a"] = 7 } });
        var service = new TelemetryRetentionService(store, options, time, NullLogger<TelemetryRetentionService>.Instance);

        var (rolledUp, dropped) = await service.RunOnceAsync(CancellationToken.None);

        rolledUp.ShouldBe(1, "1 April has a file; today (1 May) is not finished");
        dropped.ShouldBe(1, "tenant-a keeps 7 days of raw samples, tenant-b 90");
        store.RolledUpThrough.ShouldBe(new DateOnly(2026, 4, 30));
        (await store.QueryAsync(a, DateTimeOffset.FromUnixTimeMilliseconds(old), time.GetUtcNow().AddHours(1), 10, CancellationToken.None)).Select(s => s.Value).ShouldBe([3.0]);
        (await store.QueryAsync(b, DateTimeOffset.FromUnixTimeMilliseconds(old), time.GetUtcNow(), 10, CancellationToken.None)).Select(s => s.Value).ShouldBe([2.0]);
        var daily = await store.AggregateAsync([a], new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromDays(1), TimeSpan.Zero, CancellationToken.None);
        daily.ShouldHaveSingleItem().Sum.ShouldBe(1, "the hourly rollup still answers for the dropped raw sample");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
