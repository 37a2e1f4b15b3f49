using System.Globalization;
using ClosedXML.Excel;
using global::CsvHelper;
using global::CsvHelper.Configuration;

namespace PropertyEba.Edge.Configuration.Import;

/// <summary>Reads a vendor register list as rows of text: CSV (CsvHelper; comma, semicolon or tab, detected) or an Excel sheet (ClosedXML, the first worksheet).</summary>
public static class RegisterSheetReader
{
    /// <summary>The rows of the file, the header first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".XLSX" or ".XLSM" => ReadExcel(path),
            _ => ReadCsv(path),
        };
    }

    private static List<IReadOnlyList<string>> ReadCsv(string path)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            HasHeaderRecord = false,
            BadDataFound = null,
            TrimOptions = TrimOptions.Trim,
        };
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var parser = new CsvParser(reader, config);
        var rows = new List<IReadOnlyList<string>>();
        while (parser.Read())
        {
            rows.Add(parser.Record ?? []);
        }

        return rows;
    }

    private static List<IReadOnlyList<string>> ReadExcel(string path)
    {
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheet(1);
        var used = sheet.RangeUsed();
        var rows = new List<IReadOnlyList<string>>();
        if (used is null)
        {
            return rows;
        }

        var columns = used.ColumnCount();
        foreach (var row in used.Rows())
        {
            var cells = new List<string>(columns);
            for (var c = 1; c <= columns; c++)
            {
                cells.Add(row.Cell(c).GetFormattedString());
            }

            rows.Add(cells);
        }

        return rows;
    }
}
