namespace PropertyEba.Modbus.Profiles;

/// <summary>A device profile file that cannot be used; the message names the file and every problem found.</summary>
public sealed class DeviceProfileException : Exception
{
    /// <summary>Creates the exception with the file and the list of problems.</summary>
    public DeviceProfileException(string source, IReadOnlyList<string> problems, Exception? inner = null)
        : this(source, [.. problems.Select(p => new ConfigurationProblem(source, "$", null, null, p))], inner)
    {
    }

    /// <summary>Creates the exception with the file and the problems, each naming its field.</summary>
    public DeviceProfileException(string source, IReadOnlyList<ConfigurationProblem> problems, Exception? inner = null)
        : base($"Device profile {source} is invalid: {string.Join("; ", problems.Where(p => p.Severity == ProblemSeverity.Error).Select(Describe))}", inner)
    {
        Source = source;
        Details = problems;
        Problems = [.. problems.Select(Describe)];
    }

    /// <summary>The file (or other source) the profile came from.</summary>
    public new string Source { get; }

    /// <summary>Every problem found, each a sentence naming the point and field.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Every problem found, with file, field, value and what is allowed.</summary>
    public IReadOnlyList<ConfigurationProblem> Details { get; }

    private static string Describe(ConfigurationProblem p)
    {
        var value = p.Value is null || p.Field == "$" ? "" : $" = {p.Value}";
        var allowed = p.Allowed is null ? "" : $" (allowed: {p.Allowed})";
        return p.Field == "$" ? p.Message : $"{p.Field}{value}: {p.Message}{allowed}";
    }
}
