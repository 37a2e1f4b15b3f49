using Microsoft.AspNetCore.Components.Authorization;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>
/// The cloud's side of <see cref="ITechnicianWork"/>: the ticket service's actions as the session's person, with
/// the checks a phone adds — only the assignee accepts, arrives and resolves, and an arrival counts only inside the
/// site's geofence (人员定位). The position comes from the browser, so it is as trustworthy as the phone; it is
/// checked here, not in the page, so a page cannot skip the check.
/// </summary>
internal sealed class TechnicianWork(
    TicketService tickets,
    TicketPhotos photos,
    SiteAdministration sites,
    CircuitCaller circuit,
    CallerAccessor callers,
    AuthenticationStateProvider authentication) : ITechnicianWork
{
    private static readonly string[] Workers = [Roles.Administrator, Roles.Engineer, Roles.Technician];
    private static readonly string[] Supervisors = [Roles.Administrator, Roles.Engineer];

    public async Task<IReadOnlyList<TicketDto>> GetMyTicketsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var me = await MyNameAsync();
        var all = await AsCaller(tenantId, Workers, () => tickets.ListAsync(tenantId, openOnly: true, 1000, cancellationToken), []);
        return [.. all.Where(t => IsMine(t, me) && IsActive(t.Status)).OrderBy(t => t.OnSiteUtc is null ? 0 : 1).ThenBy(t => t.OnSiteDueUtc)];
    }

    public async Task<IReadOnlyList<TicketDto>> GetTeamTicketsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var all = await AsCaller(tenantId, Supervisors, () => tickets.ListAsync(tenantId, openOnly: true, 1000, cancellationToken), []);
        return [.. all.Where(t => IsActive(t.Status)).OrderByDescending(t => t.OnSiteOverdue).ThenBy(t => t.OnSiteDueUtc)];
    }

    public Task<TicketWorkResult> AcceptAsync(string tenantId, long ticketId, CancellationToken cancellationToken) =>
        AsAssigneeAsync(tenantId, ticketId, new TicketActionRequest("accept"), cancellationToken);

    public async Task<ArrivalResult> ArriveAsync(string tenantId, long ticketId, GeoPosition position, CancellationToken cancellationToken)
    {
        if (position.Latitude is < -90 or > 90 || position.Longitude is < -180 or > 180 || double.IsNaN(position.Latitude) || double.IsNaN(position.Longitude))
        {
            return new ArrivalResult(null, false, null, null, $"The position {position.Latitude}, {position.Longitude} is not a WGS-84 position.");
        }

        var ticket = await AsCaller(tenantId, Workers, () => tickets.GetAsync(tenantId, ticketId, cancellationToken), null);
        if (ticket is null)
        {
            return new ArrivalResult(null, false, null, null, $"Ticket {ticketId} does not exist or is not yours to see.");
        }

        var site = await AsCaller(tenantId, Workers, async () => (SiteDetailDto?)await sites.GetSiteAsync(tenantId, ticket.SiteId, cancellationToken), null);
        if (site?.Geofence is { } fence)
        {
            var distance = Geofence.DistanceM(fence.Latitude, fence.Longitude, position.Latitude, position.Longitude);
            if (!Geofence.IsInside(distance, fence.RadiusM, position.AccuracyM))
            {
                return new ArrivalResult(null, true, distance, fence.RadiusM, null);
            }
        }

        var result = await AsAssigneeAsync(tenantId, ticketId, new TicketActionRequest("arrive"), cancellationToken);
        return new ArrivalResult(result.Ticket, false, null, site?.Geofence?.RadiusM, result.Error);
    }

    public Task<TicketWorkResult> ResolveAsync(string tenantId, long ticketId, ResolutionInput resolution, CancellationToken cancellationToken) =>
        AsAssigneeAsync(tenantId, ticketId, new TicketActionRequest("resolve", Cause: resolution.Cause, Remedy: resolution.Remedy,
            LabourHours: resolution.LabourHours, Parts: resolution.Parts), cancellationToken);

    public async Task<string?> AddPhotoAsync(string tenantId, long ticketId, Stream content, long length, CancellationToken cancellationToken)
    {
        var (photo, error) = await AsCaller<(TicketPhoto?, string?)>(tenantId, Workers,
            () => photos.AddAsync(tenantId, ticketId, content, length, cancellationToken), (null, "You may not add photos to tickets of this tenant."));
        return photo is null ? error ?? $"Ticket {ticketId} does not exist." : null;
    }

    public Task<TicketWorkResult> ReassignAsync(string tenantId, long ticketId, string technician, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(technician)
            ? Task.FromResult(new TicketWorkResult(null, "Say who the ticket goes to."))
            : AsCaller(tenantId, Supervisors, async () =>
            {
                var (t, error) = await tickets.ApplyAsync(tenantId, ticketId, new TicketActionRequest("dispatch", Technician: technician.Trim()), cancellationToken);
                return new TicketWorkResult(t, t is null ? error ?? $"Ticket {ticketId} does not exist." : null);
            }, new TicketWorkResult(null, "Only supervisors (administrators, engineers) reassign tickets."));

    private async Task<TicketWorkResult> AsAssigneeAsync(string tenantId, long ticketId, TicketActionRequest request, CancellationToken ct)
    {
        var me = await MyNameAsync();
        return await AsCaller(tenantId, Workers, async () =>
        {
            var ticket = await tickets.GetAsync(tenantId, ticketId, ct);
            if (ticket is null)
            {
                return new TicketWorkResult(null, $"Ticket {ticketId} does not exist.");
            }

            if (!IsMine(ticket, me))
            {
                return new TicketWorkResult(null, $"Ticket {ticket.Number} is assigned to {ticket.AssignedTo ?? "nobody"}, not to you.");
            }

            var (t, error) = await tickets.ApplyAsync(tenantId, ticketId, request, ct);
            return new TicketWorkResult(t, t is null ? error ?? $"Ticket {ticketId} does not exist." : null);
        }, new TicketWorkResult(null, "Your role may not work tickets."));
    }

    private static bool IsActive(TicketStatus s) => s is TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted or TicketStatus.OnSite;

    // Dispatch writes the technician's user name (a person may type it in any case).
    private static bool IsMine(TicketDto t, string? me) => me is not null && string.Equals(t.AssignedTo?.Trim(), me, StringComparison.OrdinalIgnoreCase);

    private async Task<string?> MyNameAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;
    }

    private async Task<T> AsCaller<T>(string tenantId, string[] roles, Func<Task<T>> work, T refused)
    {
        var caller = circuit.Caller;
        if (caller.TenantId != tenantId || !caller.Roles.Overlaps(roles))
        {
            return refused;
        }

        using (callers.Enter(caller))
        {
            return await work();
        }
    }
}

/// <summary>Great-circle distances on the WGS-84 mean sphere, enough for fences of tens of metres and more.</summary>
internal static class Geofence
{
    private const double EarthRadiusM = 6_371_008.8;

    public static double DistanceM(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusM * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>
    /// Inside when the position is within the radius. A phone's fix may be off by its accuracy, so up to 50 m of it is
    /// forgiven; a worse fix (indoors, no GPS) must not let anyone "arrive" from across town.
    /// </summary>
    public static bool IsInside(double distanceM, double radiusM, double accuracyM) =>
        distanceM <= radiusM + Math.Clamp(double.IsNaN(accuracyM) ? 0 : accuracyM, 0, 50);
}
