using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Reports;

public static class ReportEndpoints
{
    /// <summary>The longest period one performance report covers.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/reports", "Reports");
        group.MapGet("/daily-review", GetDailyReview).WithName("GetDailyReview")
            .WithSummary("The daily review (每日盘点) of a day (yyyy-MM-dd, the site's day; default today): every open ticket per technician, what was due and is not done, with why.");
        group.MapGet("/performance", GetPerformance).WithName("GetPerformance")
            .WithSummary("Performance per technician, team or site over [from, to): tickets, labour, times to accept/arrive/resolve, share within standard, callback rate, satisfaction; format=json (default), csv or xlsx.");
        return app;
    }

    public static async Task<Results<Ok<DailyReviewDto>, ProblemHttpResult>> GetDailyReview(
        string tenantId, string? siteId, string? date, ReportQueries reports, TimeProvider time, CancellationToken ct)
    {
        if (siteId is not null && !MqttTopics.IsId(siteId))
        {
            return ApiProblems.InvalidId("site", siteId, "a-z, 0-9, '-', '_'");
        }

        DateOnly day;
        if (date is null)
        {
            day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(ReportQueries.DefaultTimeZone)).DateTime);
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return ApiProblems.Invalid("date", $"'{date}' is not a date; use yyyy-MM-dd such as 2026-12-07.");
        }

        return TypedResults.Ok(await reports.DailyReviewAsync(tenantId, siteId, day, ct));
    }

    public static async Task<Results<Ok<PerformanceReportDto>, FileContentHttpResult, ProblemHttpResult>> GetPerformance(
        string tenantId, DateTimeOffset from, DateTimeOffset to, string? by, string? format, ReportQueries reports, CancellationToken ct)
    {
        by ??= "technician";
        if (!ReportCalculations.Groupings.Contains(by))
        {
            return ApiProblems.Invalid("by", $"Unknown grouping '{by}'; allowed: {string.Join(", ", ReportCalculations.Groupings)}.");
        }

        if (to <= from || to - from > MaxPeriod)
        {
            return ApiProblems.Invalid("period", $"'to' must be after 'from', at most {MaxPeriod.TotalDays} days later.");
        }

        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            return ApiProblems.Invalid("format", $"Unknown format '{format}'; allowed: json, csv, xlsx.");
        }

        var report = await reports.PerformanceAsync(tenantId, by, from.ToUniversalTime(), to.ToUniversalTime(), ct);
        var name = string.Create(CultureInfo.InvariantCulture, $"performance-{by}-{from:yyyyMMdd}-{to:yyyyMMdd}");
        return format switch
        {
            "csv" => TypedResults.File(ReportExport.Csv(report), ReportExport.CsvType, name + ".csv"),
            "xlsx" => TypedResults.File(ReportExport.Xlsx(report), ReportExport.XlsxType, name + ".xlsx"),
            _ => TypedResults.Ok(report),
        };
    }
}
