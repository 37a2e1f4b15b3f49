namespace PropertyEba.Testing;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd (python3-aiosmtpd) on a free loopback port, with the handler
/// tests/PropertyEba.Testing/smtp_sink.py writing each accepted message to <see cref="Folder"/> as an .eml file.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private SmtpSink(ServerProcess process, int port, string folder)
    {
        _process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public string Output => _process.Output;

    public static Task<SmtpSink> StartAsync() => StartAsync(FreePort.Next());

    /// <summary>A server on a port chosen before (a client configured with it tried first).</summary>
    public static async Task<SmtpSink> StartAsync(int port)
    {
        var python = Prerequisite.DebianPython("aiosmtpd", "python3-aiosmtpd");
        var script = Path.Combine(RepositoryRoot.Path, "tests", "PropertyEba.Testing", "smtp_sink.py");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The SMTP sink handler {script} is missing.");
        }

        var work = Directory.CreateTempSubdirectory("smtp-").FullName;
        var folder = Path.Combine(work, "mail");
        var process = ServerProcess.Start(python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "smtp_sink.FolderHandler", folder], work,
            new Dictionary<string, string> { ["PYTHONPATH"] = Path.GetDirectoryName(script)!, ["PYTHONUNBUFFERED"] = "1" });
        await process.WaitForTcpAsync(port);
        return new SmtpSink(process, port, folder);
    }

    /// <summary>The messages received so far, oldest first, as raw text (envelope lines first).</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.Exists(Folder)
            ? [.. Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal).Select(File.ReadAllText)]
            : [];

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
