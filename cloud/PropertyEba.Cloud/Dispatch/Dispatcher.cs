using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>
/// Routes a new ticket to the technician on call: the first qualifying team (<see cref="Routing"/>) whose rota has
/// someone on call now (<see cref="Rota"/>, in the site's time zone). A ticket nobody is on call for stays created
/// (counted and logged) for a person to dispatch.
/// </summary>
public sealed partial class Dispatcher(IDbContextFactory<EbaDbContext> dbFactory, TicketService tickets, TimeProvider time, ILogger<Dispatcher> logger)
    : IDomainEventHandler<TicketOpened>
{
    private long _unrouted;

    /// <summary>Tickets opened with nobody on call to route them to.</summary>
    public long Unrouted => Interlocked.Read(ref _unrouted);

    public async Task HandleAsync(TicketOpened e, CancellationToken ct)
    {
        // At least once: a ticket already dispatched (by this handler before, or by a person) is left alone.
        if (await tickets.GetAsync(e.TenantId, e.TicketId, ct) is not { Status: TicketStatus.Created })
        {
            return;
        }

        if (await OnCallAsync(e.TenantId, e.SiteId, e.Skill, e.Priority, time.GetUtcNow(), ct) is not { } choice)
        {
            Interlocked.Increment(ref _unrouted);
            LogUnrouted(e.Number, e.TenantId, e.SiteId, e.Skill, e.Priority.ToString());
            return;
        }

        var (_, error) = await tickets.ApplyAsync(e.TenantId, e.TicketId, new TicketActionRequest("dispatch", choice.UserName), ct, choice.TeamId);
        if (error is not null)
        {
            LogNotDispatched(e.Number, error);
        }
    }

    /// <summary>Who takes a ticket for this estate, skill and priority at <paramref name="at"/>: team and technician, or null.</summary>
    public async Task<(string TeamId, string UserName)?> OnCallAsync(string tenantId, string siteId, string? skill, Severity priority, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zoneId = await db.Set<Site>().Where(s => s.TenantId == tenantId && s.SiteId == siteId).Select(s => s.TimeZone).SingleOrDefaultAsync(ct);
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(zoneId ?? "Asia/Shanghai", out var found) ? found : TimeZoneInfo.Utc;
        var teams = await db.Set<Team>().Where(t => t.TenantId == tenantId).ToListAsync(ct);
        var candidates = Routing.Candidates(teams.Select(ToRoutable), siteId, skill, priority);
        foreach (var team in candidates)
        {
            var shifts = await db.Set<RotaShift>().Where(s => s.TenantId == tenantId && s.TeamId == team.TeamId).ToListAsync(ct);
            var overrides = await db.Set<RotaOverride>().Where(o => o.TenantId == tenantId && o.TeamId == team.TeamId && o.ToUtc > at).ToListAsync(ct);
            var onCall = Rota.OnCall(
                shifts.Select(s => new Shift(s.UserName, s.Days, s.Start, s.Duration)),
                overrides.Select(o => new Override(o.UserName, o.FromUtc, o.ToUtc)), at, zone);
            if (onCall.Count > 0)
            {
                return (team.TeamId, onCall[0]);
            }
        }

        return null;
    }

    internal static RoutableTeam ToRoutable(Team t) => new(
        t.TeamId, Team.Split(t.SiteIds), Team.Split(t.Skills),
        [.. Team.Split(t.Severities).Select(s => Enum.TryParse<Severity>(s, ignoreCase: true, out var v) ? v : (Severity?)null).OfType<Severity>()],
        t.Mobile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} of {TenantId}/{SiteId} (skill {Skill}, {Priority}): nobody on call; it waits to be dispatched by hand")]
    private partial void LogUnrouted(string number, string tenantId, string siteId, string? skill, string priority);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} was not dispatched: {Error}")]
    private partial void LogNotDispatched(string number, string error);
}
