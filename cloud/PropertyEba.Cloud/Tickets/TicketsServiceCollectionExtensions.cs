using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Tickets;

public static class TicketsServiceCollectionExtensions
{
    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TicketOptions>().Bind(configuration.GetSection(TicketOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TicketOptions>, TicketOptionsValidator>();
        services.AddSingleton<TicketService>();
        return services;
    }

    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tenants/{tenantId}/tickets").WithTags("Tickets");

        group.MapGet("/", async Task<Results<Ok<IReadOnlyList<TicketDto>>, ProblemHttpResult>> (string tenantId, bool? open, int? limit, TicketService tickets, CancellationToken ct) =>
            !MqttTopics.IsId(tenantId) ? AlarmsServiceCollectionExtensions.BadTenant(tenantId)
            : limit is < 1 or > 1000 ? TypedResults.Problem($"limit {limit} is out of range; allowed 1..1000.", statusCode: 400)
            : TypedResults.Ok(await tickets.ListAsync(tenantId, open ?? false, limit ?? 200, ct)))
            .WithName("ListTickets").WithSummary("Repair tickets, newest first; open=true for those not closed.");

        group.MapGet("/{ticketId:long}", async Task<Results<Ok<TicketDto>, NotFound>> (string tenantId, long ticketId, TicketService tickets, CancellationToken ct) =>
            await tickets.GetAsync(tenantId, ticketId, ct) is { } t ? TypedResults.Ok(t) : TypedResults.NotFound())
            .WithName("GetTicket");

        group.MapPost("/{ticketId:long}/actions", async Task<Results<Ok<TicketDto>, NotFound, ProblemHttpResult>> (string tenantId, long ticketId, TicketActionRequest request, TicketService tickets, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Action))
            {
                return TypedResults.Problem($"'action' is required; one of {string.Join(", ", TicketStateMachine.Actions)}.", statusCode: 400);
            }

            var (ticket, error) = await tickets.ApplyAsync(tenantId, ticketId, request, ct);
            return ticket is not null ? TypedResults.Ok(ticket)
                : error is not null ? TypedResults.Problem(error, statusCode: 409, title: "Action not allowed")
                : TypedResults.NotFound();
        }).WithName("ApplyTicketAction").WithSummary("Moves a ticket on: dispatch (with technician), accept, arrive, resolve, close, reopen.");
        return app;
    }
}
