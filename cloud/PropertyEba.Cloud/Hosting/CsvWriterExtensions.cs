using CsvHelper;

namespace PropertyEba.Cloud.Hosting;

/// <summary>The API's CSV exports write ready-formatted text fields, one record per row.</summary>
public static class CsvWriterExtensions
{
    /// <summary>Writes the fields as one record (a null field is empty) and ends the line.</summary>
    public static void WriteRow(this CsvWriter csv, IEnumerable<string?> values)
    {
        foreach (var value in values)
        {
            csv.WriteField(value);
        }

        csv.NextRecord();
    }
}
