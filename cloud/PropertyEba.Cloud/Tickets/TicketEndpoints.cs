using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tickets;

public static class TicketEndpoints
{
    /// <summary>Most tickets one list request returns.</summary>
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        // The tenant id in the route is validated by the group's filter.
        var group = app.MapTenantGroup("/tickets", "Tickets");
        group.MapGet("/", ListTickets).WithName("ListTickets").WithSummary("Repair tickets, newest first; open=true for those not closed.");
        group.MapGet("/{ticketId:long}", GetTicket).WithName("GetTicket").WithSummary("One repair ticket with its time standard and whether it is overdue.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{ticketId:long}/actions", ApplyTicketAction).WithName("ApplyTicketAction")
            .WithSummary("Moves a ticket on: dispatch (with technician), accept, arrive, resolve, close, reopen; recorded as done by the caller.")
            .RequireAuthorization(Policies.WorkTickets)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<TicketDto>>, ProblemHttpResult>> ListTickets(
        string tenantId, bool? open, int? limit, TicketService tickets, CancellationToken ct) =>
        limit is < 1 or > MaxListLimit ? ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxListLimit)
        : TypedResults.Ok(await tickets.ListAsync(tenantId, open ?? false, limit ?? 200, ct));

    public static async Task<Results<Ok<TicketDto>, ProblemHttpResult>> GetTicket(string tenantId, long ticketId, TicketService tickets, CancellationToken ct) =>
        await tickets.GetAsync(tenantId, ticketId, ct) is { } t ? TypedResults.Ok(t) : NoSuchTicket(tenantId, ticketId);

    public static async Task<Results<Ok<TicketDto>, ProblemHttpResult>> ApplyTicketAction(
        string tenantId, long ticketId, TicketActionRequest request, TicketService tickets, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Action))
        {
            return ApiProblems.Invalid("action", $"'action' is required; one of {string.Join(", ", TicketStateMachine.Actions)}.");
        }

        if (!TicketStateMachine.Actions.Contains(request.Action))
        {
            return ApiProblems.Invalid("action", $"Unknown action '{request.Action}'; allowed: {string.Join(", ", TicketStateMachine.Actions)}.");
        }

        if ((ApiProblems.TooLong("technician", request.Technician, ApiProblems.MaxNameLength) ?? ApiProblems.TooLong("note", request.Note, ApiProblems.MaxNoteLength)) is { } tooLong)
        {
            return tooLong;
        }

        var (ticket, error) = await tickets.ApplyAsync(tenantId, ticketId, request, ct);
        return ticket is not null ? TypedResults.Ok(ticket)
            : error is not null ? TypedResults.Problem(error, statusCode: StatusCodes.Status409Conflict, title: "Action not allowed")
            : NoSuchTicket(tenantId, ticketId);
    }

    private static ProblemHttpResult NoSuchTicket(string tenantId, long ticketId) =>
        ApiProblems.NotFound("No such ticket", $"Tenant '{tenantId}' has no ticket {ticketId}.");
}
