using System.Text;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Tests.Ingestion;

public sealed class EdgeEventPayloadParserTests
{
    private static readonly TopicAddress Topic = new("demo", "site-1", "edge-1", "events");
    private const long Now = 1_790_000_000_000;

    private static (EdgeEvent? Event, string? Error) Parse(string json) => EdgeEventPayloadParser.Parse(Encoding.UTF8.GetBytes(json), Topic, Now);

    [Fact]
    public void Accepts_a_valid_v1_event()
    {
        var (ev, error) = Parse($$"""{"schema":1,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"meter-1","detail":"timeout","timestampUtcMs":{{Now - 1000}}}""");
        error.ShouldBeNull();
        ev!.Kind.ShouldBe(EdgeEventKinds.DeviceCommLost);
        ev.DeviceId.ShouldBe("meter-1");
        ev.TimestampUtcMs.ShouldBe(Now - 1000);
    }

    [Theory]
    [InlineData("", "not a v1 event")]
    [InlineData("[1,2,3]", "not a v1 event")]
    [InlineData("null", "null or names another edge")]
    [InlineData("""{"schema":1,"edgeId":"edge-9","kind":"device-comm-lost","deviceId":"d","timestampUtcMs":1790000000000}""", "names another edge")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"bad device/#","timestampUtcMs":1790000000000}""", "not a valid device id")]
    // Found by PayloadFuzzTests: events were accepted whatever their schema and time. A comm event from the year 2300
    // made every later, true event of that device "out of order", so its communication alarm could never clear.
    [InlineData("""{"schema":2,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"d","timestampUtcMs":1790000000000}""", "event schema 2 is not supported")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"d","timestampUtcMs":10471000000000}""", "outside 2020-01-01")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"d","timestampUtcMs":9223372036854775807}""", "outside 2020-01-01")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","kind":"device-comm-lost","deviceId":"d","timestampUtcMs":0}""", "outside 2020-01-01")]
    public void Rejects_a_bad_event_with_a_reason(string json, string expectedReason)
    {
        var (ev, error) = Parse(json);
        ev.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain(expectedReason);
    }

    [Fact]
    public void Accepts_an_event_up_to_an_hour_ahead_of_the_clock_and_no_further()
    {
        Parse($$"""{"schema":1,"edgeId":"edge-1","kind":"buffer-overflow","timestampUtcMs":{{Now + 3_600_000}}}""").Error.ShouldBeNull();
        Parse($$"""{"schema":1,"edgeId":"edge-1","kind":"buffer-overflow","timestampUtcMs":{{Now + 3_600_001}}}""").Error!.ShouldContain("now + 1 h");
    }
}
