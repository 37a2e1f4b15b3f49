using PropertyEba.Cloud.Telemetry;
using PropertyEba.Cloud.Telemetry.InfluxDb;

namespace PropertyEba.Cloud.Tests.Telemetry;

public sealed class TelemetryOptionsTests
{
    private static IEnumerable<string> Failures(TelemetryOptions options) =>
        new TelemetryOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Embedded_is_the_default_and_needs_no_influx_settings()
    {
        var options = new TelemetryOptions();
        options.EffectiveEngine.ShouldBe("embedded");
        Failures(options).ShouldBeEmpty();
    }

    [Fact]
    public void The_deprecated_Store_name_still_chooses_the_engine()
    {
        var options = new TelemetryOptions { Store = "influxdb", InfluxDb = new InfluxDbOptions { Url = "http://127.0.0.1:8086" } };
        options.EffectiveEngine.ShouldBe("influxdb");
        Failures(options).ShouldBeEmpty();
    }

    [Fact]
    public void Engine_and_Store_that_disagree_are_refused()
    {
        Failures(new TelemetryOptions { Engine = "embedded", Store = "influxdb" }).ShouldContain(f => f.Contains("set only Telemetry:Engine"));
    }

    [Fact]
    public void An_unknown_engine_is_refused_naming_the_allowed_ones()
    {
        Failures(new TelemetryOptions { Engine = "timescale" }).ShouldHaveSingleItem().ShouldBe("Telemetry:Engine is 'timescale'; use 'embedded' or 'influxdb'.");
    }

    [Theory]
    [InlineData("", "Telemetry:InfluxDb:Url is empty")]
    [InlineData("127.0.0.1:8086", "is not an absolute http:// or https:// address")]
    [InlineData("ftp://host", "is not an absolute http:// or https:// address")]
    public void Influxdb_needs_an_http_url(string url, string expected)
    {
        Failures(new TelemetryOptions { Engine = "influxdb", InfluxDb = new InfluxDbOptions { Url = url } }).ShouldContain(f => f.Contains(expected));
    }

    [Fact]
    public void Influxdb_refuses_a_username_without_password_and_a_bad_batch_size()
    {
        var failures = Failures(new TelemetryOptions { Engine = "influxdb", InfluxDb = new InfluxDbOptions { Url = "http://h:8086", Username = "eba", BatchSize = 0 } }).ToList();
        failures.ShouldContain(f => f.Contains("Username and Telemetry:InfluxDb:Password must be set together"));
        failures.ShouldContain(f => f.Contains("BatchSize is 0"));
    }
}
