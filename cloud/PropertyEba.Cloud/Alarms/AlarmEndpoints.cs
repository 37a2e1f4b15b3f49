using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Alarms;

public static class AlarmEndpoints
{
    /// <summary>Most alarms one list request returns.</summary>
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapAlarmEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapAlarmRuleEndpoints();

        // The tenant id in the route is validated by the group's filter.
        var group = app.MapTenantGroup("", "Alarms");
        group.MapGet("/alarms", ListAlarms).WithName("ListAlarms").WithSummary("Alarms of a tenant, newest first; active=true for those not yet cleared.");
        group.MapPost("/alarms/{alarmId:long}/acknowledge", AcknowledgeAlarm).WithName("AcknowledgeAlarm")
            .WithSummary("Acknowledges an alarm (an engineer has seen it); recorded as done by the caller.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/alarm-rules", ListAlarmRules).WithName("ListAlarmRules").WithSummary("The tenant's alarm rules.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<AlarmDto>>, ProblemHttpResult>> ListAlarms(
        string tenantId, bool? active, int? limit, AlarmService alarms, CancellationToken ct) =>
        limit is < 1 or > MaxListLimit ? ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxListLimit)
        : TypedResults.Ok(await alarms.ListAsync(tenantId, active ?? false, limit ?? 200, ct));

    public static async Task<Results<Ok<AlarmDto>, ProblemHttpResult>> AcknowledgeAlarm(
        string tenantId, long alarmId, AcknowledgeAlarmRequest? request, AlarmService alarms, CancellationToken ct)
    {
        if (ApiProblems.TooLong("note", request?.Note, ApiProblems.MaxNoteLength) is { } tooLong)
        {
            return tooLong;
        }

        // Who acknowledged is the signed-in caller; a 'by' in the body is ignored (it could name anyone).
        var alarm = await alarms.AcknowledgeAsync(tenantId, alarmId, request?.Note, ct);
        return alarm is null
            ? ApiProblems.NotFound("No such alarm", $"Tenant '{tenantId}' has no alarm {alarmId}.")
            : TypedResults.Ok(alarm);
    }

    public static async Task<Ok<IReadOnlyList<AlarmRuleDto>>> ListAlarmRules(string tenantId, AlarmService alarms, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<AlarmRuleDto>>([.. (await alarms.ListRulesAsync(tenantId, ct)).Select(r => r.ToDto())]);
}
