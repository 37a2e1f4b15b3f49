namespace PropertyEba.Cloud.Analytics;

/// <summary>One window of a query: [Start, End) in UTC, and where it starts on the site's clock.</summary>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End, DateTimeOffset LocalStart);

/// <summary>How a query cuts time: fixed intervals, or the site's calendar days, weeks (Monday first) and months.</summary>
public enum WindowKind
{
    Fixed,
    Day,
    Week,
    Month,
}

/// <summary>Builds windows on a site's clock, so a "day" in Asia/Shanghai is 16:00–16:00 UTC and a DST day is 23 or 25 h long.</summary>
public static class CalendarWindows
{
    /// <summary>
    /// The windows that cover [from, to): calendar windows are whole local periods (the range is widened to the period that
    /// holds <paramref name="from"/> and the one that holds the last instant before <paramref name="to"/>); fixed windows
    /// are <paramref name="interval"/> wide on a grid that starts at a local midnight, so hours are the site's hours.
    /// </summary>
    public static IReadOnlyList<TimeWindow> Build(TimeZoneInfo zone, WindowKind kind, TimeSpan interval, DateTimeOffset from, DateTimeOffset to)
    {
        var windows = new List<TimeWindow>();
        if (to <= from)
        {
            return windows;
        }

        if (kind == WindowKind.Fixed)
        {
            var origin = LocalMidnight(zone, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime));
            var skip = (long)Math.Floor((from - origin).Ticks / (double)interval.Ticks);
            for (var start = origin + (skip * interval); start < to; start += interval)
            {
                windows.Add(new TimeWindow(start, start + interval, TimeZoneInfo.ConvertTime(start, zone)));
            }

            return windows;
        }

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        day = kind switch
        {
            WindowKind.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            WindowKind.Month => new DateOnly(day.Year, day.Month, 1),
            _ => day,
        };
        var windowStart = LocalMidnight(zone, day);
        while (windowStart < to)
        {
            var next = kind switch
            {
                WindowKind.Week => day.AddDays(7),
                WindowKind.Month => day.AddMonths(1),
                _ => day.AddDays(1),
            };
            var windowEnd = LocalMidnight(zone, next);
            windows.Add(new TimeWindow(windowStart, windowEnd, TimeZoneInfo.ConvertTime(windowStart, zone)));
            (day, windowStart) = (next, windowEnd);
        }

        return windows;
    }

    /// <summary>The instant a local date begins; where midnight does not exist (a DST gap) the first local time after it.</summary>
    public static DateTimeOffset LocalMidnight(TimeZoneInfo zone, DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        // An ambiguous midnight (clocks went back to it) begins at its first occurrence: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
