using PropertyEba.Cloud.Analytics;

namespace PropertyEba.Cloud.Tests.Analytics;

public sealed class CalendarWindowsTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void Months_in_Shanghai_start_at_16_00_UTC_the_day_before_and_the_range_is_widened_to_whole_months()
    {
        var windows = CalendarWindows.Build(Shanghai, WindowKind.Month, TimeSpan.Zero, new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

        windows.Select(w => w.Start).ShouldBe([
            new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 1, 31, 16, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 2, 28, 16, 0, 0, TimeSpan.Zero),
        ]);
        windows[^1].End.ShouldBe(new DateTimeOffset(2026, 3, 31, 16, 0, 0, TimeSpan.Zero));
        windows[1].LocalStart.ShouldBe(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.FromHours(8)));
        windows[1].LocalStart.Offset.ShouldBe(TimeSpan.FromHours(8));
    }

    [Fact]
    public void Weeks_start_on_Monday_on_the_site_clock()
    {
        // 2026-03-11 is a Wednesday; its week begins on Monday 2026-03-09 00:00 +08:00.
        var windows = CalendarWindows.Build(Shanghai, WindowKind.Week, TimeSpan.Zero, new DateTimeOffset(2026, 3, 11, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 17, 0, 0, 0, TimeSpan.Zero));

        windows.Select(w => w.LocalStart.DateTime).ShouldBe([new DateTime(2026, 3, 9), new DateTime(2026, 3, 16)]);
        windows.ShouldAllBe(w => w.End - w.Start == TimeSpan.FromDays(7));
    }

    [Fact]
    public void A_daylight_saving_day_is_23_hours_and_the_autumn_one_25()
    {
        var spring = CalendarWindows.Build(Berlin, WindowKind.Day, TimeSpan.Zero, new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2026, 3, 29, 12, 0, 0, TimeSpan.FromHours(2)));
        var autumn = CalendarWindows.Build(Berlin, WindowKind.Day, TimeSpan.Zero, new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 10, 25, 12, 0, 0, TimeSpan.FromHours(1)));

        spring.ShouldHaveSingleItem().End.Subtract(spring[0].Start).ShouldBe(TimeSpan.FromHours(23));
        autumn.ShouldHaveSingleItem().End.Subtract(autumn[0].Start).ShouldBe(TimeSpan.FromHours(25));
    }

    [Fact]
    public void Fixed_windows_run_on_a_grid_from_the_local_midnight()
    {
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");
        var windows = CalendarWindows.Build(kolkata, WindowKind.Fixed, TimeSpan.FromHours(1), new DateTimeOffset(2026, 3, 1, 10, 10, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

        // 10:10 UTC is 15:40 local; the local hour began at 09:30 UTC.
        windows.Select(w => w.Start.TimeOfDay).ShouldBe([new TimeSpan(9, 30, 0), new TimeSpan(10, 30, 0), new TimeSpan(11, 30, 0)]);
    }
}
