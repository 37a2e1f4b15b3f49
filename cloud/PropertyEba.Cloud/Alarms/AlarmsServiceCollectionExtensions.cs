using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Alarms;

public static class AlarmsServiceCollectionExtensions
{
    /// <summary>Most alarms one list request returns.</summary>
    public const int MaxListLimit = 1000;

    public static IServiceCollection AddAlarms(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddSingleton<AlarmEngine>();
        services.AddSingleton<AlarmService>();
        services.AddSingleton<AlarmRuleAdministration>();
        services.AddSingleton<IDeviceDeletionCheck, AlarmRulesWatchingDevice>();
        services.AddHostedService<AlarmOnDelayTimer>();
        return services;
    }

    public static IEndpointRouteBuilder MapAlarmEndpoints(this IEndpointRouteBuilder app)
    {
        // The tenant id in the route is validated by the group's filter.
        app.MapAlarmRuleEndpoints();
        var group = app.MapTenantGroup("", "Alarms");

        group.MapGet("/alarms", async Task<Results<Ok<IReadOnlyList<AlarmDto>>, ProblemHttpResult>> (string tenantId, bool? active, int? limit, AlarmService alarms, CancellationToken ct) =>
            limit is < 1 or > MaxListLimit ? ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxListLimit)
            : TypedResults.Ok(await alarms.ListAsync(tenantId, active ?? false, limit ?? 200, ct)))
            .WithName("ListAlarms").WithSummary("Alarms of a tenant, newest first; active=true for those not yet cleared.");

        group.MapPost("/alarms/{alarmId:long}/acknowledge", async Task<Results<Ok<AlarmDto>, ProblemHttpResult>> (string tenantId, long alarmId, AcknowledgeAlarmRequest? request, AlarmService alarms, CancellationToken ct) =>
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
        }).WithName("AcknowledgeAlarm").WithSummary("Acknowledges an alarm (an engineer has seen it); recorded as done by the caller.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/alarm-rules", async Task<Ok<IReadOnlyList<AlarmRuleDto>>> (string tenantId, AlarmService alarms, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<AlarmRuleDto>>([.. (await alarms.ListRulesAsync(tenantId, ct)).Select(r => r.ToDto())]))
            .WithName("ListAlarmRules").WithSummary("The tenant's alarm rules.");
        return app;
    }
}
