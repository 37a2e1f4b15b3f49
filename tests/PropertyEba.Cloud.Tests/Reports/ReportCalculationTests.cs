using System.Text;
using ClosedXML.Excel;
using PropertyEba.Cloud.Reports;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Reports;

/// <summary>The reports against numbers computed by hand from a handful of tickets.</summary>
public sealed class ReportCalculationTests
{
    private static readonly DateTimeOffset Dec1 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int hour, int minute) => Dec1.AddHours(hour).AddMinutes(minute);

    private static ReportTicket Done(
        long id, string? technician, string? team, string site, DateTimeOffset created, DateTimeOffset dispatched, DateTimeOffset accepted, DateTimeOffset onSite,
        DateTimeOffset resolved, bool calledBack, double labour, int? satisfaction) =>
        new(id, $"WO-{id}", site, team, technician, Severity.Urgent, calledBack ? TicketStatus.Closed : TicketStatus.Resolved, created, dispatched, accepted, onSite,
            created.AddMinutes(15), resolved, calledBack ? resolved.AddHours(1) : null, labour, satisfaction, null);

    // wang: accept 2 and 4 min, arrive 10 (in standard) and 30 (late), resolve 60 and 120 min, one of two called back (5).
    // li: accept 6, arrive 12 (in standard), resolve 42, called back (2). A ticket nobody has; a cancelled one and one
    // opened after the period are left out.
    private static readonly ReportTicket[] Tickets =
    [
        Done(1, "wang", "team-a", "harbour", At(0, 0), At(0, 0), At(0, 2), At(0, 10), At(1, 0), calledBack: true, 1.5, 5),
        Done(2, "wang", "team-a", "harbour", At(10, 0), At(10, 5), At(10, 9), At(10, 30), At(12, 0), calledBack: false, 2.5, null),
        Done(3, "li", "team-b", "riverside", At(20, 0), At(20, 0), At(20, 6), At(20, 12), At(20, 42), calledBack: true, 0.5, 2),
        new(4, "WO-4", "harbour", "team-a", "wang", Severity.Normal, TicketStatus.Cancelled, At(5, 0), null, null, null, At(6, 0), null, null, null, null, null),
        Done(5, "li", "team-b", "riverside", Dec1.AddDays(8), Dec1.AddDays(8), Dec1.AddDays(8), Dec1.AddDays(8), Dec1.AddDays(8), calledBack: true, 9, 5),
        new(6, "WO-6", "riverside", null, null, Severity.Normal, TicketStatus.Created, At(22, 0), null, null, null, At(46, 0), null, null, null, null, null),
    ];

    [Fact]
    public void Performance_per_technician_matches_the_hand_computed_figures()
    {
        var report = ReportCalculations.Performance(Tickets, "technician", Dec1, Dec1.AddDays(7));
        report.Rows.ShouldBe([
            new PerformanceRowDto("-", 1, 0, null, null, null, null, null, false, null),
            new PerformanceRowDto("li", 1, 0.5, 6, 12, 42, 1.0, 1.0, true, 2),
            new PerformanceRowDto("wang", 2, 4.0, 3, 20, 90, 0.5, 0.5, false, 5),
        ]);
    }

    [Fact]
    public void Performance_per_site_and_team_groups_the_same_tickets()
    {
        ReportCalculations.Performance(Tickets, "site", Dec1, Dec1.AddDays(7)).Rows.Select(r => (r.Key, r.Tickets, r.LabourHours))
            .ShouldBe([("harbour", 2, 4.0), ("riverside", 2, 0.5)]);
        ReportCalculations.Performance(Tickets, "team", Dec1, Dec1.AddDays(7)).Rows.Select(r => (r.Key, r.Tickets))
            .ShouldBe([("-", 1), ("team-a", 2), ("team-b", 1)]);
    }

    [Fact]
    public void Daily_review_lists_open_tickets_per_technician_and_what_was_due_with_why()
    {
        // 2026-12-07 in Shanghai: 2026-12-06 16:00Z to 2026-12-07 16:00Z.
        var from = new DateTimeOffset(2026, 12, 6, 16, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(1);
        ReportTicket Open(long id, string? technician, TicketStatus status, DateTimeOffset due, string? note = null) =>
            new(id, $"WO-{id}", "harbour", null, technician, Severity.Urgent, status, from.AddDays(-1), null, null, null, due, null, null, null, null, note);
        ReportTicket[] tickets =
        [
            Open(1, "wang", TicketStatus.Dispatched, from.AddHours(9), "waiting for the spare pump"),
            Open(2, "wang", TicketStatus.Resolved, from.AddHours(2)),
            Open(3, "li", TicketStatus.OnSite, to.AddHours(5)),
            Open(4, null, TicketStatus.Created, from.AddHours(18)),
            Open(5, "li", TicketStatus.Closed, from.AddHours(1)),
            Open(6, "li", TicketStatus.Accepted, to),
        ];

        var review = ReportCalculations.DailyReview(tickets, new DateOnly(2026, 12, 7), "harbour", from, to);

        review.Technicians.Select(t => (t.Technician, string.Join(",", t.Open.Select(o => o.Id))))
            .ShouldBe([("li", "6,3"), ("wang", "2,1"), (null, "4")]);
        review.Overdue.Select(o => (o.Id, o.Reason, o.Note)).ShouldBe([(1, "not-accepted", "waiting for the spare pump"), (4, "not-dispatched", null)]);
    }

    [Fact]
    public void Csv_and_excel_exports_carry_the_same_figures()
    {
        var report = ReportCalculations.Performance(Tickets, "technician", Dec1, Dec1.AddDays(7));

        var csv = ReportExport.Csv(report);
        csv.Take(3).ShouldBe(Encoding.UTF8.GetPreamble(), "a BOM, so Excel reads the UTF-8");
        Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "key,tickets,labour_hours,mean_minutes_to_accept,mean_minutes_to_arrive,mean_minutes_to_resolve,within_standard_share,callback_rate,callback_target_met,satisfaction",
            "-,1,0,,,,,,false,",
            "li,1,0.5,6,12,42,1,1,true,2",
            "wang,2,4,3,20,90,0.5,0.5,false,5",
        ]);

        using var workbook = new XLWorkbook(new MemoryStream(ReportExport.Xlsx(report)));
        var sheet = workbook.Worksheet(1);
        sheet.Cell(1, 1).GetString().ShouldBe("key");
        sheet.Cell(4, 1).GetString().ShouldBe("wang");
        sheet.Cell(4, 2).GetDouble().ShouldBe(2);
        sheet.Cell(4, 6).GetDouble().ShouldBe(90);
        sheet.Cell(4, 8).GetDouble().ShouldBe(0.5);
        sheet.Cell(3, 9).GetBoolean().ShouldBeTrue();
    }
}
