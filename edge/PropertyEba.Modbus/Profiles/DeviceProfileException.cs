namespace PropertyEba.Modbus.Profiles;

/// <summary>A device profile file that cannot be used; the message names the file and every problem found.</summary>
public sealed class DeviceProfileException : Exception
{
    /// <summary>Creates the exception with the file and the list of problems.</summary>
    public DeviceProfileException(string source, IReadOnlyList<string> problems, Exception? inner = null)
        : base($"Device profile {source} is invalid: {string.Join("; ", problems)}", inner)
    {
        Source = source;
        Problems = problems;
    }

    /// <summary>The file (or other source) the profile came from.</summary>
    public new string Source { get; }

    /// <summary>Every problem found, each a sentence naming the point and field.</summary>
    public IReadOnlyList<string> Problems { get; }
}
