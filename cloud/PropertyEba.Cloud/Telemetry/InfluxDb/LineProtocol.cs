using System.Globalization;
using System.Text;

namespace PropertyEba.Cloud.Telemetry.InfluxDb;

/// <summary>
/// Writes InfluxDB line protocol (<c>measurement,tag=v field=1 1700000000000</c>) with the escaping
/// the v1 parser expects: in a measurement, commas and spaces; in tag keys, tag values and field keys,
/// commas, equals signs and spaces; in a string field value, double quotes and backslashes. Line
/// breaks cannot be escaped anywhere and non-finite floats cannot be written at all, so both are
/// refused here with a message rather than left for influxd to reject a whole batch over one point.
/// </summary>
public static class LineProtocol
{
    public static void AppendMeasurement(StringBuilder line, string measurement)
    {
        RefuseUnwritable(measurement, "measurement");
        foreach (var c in measurement)
        {
            if (c is ',' or ' ')
            {
                line.Append('\\');
            }

            line.Append(c);
        }
    }

    /// <summary>Appends <c>,key=value</c>; influxd drops a tag with an empty value, so one is refused.</summary>
    public static void AppendTag(StringBuilder line, string key, string value)
    {
        line.Append(',');
        AppendKey(line, key, "tag key");
        line.Append('=');
        AppendKey(line, value, $"value of tag '{key}'");
    }

    /// <summary>Appends a field key (escaped like a tag key).</summary>
    public static void AppendFieldKey(StringBuilder line, string key) => AppendKey(line, key, "field key");

    /// <summary>A float field value; NaN and infinities have no line-protocol form.</summary>
    public static void AppendFloat(StringBuilder line, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "InfluxDB line protocol has no NaN or infinite floats; only finite values can be written.");
        }

        line.Append(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public static void AppendInteger(StringBuilder line, long value) =>
        line.Append(value.ToString(CultureInfo.InvariantCulture)).Append('i');

    /// <summary>A string field value in double quotes, with quotes and backslashes escaped.</summary>
    public static void AppendString(StringBuilder line, string value)
    {
        RefuseUnwritable(value, "string field");
        line.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                line.Append('\\');
            }

            line.Append(c);
        }

        line.Append('"');
    }

    private static void AppendKey(StringBuilder line, string text, string what)
    {
        RefuseUnwritable(text, what);

        // influxd 1.x reads a backslash before anything but , = and space literally, but a trailing
        // backslash would escape the separator after it and shift every following key.
        if (text[^1] == '\\')
        {
            throw new ArgumentException($"The {what} '{text}' ends with a backslash, which line protocol cannot express.", nameof(text));
        }

        foreach (var c in text)
        {
            if (c is ',' or '=' or ' ')
            {
                line.Append('\\');
            }

            line.Append(c);
        }
    }

    private static void RefuseUnwritable(string text, string what)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException($"The {what} is empty; line protocol needs at least one character.", nameof(text));
        }

        if (text.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new ArgumentException($"The {what} '{text.ReplaceLineEndings(" ")}' contains a line break, which line protocol cannot escape.", nameof(text));
        }
    }
}
