using System.Globalization;
using ClosedXML.Excel;
using CsvHelper;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Reports;

/// <summary>The performance report as CSV (UTF-8 with a BOM, so Excel in a Chinese locale opens it right) and as an Excel workbook.</summary>
public static class ReportExport
{
    public const string CsvType = "text/csv; charset=utf-8";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly string[] Headers =
        ["key", "tickets", "labour_hours", "mean_minutes_to_accept", "mean_minutes_to_arrive", "mean_minutes_to_resolve", "within_standard_share", "callback_rate", "callback_target_met", "satisfaction"];

    public static byte[] Csv(PerformanceReportDto report)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true))
        {
            csv.WriteRow(Headers);
            foreach (var r in report.Rows)
            {
                csv.WriteRow([.. Values(r).Select(value => value switch
                {
                    null => null,
                    double d => d.ToString("0.####", CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                })]);
            }
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx(PerformanceReportDto report)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add($"by {report.By}");
        for (var c = 0; c < Headers.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = Headers[c];
        }

        var row = 2;
        foreach (var r in report.Rows)
        {
            var values = Values(r);
            for (var c = 0; c < values.Length; c++)
            {
                // Numbers as numbers, so the sheet can sum and chart them.
                sheet.Cell(row, c + 1).Value = values[c] switch
                {
                    null => "",
                    double d => d,
                    int i => i,
                    bool b => b,
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                };
            }

            row++;
        }

        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }

    private static object?[] Values(PerformanceRowDto r) =>
        [r.Key, r.Tickets, r.LabourHours, r.MeanMinutesToAccept, r.MeanMinutesToArrive, r.MeanMinutesToResolve, r.WithinStandardShare, r.CallbackRate, r.CallbackTargetMet, r.Satisfaction];
}
