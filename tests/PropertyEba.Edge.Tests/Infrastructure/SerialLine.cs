using PropertyEba.Testing;

namespace PropertyEba.Edge.Tests.Infrastructure;

/// <summary>A serial line made of two pseudo-terminals joined by socat: the agent opens one end, a Modbus RTU slave the other.</summary>
internal sealed class SerialLine : IAsyncDisposable
{
    private readonly ServerProcess _socat;
    private readonly string _directory;

    private SerialLine(ServerProcess socat, string directory)
    {
        _socat = socat;
        _directory = directory;
    }

    public string AgentEnd => Path.Combine(_directory, "agent");

    public string DeviceEnd => Path.Combine(_directory, "device");

    public static async Task<SerialLine> StartAsync()
    {
        var socat = Prerequisite.Program("socat", "socat");
        var directory = TestOptions.TempDirectory();
        var process = ServerProcess.Start(socat, ["-d", "-d", $"pty,raw,echo=0,link={directory}/agent", $"pty,raw,echo=0,link={directory}/device"]);
        var line = new SerialLine(process, directory);
        await Eventually.UntilAsync(() => File.Exists(line.AgentEnd) && File.Exists(line.DeviceEnd), $"socat to create the pseudo-terminals ({process.Output})");
        return line;
    }

    public async ValueTask DisposeAsync()
    {
        await _socat.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
