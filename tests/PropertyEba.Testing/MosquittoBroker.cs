using System.Globalization;
using System.Runtime.InteropServices;

namespace PropertyEba.Testing;

/// <summary>
/// Debian's mosquitto on a free loopback port, with persistence in a folder of its own, so that it can
/// be stopped gracefully (SIGTERM: it saves sessions and queued messages) and started again on the
/// same port with the same state, as a production broker restart does. Runs as root (`user root`), as the tests do.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _config;
    private ServerProcess? _process;

    private MosquittoBroker(string directory, int port, IEnumerable<string> extraSettings)
    {
        _directory = directory;
        Port = port;
        _config = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            listener {port} 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location {directory}/
            user root
            log_dest stdout
            log_type error
            log_type warning
            log_type notice

            """) + string.Join('\n', extraSettings) + "\n");
    }

    public int Port { get; }

    public string Output => _process?.Output ?? "";

    /// <summary>Starts a broker; <paramref name="extraSettings"/> are further mosquitto.conf lines (queue limits, say).</summary>
    public static Task<MosquittoBroker> StartAsync(params string[] extraSettings) => StartAsync(FreePort.Next(), extraSettings);

    /// <summary>A broker on a port chosen before (a cloud configured with it started first).</summary>
    public static async Task<MosquittoBroker> StartAsync(int port, params string[] extraSettings)
    {
        var broker = new MosquittoBroker(Directory.CreateTempSubdirectory("mosquitto-").FullName, port, extraSettings);
        await broker.StartAgainAsync();
        return broker;
    }

    public async Task StartAgainAsync()
    {
        var program = Prerequisite.Program("mosquitto", "mosquitto", "/usr/sbin/mosquitto");
        _process = ServerProcess.Start(program, ["-c", _config]);
        await _process.WaitForTcpAsync(Port);
    }

    /// <summary>Stops the broker as systemd would (SIGTERM), and waits until it has saved its state and exited.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("The broker is not running.");
        var pid = FindPid();
        if (Kill(pid, 15) != 0)
        {
            throw new InvalidOperationException($"Could not signal mosquitto (pid {pid}).");
        }

        await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        await process.DisposeAsync();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Removed by the OS's temp cleaning later.
        }
    }

    // The process this fixture started: the only mosquitto whose command line names our config file.
    private int FindPid()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("mosquitto", StringComparison.Ordinal) && cmdline.Contains(_config, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException($"mosquitto with {_config} is not running: {Output}");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
