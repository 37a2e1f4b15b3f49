using System.Text;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Tests.Ingestion;

public sealed class TelemetryPayloadParserTests
{
    private static readonly TopicAddress Topic = new("demo", "site-1", "edge-1", "telemetry");
    private const long Now = 1_790_000_000_000;

    private static (TelemetryBatch? Batch, string? Error) Parse(string json) => TelemetryPayloadParser.Parse(Encoding.UTF8.GetBytes(json), Topic, Now);

    [Fact]
    public void Accepts_a_valid_v1_batch()
    {
        var (batch, error) = Parse($$"""{"schema":1,"edgeId":"edge-1","seq":42,"replayed":true,"sentUtcMs":{{Now}},"samples":[{"deviceId":"tank-1","pointId":"level","timestampUtcMs":{{Now - 5000}},"value":1.25,"quality":"good"},{"deviceId":"pumps-1","pointId":"pump1.running","timestampUtcMs":{{Now}},"quality":"bad"}]}""");
        error.ShouldBeNull();
        batch!.Seq.ShouldBe(42);
        batch.Replayed.ShouldBeTrue();
        batch.Samples.Count.ShouldBe(2);
        batch.Samples[1].Quality.ShouldBe(SampleQuality.Bad);
        batch.Samples[1].Value.ShouldBeNull();
    }

    [Theory]
    [InlineData("", "empty payload")]
    [InlineData("{", "not a v1 telemetry batch")]
    [InlineData("null", "JSON null")]
    [InlineData("""{"schema":2,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[]}""", "schema 2 is not supported")]
    [InlineData("""{"schema":1,"edgeId":"edge-9","seq":1,"sentUtcMs":1,"samples":[]}""", "does not match the topic")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":-1,"sentUtcMs":1,"samples":[]}""", "negative")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[]}""", "samples is empty")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1}""", "not a v1 telemetry batch")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{"deviceId":"a b","pointId":"p","timestampUtcMs":1790000000000,"value":1}]}""", "invalid deviceId")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{"deviceId":"d","pointId":"p","timestampUtcMs":12,"value":1}]}""", "outside 2020-01-01")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{"deviceId":"d","pointId":"p","timestampUtcMs":1790000000000}]}""", "quality good but no value")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{"deviceId":"d","pointId":"p","timestampUtcMs":1790000000000,"value":1,"quality":"excellent"}]}""", "not a v1 telemetry batch")]
    // Found by PayloadFuzzTests: the enum converter also read integers and numeric strings: 7 was stored as a quality no
    // reader knows, and "1" as uncertain. Only the names are the contract.
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{"deviceId":"d","pointId":"p","timestampUtcMs":1790000000000,"value":1,"quality":7}]}""", "not a v1 telemetry batch")]
    [InlineData("""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{"deviceId":"d","pointId":"p","timestampUtcMs":1790000000000,"value":1,"quality":"1"}]}""", "not a v1 telemetry batch")]
    public void Rejects_a_bad_payload_with_a_reason(string json, string expectedReason)
    {
        var (batch, error) = Parse(json);
        batch.ShouldBeNull();
        error.ShouldNotBeNull();
        error.ShouldContain(expectedReason);
    }

    [Fact]
    public void Rejects_more_samples_than_the_batch_limit()
    {
        var samples = string.Join(',', Enumerable.Range(0, TelemetryPayloadParser.MaxSamplesPerBatch + 1).Select(i => $$"""{"deviceId":"d","pointId":"p{{i}}","timestampUtcMs":{{Now}},"value":1}"""));
        Parse($$"""{"schema":1,"edgeId":"edge-1","seq":1,"sentUtcMs":1,"samples":[{{samples}}]}""").Error!.ShouldContain("exceed the limit");
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20261124);
        var buffer = new byte[256];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(buffer);
            var length = random.Next(buffer.Length);
            var (batch, error) = TelemetryPayloadParser.Parse(buffer.AsSpan(0, length), Topic, Now);
            (batch is null).ShouldBe(error is not null, $"seed 20261124, iteration {i}");
        }
    }
}
