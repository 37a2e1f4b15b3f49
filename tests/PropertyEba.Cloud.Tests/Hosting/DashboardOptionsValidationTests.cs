using PropertyEba.Cloud.Dashboard;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Tests.Hosting;

public sealed class DashboardOptionsValidationTests
{
    [Fact]
    public void Dashboard_tenant_that_is_not_an_id_is_refused_at_start_up_with_the_field_and_value()
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions { TenantId = "demo tenant" });
        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Dashboard:TenantId 'demo tenant' is not a tenant id");
    }

    [Fact]
    public void Dashboard_default_tenant_is_valid()
    {
        new DashboardOptionsValidator().Validate(null, new DashboardOptions()).Succeeded.ShouldBeTrue();
    }
}
