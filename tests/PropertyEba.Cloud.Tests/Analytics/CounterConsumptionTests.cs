using PropertyEba.Cloud.Analytics;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Analytics;

public sealed class CounterConsumptionTests
{
    private static readonly SeriesKey Meter = new("t", "s", "meter-1", "energy");
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private static BucketAggregate Reading(double minutes, double value) => BucketAggregate.Of(Meter, T0.AddMinutes(minutes), T0.AddMinutes(minutes), value);

    private static readonly TimeWindow[] Hours = [.. Enumerable.Range(0, 6).Select(h => new TimeWindow(T0.AddHours(h), T0.AddHours(h + 1), T0.AddHours(h)))];

    [Fact]
    public void A_rollover_counts_the_rest_of_the_register_and_the_new_value()
    {
        CounterConsumption.Step(999_990, 15, new CounterRules(1_000_000)).ShouldBe(25);
    }

    [Fact]
    public void A_drop_to_near_zero_without_a_register_size_is_a_meter_reset_that_counts_the_new_value()
    {
        CounterConsumption.Step(52_310.5, 3.5, CounterRules.Default).ShouldBe(3.5);

        // With a register size, a drop from low in the register is still a reset, not a wrap.
        CounterConsumption.Step(1_200, 4, new CounterRules(1_000_000)).ShouldBe(4);
    }

    [Fact]
    public void A_small_step_back_is_a_correction_that_counts_nothing()
    {
        CounterConsumption.Step(1_000, 999.8, CounterRules.Default).ShouldBe(0);
        CounterConsumption.Step(1_000, 1_002.5, CounterRules.Default).ShouldBe(2.5);
    }

    [Fact]
    public void A_bucket_with_a_reset_inside_counts_up_to_the_reset_and_after_it()
    {
        // 100 → 120 (20), reset to 0, then 0 → 7 (7): FIRST 100, MAX 120, MIN 0, LAST 7.
        var bucket = new BucketAggregate(Meter, T0, 6, 0, 0, 120, T0, 100, T0.AddMinutes(50), 7);
        CounterConsumption.WithinBucket(bucket, CounterRules.Default).ShouldBe(27);
    }

    [Fact]
    public void A_bucket_with_a_rollover_inside_counts_across_the_wrap()
    {
        // 9,990 → 9,998 (8), wraps at 10,000 (2), 1 → 6 (1 + 5): FIRST 9,990, MAX 9,998, MIN 1, LAST 6.
        var bucket = new BucketAggregate(Meter, T0, 6, 0, 1, 9_998, T0, 9_990, T0.AddMinutes(50), 6);
        CounterConsumption.WithinBucket(bucket, new CounterRules(10_000)).ShouldBe(16);
    }

    [Fact]
    public void A_gap_across_window_boundaries_is_spread_in_proportion_to_time_and_the_total_is_kept()
    {
        // Readings at 0:30 (100) and 3:30 (160): 60 consumed over three hours of gap, 10 in the first half hour,
        // 20 in each of the next two hours, 10 in the last half hour; then 3:30 → 3:45 adds 5.
        var totals = CounterConsumption.PerWindow([Reading(30, 100), Reading(210, 160), Reading(225, 165)], Hours, CounterRules.Default);
        totals.ShouldBe([10, 20, 20, 15, 0, 0], tolerance: 1e-9);
        totals.Sum().ShouldBe(65, 1e-9);
    }

    [Fact]
    public void Consumption_before_the_first_and_after_the_last_window_is_left_out()
    {
        var totals = CounterConsumption.PerWindow([Reading(-30, 0), Reading(30, 60), Reading(390, 420)], Hours, CounterRules.Default);

        // -0:30 → 0:30: half (30) inside hour 0; 0:30 → 6:30: 360 over 6 h, 60 per hour, the last half hour outside.
        totals.ShouldBe([60, 60, 60, 60, 60, 60], tolerance: 1e-9);
    }

    [Fact]
    public void A_reset_between_buckets_counts_only_what_came_after_it()
    {
        var totals = CounterConsumption.PerWindow([Reading(10, 500), Reading(20, 510), Reading(70, 2), Reading(80, 5)], Hours, CounterRules.Default);
        totals.ShouldBe([10 + (2 * 40.0 / 50), 2 * 10.0 / 50 + 3, 0, 0, 0, 0], tolerance: 1e-9);
    }
}
