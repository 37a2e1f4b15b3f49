using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Commands;

/// <summary>Commands to devices (engineers and administrators) and the desired configuration of edges (installers and administrators).</summary>
public static class CommandEndpoints
{
    public static IEndpointRouteBuilder MapCommandEndpoints(this IEndpointRouteBuilder app)
    {
        var commands = app.MapTenantGroup("/sites/{siteId}/devices/{deviceId}/commands", "Commands");
        commands.MapPost("/", SendDeviceCommand).WithName("SendDeviceCommand")
            .WithSummary("Sends a write of a writable point (fan on/off, a setpoint) to the edge that polls the device; the answer is the command, pending until the edge's result comes.")
            .RequireAuthorization(Policies.SendCommands)
            .ProducesProblem(StatusCodes.Status404NotFound);
        commands.MapGet("/", ListDeviceCommands).WithName("ListDeviceCommands").WithSummary("The device's recent commands with their outcome, newest first.");
        commands.MapGet("/{commandId}", GetDeviceCommand).WithName("GetDeviceCommand").WithSummary("One command and its outcome.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var edges = app.MapTenantGroup("/sites/{siteId}/edges/{edgeId}", "Edges").RequireAuthorization(Policies.ManageEquipment)
            .ProducesProblem(StatusCodes.Status404NotFound);
        edges.MapPut("/desired-config", SetEdgeDesiredConfig).WithName("SetEdgeDesiredConfig")
            .WithSummary("Publishes (retained) the configuration the edge should run: devices, poll intervals. The edge applies it without a restart or refuses it; its status says which.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        edges.MapDelete("/desired-config", ClearEdgeDesiredConfig).WithName("ClearEdgeDesiredConfig")
            .WithSummary("Clears the retained desired configuration: the edge keeps running what it runs, and a new edge of this id gets none.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        edges.MapGet("/config-status", GetEdgeConfigStatus).WithName("GetEdgeConfigStatus")
            .WithSummary("The version the cloud last asked for, the version the edge reports it runs, and the latest it refused with its reasons.");
        return app;
    }

    public static async Task<Results<Accepted<CommandDto>, ProblemHttpResult>> SendDeviceCommand(string tenantId, string siteId, string deviceId, SendCommandRequest request, EdgeCommands commands, CancellationToken ct)
    {
        var (command, problem) = await commands.SendAsync(tenantId, siteId, deviceId, request, ct);
        return command is not null
            ? TypedResults.Accepted($"/api/tenants/{tenantId}/sites/{siteId}/devices/{deviceId}/commands/{command.CommandId}", command)
            : Problem(problem!);
    }

    public static Ok<IReadOnlyList<CommandDto>> ListDeviceCommands(string tenantId, string siteId, string deviceId, EdgeCommands commands) =>
        TypedResults.Ok(commands.Recent(tenantId, siteId, deviceId));

    public static Results<Ok<CommandDto>, ProblemHttpResult> GetDeviceCommand(string tenantId, string siteId, string deviceId, string commandId, EdgeCommands commands) =>
        commands.Get(tenantId, siteId, deviceId, commandId) is { } command
            ? TypedResults.Ok(command)
            : ApiProblems.NotFound("No such command", $"Device '{deviceId}' has no recent command '{commandId}'.");

    public static async Task<Results<Ok<EdgeConfigStatusDto>, ProblemHttpResult>> SetEdgeDesiredConfig(string tenantId, string siteId, string edgeId, DesiredConfigRequest request, DesiredConfigs configs, CancellationToken ct)
    {
        var (status, problem) = await configs.SetAsync(tenantId, siteId, edgeId, request, ct);
        return status is not null ? TypedResults.Ok(status) : Problem(problem!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ClearEdgeDesiredConfig(string tenantId, string siteId, string edgeId, DesiredConfigs configs, CancellationToken ct) =>
        await configs.ClearAsync(tenantId, siteId, edgeId, ct) is { } problem ? Problem(problem) : TypedResults.NoContent();

    public static async Task<Results<Ok<EdgeConfigStatusDto>, ProblemHttpResult>> GetEdgeConfigStatus(string tenantId, string siteId, string edgeId, DesiredConfigs configs, CancellationToken ct)
    {
        var (status, problem) = await configs.GetAsync(tenantId, siteId, edgeId, ct);
        return status is not null ? TypedResults.Ok(status) : Problem(problem!);
    }

    private static ProblemHttpResult Problem(CommandProblem problem) => TypedResults.Problem(problem.Detail, statusCode: problem.StatusCode, title: problem.Title);
}
