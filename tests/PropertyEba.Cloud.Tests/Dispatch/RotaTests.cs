using PropertyEba.Cloud.Dispatch;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Dispatch;

/// <summary>Who is on call, in the site's time zone (Asia/Shanghai, +08:00, and Europe/Berlin across a DST change).</summary>
public sealed class RotaTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly int Weekdays = Rota.DaysFrom([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);

    // Day shift 08:00–20:00 on weekdays (王), night shift 20:00 + 12 h every day (李: crosses midnight).
    private static readonly Shift[] Shifts =
    [
        new("wang", Weekdays, new TimeOnly(8, 0), TimeSpan.FromHours(12)),
        new("li", Rota.EveryDay, new TimeOnly(20, 0), TimeSpan.FromHours(12)),
    ];

    private static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(7, 8, 0, "wang")] // Monday 08:00: the day shift starts (inclusive)
    [InlineData(7, 19, 59, "wang")]
    [InlineData(7, 20, 0, "li")] // the day shift ends (exclusive), the night shift starts
    [InlineData(8, 3, 0, "li")] // Tuesday 03:00 is Monday's night shift, after midnight
    [InlineData(8, 7, 59, "li")]
    [InlineData(6, 12, 0, null)] // Sunday noon: no day shift at weekends, the night shift has ended
    [InlineData(7, 7, 0, "li")] // Monday 07:00: Sunday's night shift
    public void On_call_follows_the_shifts_in_the_sites_time_zone(int day, int hour, int minute, string? expected)
    {
        var onCall = Rota.OnCall(Shifts, [], Local(day, hour, minute).ToUniversalTime(), Shanghai);
        if (expected is null)
        {
            onCall.ShouldBeEmpty();
        }
        else
        {
            onCall.ShouldBe([expected]);
        }
    }

    [Fact]
    public void The_same_instant_is_a_different_shift_in_another_time_zone()
    {
        // 2026-12-07 01:00 UTC is Monday 09:00 in Shanghai (day shift) but Monday 02:00 in Berlin (Sunday's night shift).
        var instant = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
        Rota.OnCall(Shifts, [], instant, Shanghai).ShouldBe(["wang"]);
        Rota.OnCall(Shifts, [], instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).ShouldBe(["li"]);
    }

    [Fact]
    public void An_override_replaces_the_shifts_only_inside_its_window()
    {
        Override[] sick = [new("zhang", Local(7, 12).ToUniversalTime(), Local(7, 18).ToUniversalTime())];
        Rota.OnCall(Shifts, sick, Local(7, 11, 59), Shanghai).ShouldBe(["wang"]);
        Rota.OnCall(Shifts, sick, Local(7, 12), Shanghai).ShouldBe(["zhang"]);
        Rota.OnCall(Shifts, sick, Local(7, 17, 59), Shanghai).ShouldBe(["zhang"]);
        Rota.OnCall(Shifts, sick, Local(7, 18), Shanghai).ShouldBe(["wang"]);
    }

    [Fact]
    public void A_shift_starting_in_a_skipped_hour_starts_after_the_gap()
    {
        // Berlin skips 02:00–03:00 on 2027-03-28: a 02:30 start becomes 03:00 local (01:00 UTC).
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Shift[] early = [new("early", Rota.EveryDay, new TimeOnly(2, 30), TimeSpan.FromHours(1))];
        Rota.OnCall(early, [], new DateTimeOffset(2027, 3, 28, 0, 45, 0, TimeSpan.Zero), berlin).ShouldBeEmpty();
        Rota.OnCall(early, [], new DateTimeOffset(2027, 3, 28, 1, 0, 0, TimeSpan.Zero), berlin).ShouldBe(["early"]);
    }

    [Fact]
    public void Routing_prefers_the_estates_own_team_with_the_skill_and_priority_then_the_mobile_team()
    {
        RoutableTeam[] teams =
        [
            new("mtu", ["harbour", "riverside"], ["electrical", "plumbing"], [], Mobile: true),
            new("harbour-elec", ["harbour"], ["electrical"], [], Mobile: false),
            new("harbour-night", ["harbour"], ["electrical"], [Severity.Emergency], Mobile: false),
            new("riverside", ["riverside"], ["electrical"], [], Mobile: false),
        ];
        Routing.Candidates(teams, "harbour", "electrical", Severity.Urgent).Select(t => t.TeamId).ShouldBe(["harbour-elec", "mtu"]);
        Routing.Candidates(teams, "harbour", "electrical", Severity.Emergency).Select(t => t.TeamId).ShouldBe(["harbour-elec", "harbour-night", "mtu"]);
        Routing.Candidates(teams, "harbour", "PLUMBING", Severity.Normal).Select(t => t.TeamId).ShouldBe(["mtu"]);
        Routing.Candidates(teams, "harbour", null, Severity.Normal).Select(t => t.TeamId).ShouldBe(["harbour-elec", "mtu"]);
        Routing.Candidates(teams, "hilltop", null, Severity.Normal).ShouldBeEmpty();
    }
}
