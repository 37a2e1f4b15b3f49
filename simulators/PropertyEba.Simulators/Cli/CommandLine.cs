using System.Globalization;

namespace PropertyEba.Simulators.Cli;

/// <summary>A command line usage mistake; the CLI prints the message and the usage, and exits with 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Positional arguments, <c>--name value</c> options and <c>--flag</c> switches of one command.</summary>
internal sealed class CommandLine
{
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public CommandLine(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (!a.StartsWith("--", StringComparison.Ordinal))
            {
                _positional.Add(a);
            }
            else if (flags.Contains(a))
            {
                _flags.Add(a);
            }
            else if (e.MoveNext())
            {
                (_options.TryGetValue(a, out var list) ? list : _options[a] = []).Add(e.Current);
            }
            else
            {
                throw new UsageException($"option {a} needs a value");
            }
        }
    }

    public string Positional(int index, string what) =>
        index < _positional.Count ? _positional[index] : throw new UsageException($"missing {what}");

    public bool Flag(string name) => _flags.Contains(name);

    public string? Option(string name) => _options.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Options(string name) => _options.TryGetValue(name, out var v) ? v : [];

    public int IntOption(string name, int @default, int min, int max)
    {
        var text = Option(name);
        if (text is null)
        {
            return @default;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new UsageException($"{name} is '{text}'; allowed: a whole number {min}..{max}");
    }

    public double DoubleOption(string name, double @default, double min, double max)
    {
        var text = Option(name);
        if (text is null)
        {
            return @default;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new UsageException($"{name} is '{text}'; allowed: a number {min}..{max}");
    }
}
