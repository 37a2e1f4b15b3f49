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
        group.MapPost("/alarms/{alarmId:long}/reset", ResetAlarm).WithName("ResetAlarm")
            .WithSummary("Resets a latched alarm (a fire alarm) once its condition has cleared.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/alarms/{alarmId:long}/shelve", ShelveAlarm).WithName("ShelveAlarm")
            .WithSummary("Shelves an alarm for 1 to 1440 minutes with a reason; it comes back on its own.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/alarms/{alarmId:long}/unshelve", UnshelveAlarm).WithName("UnshelveAlarm")
            .WithSummary("Brings a shelved alarm back before its time.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/alarms/{alarmId:long}/out-of-service", SetAlarmOutOfService).WithName("SetAlarmOutOfService")
            .WithSummary("Takes the alarm's device out of service (under maintenance: its alarms are not announced) or puts it back.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/alarms/{alarmId:long}/comments", CommentOnAlarm).WithName("CommentOnAlarm")
            .WithSummary("Adds a comment to an alarm, as the caller.")
            .RequireAuthorization(Policies.OperateAlarms)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/alarms/{alarmId:long}/comments", ListAlarmComments).WithName("ListAlarmComments")
            .WithSummary("The comments on an alarm, oldest first.")
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

    public static async Task<Results<Ok<AlarmDto>, ProblemHttpResult>> ResetAlarm(string tenantId, long alarmId, AlarmService alarms, CancellationToken ct) =>
        Outcome(tenantId, alarmId, await alarms.ResetAsync(tenantId, alarmId, ct));

    public static async Task<Results<Ok<AlarmDto>, ProblemHttpResult>> ShelveAlarm(string tenantId, long alarmId, ShelveAlarmRequest? request, AlarmService alarms, CancellationToken ct)
    {
        var max = (long)AlarmLifecycle.MaxShelving.TotalMinutes;
        if (request?.Minutes is not { } minutes || minutes < 1 || minutes > max)
        {
            return ApiProblems.OutOfRange("minutes", request?.Minutes ?? 0, 1, max);
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return ApiProblems.Invalid("reason", "'reason' is required: why the alarm may be hidden for a while.");
        }

        if (ApiProblems.TooLong("reason", request.Reason, ApiProblems.MaxNoteLength) is { } tooLong)
        {
            return tooLong;
        }

        return Outcome(tenantId, alarmId, await alarms.ShelveAsync(tenantId, alarmId, TimeSpan.FromMinutes(minutes), request.Reason, ct));
    }

    public static async Task<Results<Ok<AlarmDto>, ProblemHttpResult>> UnshelveAlarm(string tenantId, long alarmId, AlarmService alarms, CancellationToken ct) =>
        Outcome(tenantId, alarmId, await alarms.UnshelveAsync(tenantId, alarmId, ct));

    public static async Task<Results<Ok<AlarmDto>, ProblemHttpResult>> SetAlarmOutOfService(string tenantId, long alarmId, AlarmOutOfServiceRequest? request, AlarmService alarms, CancellationToken ct)
    {
        if (request?.OutOfService is not { } outOfService)
        {
            return ApiProblems.Invalid("outOfService", "'outOfService' is required: true to take the device out of service, false to put it back.");
        }

        if (ApiProblems.TooLong("reason", request.Reason, ApiProblems.MaxNoteLength) is { } tooLong)
        {
            return tooLong;
        }

        return Outcome(tenantId, alarmId, await alarms.SetOutOfServiceAsync(tenantId, alarmId, outOfService, request.Reason, ct));
    }

    public static async Task<Results<Ok<AlarmCommentDto>, ProblemHttpResult>> CommentOnAlarm(string tenantId, long alarmId, AlarmCommentRequest? request, AlarmService alarms, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.Text))
        {
            return ApiProblems.Invalid("text", "'text' is required: the comment.");
        }

        if (ApiProblems.TooLong("text", request.Text, ApiProblems.MaxNoteLength) is { } tooLong)
        {
            return tooLong;
        }

        var (comment, error) = await alarms.CommentAsync(tenantId, alarmId, request.Text, ct);
        return comment is not null ? TypedResults.Ok(comment)
            : error is not null ? TypedResults.Problem(error, statusCode: StatusCodes.Status409Conflict, title: "Comment not allowed")
            : NoSuchAlarm(tenantId, alarmId);
    }

    public static async Task<Results<Ok<IReadOnlyList<AlarmCommentDto>>, ProblemHttpResult>> ListAlarmComments(string tenantId, long alarmId, AlarmService alarms, CancellationToken ct) =>
        await alarms.CommentsAsync(tenantId, alarmId, ct) is { } comments ? TypedResults.Ok(comments) : NoSuchAlarm(tenantId, alarmId);

    // An alarm, a refusal that says why (409), or 404 when the tenant has no such alarm.
    private static Results<Ok<AlarmDto>, ProblemHttpResult> Outcome(string tenantId, long alarmId, (AlarmDto? Alarm, string? Error) result) =>
        result.Alarm is not null ? TypedResults.Ok(result.Alarm)
        : result.Error is not null ? TypedResults.Problem(result.Error, statusCode: StatusCodes.Status409Conflict, title: "Alarm action not allowed")
        : NoSuchAlarm(tenantId, alarmId);

    private static ProblemHttpResult NoSuchAlarm(string tenantId, long alarmId) =>
        ApiProblems.NotFound("No such alarm", $"Tenant '{tenantId}' has no alarm {alarmId}.");

    public static async Task<Ok<IReadOnlyList<AlarmRuleDto>>> ListAlarmRules(string tenantId, AlarmService alarms, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<AlarmRuleDto>>([.. (await alarms.ListRulesAsync(tenantId, ct)).Select(r => r.ToDto())]);
}
