namespace PropertyEba.Testing;

/// <summary>
/// Two connected pseudo-terminals made by socat, standing in for a serial cable (or an RS-485 bus with
/// two nodes): what is written to <see cref="PortA"/> is read from <see cref="PortB"/> and back.
/// Both are raw, without echo, so serial-port code runs unchanged against them.
/// </summary>
public sealed class PseudoTerminalPair : IAsyncDisposable
{
    private readonly ServerProcess _socat;

    private PseudoTerminalPair(ServerProcess socat, string portA, string portB)
    {
        _socat = socat;
        PortA = portA;
        PortB = portB;
    }

    /// <summary>Path of one end (a symlink to /dev/pts/N).</summary>
    public string PortA { get; }

    /// <summary>Path of the other end.</summary>
    public string PortB { get; }

    public static async Task<PseudoTerminalPair> StartAsync()
    {
        var socatPath = Prerequisite.Program("socat", "socat");
        var dir = Directory.CreateTempSubdirectory("propertyeba-pty-").FullName;
        var a = Path.Combine(dir, "a");
        var b = Path.Combine(dir, "b");
        var socat = ServerProcess.Start(socatPath, ["-d", "-d", $"pty,raw,echo=0,link={a}", $"pty,raw,echo=0,link={b}"], dir);
        try
        {
            await Eventually.UntilAsync(() => socat.HasExited
                ? throw new InvalidOperationException($"socat exited: {socat.Output}")
                : File.Exists(a) && File.Exists(b), "socat to create the pseudo-terminal pair", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await socat.DisposeAsync();
            throw;
        }

        return new PseudoTerminalPair(socat, a, b);
    }

    public ValueTask DisposeAsync() => _socat.DisposeAsync();
}
