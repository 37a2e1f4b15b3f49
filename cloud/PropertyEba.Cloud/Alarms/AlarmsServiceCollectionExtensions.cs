using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Alarms;

public static class AlarmsServiceCollectionExtensions
{
    public static IServiceCollection AddAlarms(this IServiceCollection services)
    {
        services.AddSingleton<AlarmEngine>();
        services.AddSingleton<AlarmService>();
        return services;
    }

    public static IEndpointRouteBuilder MapAlarmEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tenants/{tenantId}").WithTags("Alarms");

        group.MapGet("/alarms", async Task<Results<Ok<IReadOnlyList<AlarmDto>>, ProblemHttpResult>> (string tenantId, bool? active, int? limit, AlarmService alarms, CancellationToken ct) =>
            !MqttTopics.IsId(tenantId) ? BadTenant(tenantId)
            : limit is < 1 or > 1000 ? TypedResults.Problem($"limit {limit} is out of range; allowed 1..1000.", statusCode: 400)
            : TypedResults.Ok(await alarms.ListAsync(tenantId, active ?? false, limit ?? 200, ct)))
            .WithName("ListAlarms").WithSummary("Alarms of a tenant, newest first; active=true for those not yet cleared.");

        group.MapPost("/alarms/{alarmId:long}/acknowledge", async Task<Results<Ok<AlarmDto>, NotFound<ProblemDetails>, ProblemHttpResult>> (string tenantId, long alarmId, AcknowledgeAlarmRequest? request, AlarmService alarms, CancellationToken ct) =>
        {
            if (!MqttTopics.IsId(tenantId))
            {
                return BadTenant(tenantId);
            }

            var alarm = await alarms.AcknowledgeAsync(tenantId, alarmId, request?.By ?? "api", ct);
            return alarm is null
                ? TypedResults.NotFound(new ProblemDetails { Title = "No such alarm", Detail = $"Tenant '{tenantId}' has no alarm {alarmId}.", Status = 404 })
                : TypedResults.Ok(alarm);
        }).WithName("AcknowledgeAlarm").WithSummary("Acknowledges an alarm (an engineer has seen it).");

        group.MapGet("/alarm-rules", async (string tenantId, AlarmService alarms, CancellationToken ct) =>
            TypedResults.Ok(await alarms.ListRulesAsync(tenantId, ct)))
            .WithName("ListAlarmRules").WithSummary("The tenant's alarm rules.");
        return app;
    }

    internal static ProblemHttpResult BadTenant(string tenantId) =>
        TypedResults.Problem($"'{tenantId}' is not a tenant id: use 1..64 letters, digits, '-' or '_'.", statusCode: 400, title: "Invalid tenant id");
}
