using System.Text;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Cloud.Telemetry.InfluxDb;

namespace PropertyEba.Cloud.Tests.Telemetry;

public sealed class LineProtocolTests
{
    private static string Line(SeriesKey key, double? value, byte quality = 0, long ts = 1_700_000_000_123) =>
        Encoding.UTF8.GetString(InfluxDbTelemetryStore.ToLineProtocol([new SeriesSample(key, new StoredSample(ts, value, quality))]));

    [Fact]
    public void Writes_sorted_tags_value_time_ms_and_quality_with_a_millisecond_timestamp()
    {
        Line(new SeriesKey("demo", "sunny-garden", "pump-1", "outletPressure"), 3.25, 1)
            .ShouldBe("telemetry,device=pump-1,point=outletPressure,site=sunny-garden,tenant=demo value=3.25,time_ms=1700000000123i,quality=1i 1700000000123\n");
    }

    [Fact]
    public void Escapes_commas_equals_signs_and_spaces_in_tag_values()
    {
        Line(new SeriesKey("a,b", "c=d", "e f", "g,h=i j"), 1)
            .ShouldStartWith(@"telemetry,device=e\ f,point=g\,h\=i\ j,site=c\=d,tenant=a\,b value=1,");
    }

    [Fact]
    public void Keeps_unicode_tag_values_as_utf8()
    {
        var bytes = InfluxDbTelemetryStore.ToLineProtocol([new SeriesSample(new SeriesKey("物业", "阳光花园", "水泵 1", "压力"), new StoredSample(0, 1, 0))]);
        Encoding.UTF8.GetString(bytes).ShouldStartWith(@"telemetry,device=水泵\ 1,point=压力,site=阳光花园,tenant=物业 ");
    }

    [Fact]
    public void A_sample_without_value_keeps_only_its_quality()
    {
        Line(new SeriesKey("t", "s", "d", "p"), null, 2, 5).ShouldBe("telemetry,device=d,point=p,site=s,tenant=t quality=2i 5\n");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Refuses_values_line_protocol_cannot_express(double value)
    {
        var ex = Should.Throw<ArgumentException>(() => Line(new SeriesKey("t", "s", "d", "p"), value));
        ex.Message.ShouldContain("finite");
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("")]
    [InlineData(@"ends\")]
    public void Refuses_tag_values_line_protocol_cannot_escape(string device)
    {
        Should.Throw<ArgumentException>(() => Line(new SeriesKey("t", "s", device, "p"), 1)).Message.ShouldContain("tag 'device'");
    }

    [Fact]
    public void Escapes_measurement_and_string_fields()
    {
        var line = new StringBuilder();
        LineProtocol.AppendMeasurement(line, "my measure,ment");
        line.Append(' ');
        LineProtocol.AppendFieldKey(line, "note key");
        line.Append('=');
        LineProtocol.AppendString(line, "say \"hi\" \\ bye");
        line.ToString().ShouldBe(@"my\ measure\,ment note\ key=""say \""hi\"" \\ bye""");
    }

    [Fact]
    public void Quotes_influxql_strings_and_identifiers()
    {
        InfluxDbClient.QuoteString(@"it's a \ test").ShouldBe(@"'it\'s a \\ test'");
        InfluxDbClient.QuoteIdentifier("my \"db\"").ShouldBe("\"my \\\"db\\\"\"");
    }
}

public sealed class LineChunkTests
{
    [Fact]
    public void Cuts_line_protocol_after_every_nth_line_and_keeps_every_byte()
    {
        var lines = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 7).Select(i => $"m v={i} {i}\n")));

        var chunks = InfluxDbTelemetryStore.LineChunks(lines, 3);

        chunks.Select(c => Encoding.UTF8.GetString(c.Span)).ShouldBe(["m v=0 0\nm v=1 1\nm v=2 2\n", "m v=3 3\nm v=4 4\nm v=5 5\n", "m v=6 6\n"]);
    }
}
