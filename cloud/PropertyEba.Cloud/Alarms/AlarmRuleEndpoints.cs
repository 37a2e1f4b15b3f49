using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Alarms;

/// <summary>Creating, editing, enabling, disabling and deleting alarm rules (the list is <c>ListAlarmRules</c>, with the alarms).</summary>
public static class AlarmRuleEndpoints
{
    public static IEndpointRouteBuilder MapAlarmRuleEndpoints(this IEndpointRouteBuilder app)
    {
        var rules = app.MapTenantGroup("/alarm-rules", "Alarms").AddEndpointFilter<AssetProblemFilter>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        rules.MapGet("/{ruleId}", GetAlarmRule).WithName("GetAlarmRule").WithSummary("One alarm rule.");
        rules.MapPost("/", CreateAlarmRule).WithName("CreateAlarmRule").WithSummary("Creates a rule on a device's point, a profile's point, or a computed point; in effect at once.")
            .RequireAuthorization(Policies.ManageAlarmRules).ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        rules.MapPut("/{ruleId}", UpdateAlarmRule).WithName("UpdateAlarmRule").WithSummary("Replaces a rule's definition; in effect at once.")
            .RequireAuthorization(Policies.ManageAlarmRules).ProducesValidationProblem();
        rules.MapPost("/{ruleId}/enable", EnableAlarmRule).WithName("EnableAlarmRule").WithSummary("Enables a rule.")
            .RequireAuthorization(Policies.ManageAlarmRules);
        rules.MapPost("/{ruleId}/disable", DisableAlarmRule).WithName("DisableAlarmRule").WithSummary("Disables a rule: its condition is no longer evaluated.")
            .RequireAuthorization(Policies.ManageAlarmRules);
        rules.MapDelete("/{ruleId}", DeleteAlarmRule).WithName("DeleteAlarmRule").WithSummary("Deletes a rule.")
            .RequireAuthorization(Policies.ManageAlarmRules);
        return app;
    }

    public static async Task<Ok<AlarmRuleDto>> GetAlarmRule(string tenantId, string ruleId, AlarmRuleAdministration rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.GetAsync(tenantId, ruleId, ct));

    public static async Task<Created<AlarmRuleDto>> CreateAlarmRule(string tenantId, AlarmRuleRequest request, AlarmRuleAdministration rules, CancellationToken ct)
    {
        var rule = await rules.CreateAsync(tenantId, request, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/alarm-rules/{rule.RuleId}", rule);
    }

    public static async Task<Ok<AlarmRuleDto>> UpdateAlarmRule(string tenantId, string ruleId, AlarmRuleRequest request, AlarmRuleAdministration rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.UpdateAsync(tenantId, ruleId, request, ct));

    public static async Task<Ok<AlarmRuleDto>> EnableAlarmRule(string tenantId, string ruleId, AlarmRuleAdministration rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.SetEnabledAsync(tenantId, ruleId, true, ct));

    public static async Task<Ok<AlarmRuleDto>> DisableAlarmRule(string tenantId, string ruleId, AlarmRuleAdministration rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.SetEnabledAsync(tenantId, ruleId, false, ct));

    public static async Task<NoContent> DeleteAlarmRule(string tenantId, string ruleId, AlarmRuleAdministration rules, CancellationToken ct)
    {
        await rules.DeleteAsync(tenantId, ruleId, ct);
        return TypedResults.NoContent();
    }
}
