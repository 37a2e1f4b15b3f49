namespace PropertyEba.Cloud.Dispatch;

/// <summary>A shift as the rota resolution sees it: days it starts on (bit per <see cref="DayOfWeek"/>), local start, duration.</summary>
public sealed record Shift(string UserName, int Days, TimeOnly Start, TimeSpan Duration);

/// <summary>Someone on call instead of the shifts, between two instants.</summary>
public sealed record Override(string UserName, DateTimeOffset FromUtc, DateTimeOffset ToUtc);

/// <summary>
/// Who is on call at an instant. Pure. Shifts are in the site's local time (a night shift 22:00 + 10 h belongs to the
/// day it starts on, so Monday's covers Tuesday 03:00); an override in force replaces the shifts for its window.
/// </summary>
public static class Rota
{
    public const int EveryDay = 0b111_1111;

    public static IReadOnlyList<string> OnCall(IEnumerable<Shift> shifts, IEnumerable<Override> overrides, DateTimeOffset instant, TimeZoneInfo zone)
    {
        var overriding = overrides.Where(o => o.FromUtc <= instant && instant < o.ToUtc).Select(o => o.UserName).Distinct(StringComparer.Ordinal).ToList();
        if (overriding.Count > 0)
        {
            return overriding;
        }

        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var onCall = new List<string>();
        foreach (var shift in shifts)
        {
            // A shift that started up to its duration ago (in whole days, plus today) may still be running.
            var daysBack = (int)Math.Ceiling(shift.Duration.TotalDays);
            for (var back = 0; back <= daysBack; back++)
            {
                var day = DateOnly.FromDateTime(local.Date).AddDays(-back);
                if ((shift.Days & (1 << (int)day.DayOfWeek)) == 0)
                {
                    continue;
                }

                var start = StartInstant(day.ToDateTime(shift.Start), zone);
                if (start <= instant && instant < start + shift.Duration && !onCall.Contains(shift.UserName))
                {
                    onCall.Add(shift.UserName);
                }
            }
        }

        return onCall;
    }

    // A local start time that does not exist (skipped by a daylight-saving change) starts at the first instant after the gap.
    private static DateTimeOffset StartInstant(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The day mask from day names (Mon, Tue … or "daily").</summary>
    public static int DaysFrom(IEnumerable<DayOfWeek> days) => days.Aggregate(0, (mask, d) => mask | (1 << (int)d));
}
