using System.Globalization;

namespace PropertyEba.Ingestion.Benchmarks;

/// <summary>The <c>--name value</c> pairs of the command line, read once; an unknown or malformed one stops the harness.</summary>
internal sealed class HarnessArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private HarnessArguments()
    {
    }

    public static HarnessArguments Parse(IEnumerable<string> args)
    {
        var parsed = new HarnessArguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length < 3)
            {
                throw new ArgumentException($"Expected an option such as --publishers, found '{name}'.");
            }

            if (!e.MoveNext())
            {
                throw new ArgumentException($"Option {name} needs a value.");
            }

            parsed._values[name[2..]] = e.Current;
        }

        return parsed;
    }

    public string? String(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string RequiredString(string name) =>
        String(name) ?? throw new ArgumentException($"Option --{name} is required.");

    public int Int(string name, int defaultValue) =>
        String(name) is { } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"--{name} {text}: a whole number above 0 is expected.")
            : defaultValue;

    public double? Double(string name) =>
        String(name) is { } text
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
                ? v
                : throw new ArgumentException($"--{name} {text}: a number above 0 is expected.")
            : null;

    /// <summary>A time span as <c>30s</c>, <c>2m</c>, <c>500ms</c> or plain seconds.</summary>
    public TimeSpan Duration(string name, TimeSpan defaultValue)
    {
        if (String(name) is not { } text)
        {
            return defaultValue;
        }

        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? TimeSpan.FromSeconds(v * unit)
            : throw new ArgumentException($"--{name} {text}: a duration such as 30s, 2m or 500ms is expected.");
    }

    /// <summary>host:port</summary>
    public (string Host, int Port) Endpoint(string name)
    {
        var text = RequiredString(name);
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (text[..colon], port)
            : throw new ArgumentException($"--{name} {text}: host:port is expected, e.g. 127.0.0.1:1883.");
    }

    /// <summary>Fails on options that no code read: a misspelt option must not silently measure something else.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }
}
