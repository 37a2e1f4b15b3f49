using System.Net.Http.Json;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Hosting;

[Collection(CloudHostCollection.Name)]
public sealed class AlarmRuleApiTests(CloudHostFixture host)
{
    [Fact]
    public async Task Alarm_rules_are_listed_as_dtos_with_their_condition_by_name()
    {
        var rules = await host.Api.GetFromJsonAsync<List<AlarmRuleDto>>($"/api/tenants/{CloudHostFixture.Tenant}/alarm-rules");
        var tankLow = rules.ShouldNotBeNull().Single(r => r.RuleId == "tank-low-level");
        tankLow.TenantId.ShouldBe(CloudHostFixture.Tenant);
        tankLow.Condition.ShouldBe("BelowLimit");
        tankLow.Threshold.ShouldBe(0.5);
        tankLow.Severity.ShouldBe(Severity.Urgent);
        tankLow.OpensTicket.ShouldBeTrue();
    }
}
