namespace PropertyEba.Contracts.Api;

/// <summary>The daily review (每日盘点) of one day (the site's day): every open ticket per technician, and what was due and is not done.</summary>
public sealed record DailyReviewDto(DateOnly Day, string? SiteId, DateTimeOffset FromUtc, DateTimeOffset ToUtc, IReadOnlyList<TechnicianTicketsDto> Technicians, IReadOnlyList<OverdueTicketDto> Overdue);

/// <summary>A technician's open tickets; <c>Technician</c> null for tickets nobody has.</summary>
public sealed record TechnicianTicketsDto(string? Technician, IReadOnlyList<ReviewTicketDto> Open);

/// <summary>A ticket as the review lists it.</summary>
public sealed record ReviewTicketDto(long Id, string Number, string SiteId, Severity Priority, TicketStatus Status, DateTimeOffset OnSiteDueUtc);

/// <summary>Due by the end of the day and not done, with why: <c>Reason</c> is not-dispatched, not-accepted, not-on-site or not-resolved; <c>Note</c> the last note typed on it.</summary>
public sealed record OverdueTicketDto(long Id, string Number, string? Technician, Severity Priority, TicketStatus Status, DateTimeOffset OnSiteDueUtc, string Reason, string? Note);

/// <summary>
/// Performance of one technician, team or estate over a period (tickets opened in it, cancelled ones left out). Times
/// are means in minutes, null without data; <c>WithinStandardShare</c> is the share of arrivals within the on-site
/// standard; <c>CallbackRate</c> the share of resolved tickets called back (target 95 %); <c>Satisfaction</c> the
/// mean callback score (1–5).
/// </summary>
public sealed record PerformanceRowDto(
    string Key, int Tickets, double LabourHours, double? MeanMinutesToAccept, double? MeanMinutesToArrive, double? MeanMinutesToResolve,
    double? WithinStandardShare, double? CallbackRate, bool CallbackTargetMet, double? Satisfaction);

/// <summary>A performance report: grouped by technician, team or site, over [FromUtc, ToUtc).</summary>
public sealed record PerformanceReportDto(string By, DateTimeOffset FromUtc, DateTimeOffset ToUtc, IReadOnlyList<PerformanceRowDto> Rows);
