namespace PropertyEba.Simulators.Estates;

/// <summary>A site file that cannot be served; the message names the file and every problem found.</summary>
public sealed class EstateFileException : Exception
{
    /// <summary>Creates the exception with the file and its problems.</summary>
    public EstateFileException(string source, IReadOnlyList<string> problems, Exception? inner = null)
        : base($"Estate file {source} is invalid: {string.Join("; ", problems)}", inner)
    {
        File = source;
        Problems = problems;
    }

    /// <summary>The file (or sample name) the estate came from.</summary>
    public string File { get; }

    /// <summary>Every problem found, each naming the device and field.</summary>
    public IReadOnlyList<string> Problems { get; }
}
