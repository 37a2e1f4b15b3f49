using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Reports;

/// <summary>A ticket as the reports need it.</summary>
public sealed record ReportTicket(
    long Id, string Number, string SiteId, string? TeamId, string? Technician, Severity Priority, TicketStatus Status,
    DateTimeOffset CreatedUtc, DateTimeOffset? DispatchedUtc, DateTimeOffset? AcceptedUtc, DateTimeOffset? OnSiteUtc, DateTimeOffset OnSiteDueUtc,
    DateTimeOffset? ResolvedUtc, DateTimeOffset? CalledBackUtc, double? LabourHours, int? Satisfaction, string? LastNote);

/// <summary>The daily review and the performance figures, from tickets. Pure: the tests compute the same numbers by hand.</summary>
public static class ReportCalculations
{
    /// <summary>The callback rate the service aims at (回访率 95 %).</summary>
    public const double CallbackTarget = 0.95;

    public static readonly IReadOnlyList<string> Groupings = ["technician", "team", "site"];

    public static DailyReviewDto DailyReview(IEnumerable<ReportTicket> tickets, DateOnly day, string? siteId, DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        var open = tickets.Where(t => TicketStateMachine.IsOpen(t.Status) && t.CreatedUtc < toUtc).ToList();
        var perTechnician = open
            .GroupBy(t => t.Technician)
            .OrderBy(g => g.Key is null).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TechnicianTicketsDto(g.Key, [.. g.OrderBy(t => t.OnSiteDueUtc).Select(t => new ReviewTicketDto(t.Id, t.Number, t.SiteId, t.Priority, t.Status, t.OnSiteDueUtc))]))
            .ToList();
        var overdue = open
            .Where(t => t.OnSiteDueUtc < toUtc && t.Status is TicketStatus.Created or TicketStatus.Dispatched or TicketStatus.Accepted or TicketStatus.OnSite)
            .OrderBy(t => t.OnSiteDueUtc)
            .Select(t => new OverdueTicketDto(t.Id, t.Number, t.Technician, t.Priority, t.Status, t.OnSiteDueUtc, Reason(t.Status), t.LastNote))
            .ToList();
        return new DailyReviewDto(day, siteId, fromUtc, toUtc, perTechnician, overdue);
    }

    public static PerformanceReportDto Performance(IEnumerable<ReportTicket> tickets, string by, DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        Func<ReportTicket, string> key = by switch
        {
            "technician" => t => t.Technician ?? "-",
            "team" => t => t.TeamId ?? "-",
            "site" => t => t.SiteId,
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, $"Group by one of {string.Join(", ", Groupings)}."),
        };
        var rows = tickets
            .Where(t => t.CreatedUtc >= fromUtc && t.CreatedUtc < toUtc && t.Status != TicketStatus.Cancelled)
            .GroupBy(key)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(g.Key, [.. g]))
            .ToList();
        return new PerformanceReportDto(by, fromUtc, toUtc, rows);
    }

    private static PerformanceRowDto Row(string key, IReadOnlyList<ReportTicket> g)
    {
        var arrived = g.Where(t => t.OnSiteUtc is not null).ToList();
        var resolved = g.Where(t => t.ResolvedUtc is not null).ToList();
        var callbackRate = resolved.Count == 0 ? (double?)null : (double)resolved.Count(t => t.CalledBackUtc is not null) / resolved.Count;
        var scores = g.Where(t => t.Satisfaction is not null).Select(t => (double)t.Satisfaction!.Value).ToList();
        return new PerformanceRowDto(
            key,
            g.Count,
            g.Sum(t => t.LabourHours ?? 0),
            MeanMinutes(g.Where(t => t.AcceptedUtc is not null && t.DispatchedUtc is not null).Select(t => t.AcceptedUtc!.Value - t.DispatchedUtc!.Value)),
            MeanMinutes(arrived.Select(t => t.OnSiteUtc!.Value - t.CreatedUtc)),
            MeanMinutes(resolved.Select(t => t.ResolvedUtc!.Value - t.CreatedUtc)),
            arrived.Count == 0 ? null : (double)arrived.Count(t => t.OnSiteUtc <= t.OnSiteDueUtc) / arrived.Count,
            callbackRate,
            callbackRate >= CallbackTarget,
            scores.Count == 0 ? null : scores.Average());
    }

    private static double? MeanMinutes(IEnumerable<TimeSpan> spans)
    {
        var list = spans.ToList();
        return list.Count == 0 ? null : list.Average(s => s.TotalMinutes);
    }

    private static string Reason(TicketStatus status) => status switch
    {
        TicketStatus.Created => "not-dispatched",
        TicketStatus.Dispatched => "not-accepted",
        TicketStatus.Accepted => "not-on-site",
        _ => "not-resolved",
    };
}
