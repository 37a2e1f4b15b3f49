using PropertyEba.Cloud.Dashboard;

namespace PropertyEba.Cloud.Tests.Notifications;

public sealed class GeofenceTests
{
    [Fact]
    public void Distance_matches_a_known_great_circle_and_the_fence_forgives_at_most_50_m_of_inaccuracy()
    {
        // One thousandth of a degree of latitude is 111.2 m anywhere.
        var d = Geofence.DistanceM(31.2304, 121.4737, 31.2314, 121.4737);
        d.ShouldBe(111.2, 0.2);

        Geofence.IsInside(140, 150, 5).ShouldBeTrue();
        Geofence.IsInside(160, 150, 5).ShouldBeFalse();
        Geofence.IsInside(190, 150, 45).ShouldBeTrue("a 45 m fix may be 40 m off");
        Geofence.IsInside(300, 150, 2000).ShouldBeFalse("a poor fix must not let anyone arrive from across town");
    }
}
