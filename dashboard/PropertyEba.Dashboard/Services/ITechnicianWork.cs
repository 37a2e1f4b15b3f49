using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Services;

/// <summary>
/// What the technician's phone page and the supervisor's team view do; implemented by the cloud as the signed-in
/// person (their tenant and sites only). Errors come back as text for the page to show, never as exceptions.
/// </summary>
public interface ITechnicianWork
{
    /// <summary>The open tickets assigned to the signed-in person, the most urgent first.</summary>
    Task<IReadOnlyList<TicketDto>> GetMyTicketsAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Every open ticket of the tenant (the sites the person may see), for a supervisor.</summary>
    Task<IReadOnlyList<TicketDto>> GetTeamTicketsAsync(string tenantId, CancellationToken cancellationToken);

    Task<TicketWorkResult> AcceptAsync(string tenantId, long ticketId, CancellationToken cancellationToken);

    /// <summary>Records the arrival when the position is inside the site's geofence (or the site has none).</summary>
    Task<ArrivalResult> ArriveAsync(string tenantId, long ticketId, GeoPosition position, CancellationToken cancellationToken);

    Task<TicketWorkResult> ResolveAsync(string tenantId, long ticketId, ResolutionInput resolution, CancellationToken cancellationToken);

    /// <summary>Adds a photo of the repair; returns the problem (type, size) or null.</summary>
    Task<string?> AddPhotoAsync(string tenantId, long ticketId, Stream content, long length, CancellationToken cancellationToken);

    /// <summary>Gives the ticket to another technician (a supervisor's reassignment).</summary>
    Task<TicketWorkResult> ReassignAsync(string tenantId, long ticketId, string technician, CancellationToken cancellationToken);
}

/// <summary>A browser's position: WGS-84 degrees and the accuracy radius in metres.</summary>
public sealed record GeoPosition(double Latitude, double Longitude, double AccuracyM);

public sealed record TicketWorkResult(TicketDto? Ticket, string? Error);

/// <summary>
/// The answer to an arrival: recorded (<see cref="Ticket"/> set), or refused because the position is
/// <see cref="DistanceM"/> metres from the site's centre, beyond its <see cref="RadiusM"/>, or for <see cref="Error"/>.
/// </summary>
public sealed record ArrivalResult(TicketDto? Ticket, bool OutsideFence, double? DistanceM, double? RadiusM, string? Error);

public sealed record ResolutionInput(string Cause, string Remedy, double LabourHours, IReadOnlyList<PartUsed> Parts);
