using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Reports;

/// <summary>Loads the tickets a report needs (the caller's context: only the sites the caller may see) and the site's day.</summary>
public sealed class ReportQueries(IDbContextFactory<EbaDbContext> dbFactory)
{
    /// <summary>Most tickets one report reads.</summary>
    public const int MaxTickets = 100_000;

    public const string DefaultTimeZone = "Asia/Shanghai";

    public async Task<DailyReviewDto> DailyReviewAsync(string tenantId, string? siteId, DateOnly day, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var zone = await ZoneAsync(db, tenantId, siteId, ct);
        var from = LocalMidnight(day, zone);
        var to = LocalMidnight(day.AddDays(1), zone);
        var query = db.Set<Ticket>().Where(t => t.TenantId == tenantId && t.Status != TicketStatus.Closed && t.Status != TicketStatus.Cancelled);
        if (siteId is not null)
        {
            query = query.Where(t => t.SiteId == siteId);
        }

        return ReportCalculations.DailyReview(await LoadAsync(db, query, ct), day, siteId, from, to);
    }

    public async Task<PerformanceReportDto> PerformanceAsync(string tenantId, string by, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Set<Ticket>().Where(t => t.TenantId == tenantId && t.CreatedUtc >= fromUtc && t.CreatedUtc < toUtc);
        return ReportCalculations.Performance(await LoadAsync(db, query, ct), by, fromUtc, toUtc);
    }

    private static async Task<List<ReportTicket>> LoadAsync(EbaDbContext db, IQueryable<Ticket> query, CancellationToken ct)
    {
        var tickets = await query.OrderBy(t => t.Id).Take(MaxTickets).ToListAsync(ct);
        var ids = tickets.ConvertAll(t => t.Id);
        var notes = (await db.Set<TicketEvent>().Where(e => ids.Contains(e.TicketId) && e.Note != null).Select(e => new { e.TicketId, e.Id, e.Note }).ToListAsync(ct))
            .GroupBy(e => e.TicketId).ToDictionary(g => g.Key, g => g.MaxBy(e => e.Id)!.Note);
        return tickets.ConvertAll(t => new ReportTicket(
            t.Id, t.Number, t.SiteId, t.TeamId, t.AssignedTo, t.Priority, t.Status, t.CreatedUtc, t.DispatchedUtc, t.AcceptedUtc, t.OnSiteUtc, t.OnSiteDueUtc,
            t.ResolvedUtc, t.CalledBackUtc, t.LabourHours, t.Satisfaction, notes.GetValueOrDefault(t.Id)));
    }

    private static async Task<TimeZoneInfo> ZoneAsync(EbaDbContext db, string tenantId, string? siteId, CancellationToken ct)
    {
        var id = siteId is null ? null : await db.Set<Site>().Where(s => s.TenantId == tenantId && s.SiteId == siteId).Select(s => s.TimeZone).SingleOrDefaultAsync(ct);
        return TimeZoneInfo.TryFindSystemTimeZoneById(id ?? DefaultTimeZone, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    internal static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
