using PropertyEba.Cloud.DemoEstate;
using PropertyEba.Cloud.Messaging;

namespace PropertyEba.Cloud.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Every_mistake_in_the_demo_estate_section_is_reported_at_once()
    {
        var result = new DemoEstateOptionsValidator().Validate(null, new DemoEstateOptions { TenantId = "a b", SiteId = "", Speed = 0, PollInterval = TimeSpan.Zero, EdgeOfflineDelay = TimeSpan.FromMinutes(-1) });
        result.Failed.ShouldBeTrue();
        result.Failures!.Count().ShouldBe(5);
        result.FailureMessage!.ShouldContain("DemoEstate:EdgeOfflineDelay is -00:01:00");
        result.FailureMessage!.ShouldContain("DemoEstate:TenantId 'a b'");
        result.FailureMessage!.ShouldContain("DemoEstate:Speed is 0");
    }

    [Fact]
    public void Broker_port_out_of_range_names_the_field_and_the_allowed_values()
    {
        var result = new MqttOptionsValidator().Validate(null, new MqttOptions { Port = 70000, BindAddress = "nowhere" });
        result.FailureMessage!.ShouldContain("Mqtt:Port is 70000; allowed 0..65535");
        result.FailureMessage!.ShouldContain("Mqtt:BindAddress 'nowhere'");
    }
}
