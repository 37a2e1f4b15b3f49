using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Components;

namespace PropertyEba.Cloud.Tests.Dashboard;

public sealed class SiteTimeZonesTests
{
    private static readonly DateTimeOffset Raised = new(2026, 11, 24, 10, 26, 51, TimeSpan.Zero);

    [Fact]
    public void Times_are_shown_on_the_site_wall_clock_not_the_server_zone()
    {
        var zones = new SiteTimeZones([Site("sunny-garden", "Asia/Shanghai"), Site("london", "Europe/London")]);
        Display.Time(Raised, zones.Of("sunny-garden")).ShouldBe("2026-11-24 18:26:51");
        Display.Time(Raised, zones.Of("london")).ShouldBe("2026-11-24 10:26:51");
        Display.Time(Raised.ToUnixTimeMilliseconds(), zones.Of("sunny-garden")).ShouldBe("18:26:51");
    }

    [Fact]
    public void Unknown_site_or_zone_falls_back_to_the_server_zone()
    {
        var zones = new SiteTimeZones([Site("odd", "Mars/Olympus_Mons")]);
        zones.Of("odd").ShouldBe(TimeZoneInfo.Local);
        zones.Of("missing").ShouldBe(TimeZoneInfo.Local);
        Display.Time((DateTimeOffset?)null, zones.Of("odd")).ShouldBe("—");
    }

    private static SiteDto Site(string id, string zone) => new("demo", id, id, null, zone, 0, 0, false);
}
