using Microsoft.Extensions.Options;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>Section <c>Dashboard</c>: the tenant it shows must be an id, or every page would query for nothing.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options) =>
        MqttTopics.IsId(options.TenantId)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DashboardOptions.SectionName}:TenantId '{options.TenantId}' is not a tenant id: use 1..64 letters, digits, '-' or '_'.");
}
