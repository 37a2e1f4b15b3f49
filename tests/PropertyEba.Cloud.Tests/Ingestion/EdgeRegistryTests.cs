using Microsoft.Extensions.Time.Testing;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Tests.Ingestion;

public sealed class EdgeRegistryTests
{
    private static readonly TopicAddress Edge = new("t", "s", "e", MqttTopics.Status);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));

    private static EdgeStatus Status(EdgeState state) => new() { Schema = 1, EdgeId = "e", State = state, TimestampUtcMs = 0 };

    [Fact]
    public void Birth_makes_the_site_online_and_the_last_will_offline()
    {
        var registry = new EdgeRegistry(_time);
        registry.Update(Edge, Status(EdgeState.Online));
        registry.IsSiteOnline("t", "s").ShouldBeTrue();
        registry.Update(Edge, Status(EdgeState.Offline));
        registry.IsSiteOnline("t", "s").ShouldBeFalse();
        registry.IsSiteOnline("t", "other").ShouldBeFalse();
    }

    [Fact]
    public void Telemetry_after_a_late_last_will_shows_the_edge_online()
    {
        var registry = new EdgeRegistry(_time);
        registry.Update(Edge, Status(EdgeState.Online));
        registry.Update(Edge, Status(EdgeState.Offline)); // the old connection's will, published after the new birth
        _time.Advance(TimeSpan.FromSeconds(1));
        registry.TelemetryReceived(Edge);
        registry.IsSiteOnline("t", "s").ShouldBeTrue();
    }

    [Fact]
    public void Telemetry_older_than_the_offline_status_or_stale_does_not_count()
    {
        var registry = new EdgeRegistry(_time);
        registry.TelemetryReceived(Edge);
        _time.Advance(TimeSpan.FromSeconds(1));
        registry.Update(Edge, Status(EdgeState.Offline));
        registry.IsSiteOnline("t", "s").ShouldBeFalse();

        var quiet = new EdgeRegistry(_time);
        quiet.TelemetryReceived(Edge);
        _time.Advance(EdgeRegistry.TelemetryLiveness);
        quiet.IsSiteOnline("t", "s").ShouldBeFalse();
    }
}
