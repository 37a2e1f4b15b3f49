using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
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
        group.MapPost("/", CreateTicket).WithName("CreateTicket")
            .WithSummary("Opens a ticket by hand (the reception desk, 报修), or for a schedule when scheduledForUtc is given (the agreed time is its on-site standard).")
            .RequireAuthorization(Policies.WorkTickets)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{ticketId:long}/photos", UploadTicketPhoto).WithName("UploadTicketPhoto")
            .WithSummary("Adds a photo of the repair (the request body is the JPEG, PNG or WebP file; its content decides the type).")
            .Accepts<Stream>("image/jpeg", "image/png", "image/webp")
            .RequireAuthorization(Policies.WorkTickets)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapGet("/{ticketId:long}/photos", ListTicketPhotos).WithName("ListTicketPhotos").WithSummary("The photos of a ticket, oldest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{ticketId:long}/photos/{photoId:long}", GetTicketPhoto).WithName("GetTicketPhoto").WithSummary("One photo of a ticket, as its file.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{ticketId:long}/actions", ApplyTicketAction).WithName("ApplyTicketAction")
            .WithSummary("Moves a ticket on: dispatch (with technician), accept, arrive, resolve (cause, remedy, labourHours, parts), callback (satisfaction; the reason when unsatisfied), close, reopen (keepAssignee), cancel (with the reason as note); recorded as done by the caller.")
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

    public static async Task<Results<Created<TicketDto>, ProblemHttpResult>> CreateTicket(
        string tenantId, CreateTicketRequest request, TicketService tickets, IDbContextFactory<EbaDbContext> dbFactory, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            return ApiProblems.Invalid("title", "'title' is required: what is wrong, as the caller said it.");
        }

        if ((ApiProblems.TooLong("title", request.Title, 200) ?? ApiProblems.TooLong("description", request.Description, ApiProblems.MaxNoteLength) ?? ApiProblems.TooLong("skill", request.Skill, ApiProblems.MaxNameLength)) is { } tooLong)
        {
            return tooLong;
        }

        if (!Enum.IsDefined(request.Priority))
        {
            return ApiProblems.Invalid("priority", $"Unknown priority; allowed: {string.Join(", ", Enum.GetNames<Severity>())}.");
        }

        if (request.ScheduledForUtc is { } agreed && agreed < time.GetUtcNow() - TimeSpan.FromMinutes(5))
        {
            return ApiProblems.Invalid("scheduledForUtc", $"The agreed time {agreed:u} is in the past; give a time from now on.");
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // The caller's context: a user limited to some sites finds only those.
            var site = request.SiteId;
            if (!await db.Set<Site>().AnyAsync(s => s.TenantId == tenantId && s.SiteId == site, ct))
            {
                return ApiProblems.NotFound("No such site", $"Tenant '{tenantId}' has no site '{request.SiteId}' you may see.");
            }

            var device = request.DeviceId;
            if (device is not null && !await db.Set<Device>().AnyAsync(d => d.TenantId == tenantId && d.SiteId == site && d.DeviceId == device, ct))
            {
                return ApiProblems.NotFound("No such device", $"Site '{request.SiteId}' has no device '{request.DeviceId}'.");
            }
        }

        var ticket = await tickets.CreateAsync(tenantId, request with { Title = request.Title.Trim() }, ct);
        return TypedResults.Created($"/api/tenants/{tenantId}/tickets/{ticket.Id}", ticket.ToDto(time.GetUtcNow()));
    }

    public static async Task<Results<Created<TicketPhotoDto>, ProblemHttpResult>> UploadTicketPhoto(
        string tenantId, long ticketId, HttpRequest http, TicketPhotos photos, IOptions<TicketOptions> options, CancellationToken ct)
    {
        var max = options.Value.MaxPhotoBytes;
        if (http.ContentLength is { } declared && declared > max)
        {
            return TypedResults.Problem($"A photo may be at most {max} bytes; this one is {declared}.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Photo too large");
        }

        var (photo, error) = await photos.AddAsync(tenantId, ticketId, http.Body, http.ContentLength ?? max, ct);
        return photo is not null ? TypedResults.Created($"/api/tenants/{tenantId}/tickets/{ticketId}/photos/{photo.Id}", ToDto(tenantId, photo))
            : error is not null ? ApiProblems.Invalid("photo", error)
            : NoSuchTicket(tenantId, ticketId);
    }

    public static async Task<Results<Ok<IReadOnlyList<TicketPhotoDto>>, ProblemHttpResult>> ListTicketPhotos(
        string tenantId, long ticketId, TicketService tickets, TicketPhotos photos, CancellationToken ct) =>
        await tickets.GetAsync(tenantId, ticketId, ct) is null ? NoSuchTicket(tenantId, ticketId)
        : TypedResults.Ok<IReadOnlyList<TicketPhotoDto>>([.. (await photos.ListAsync(tenantId, ticketId, ct)).Select(p => ToDto(tenantId, p))]);

    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetTicketPhoto(
        string tenantId, long ticketId, long photoId, TicketPhotos photos, CancellationToken ct) =>
        await photos.OpenAsync(tenantId, ticketId, photoId, ct) is { } file
            ? TypedResults.PhysicalFile(file.Path, file.ContentType)
            : ApiProblems.NotFound("No such photo", $"Ticket {ticketId} of tenant '{tenantId}' has no photo {photoId}.");

    private static TicketPhotoDto ToDto(string tenantId, TicketPhoto p) =>
        new(p.Id, p.TicketId, p.ContentType, p.Length, p.By, p.AtUtc, $"/api/tenants/{tenantId}/tickets/{p.TicketId}/photos/{p.Id}");

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

        if ((ApiProblems.TooLong("technician", request.Technician, ApiProblems.MaxNameLength) ?? ApiProblems.TooLong("note", request.Note, ApiProblems.MaxNoteLength)
            ?? ApiProblems.TooLong("cause", request.Cause, ApiProblems.MaxNoteLength) ?? ApiProblems.TooLong("remedy", request.Remedy, ApiProblems.MaxNoteLength)) is { } tooLong)
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
