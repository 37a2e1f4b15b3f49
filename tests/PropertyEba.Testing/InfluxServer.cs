using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace PropertyEba.Testing;

/// <summary>
/// Debian's influxd 1.6 on free loopback ports, with its meta, data and WAL folders in a temp folder of its
/// own and a generated config (usage reporting off, the RPC service on loopback too). It can be stopped
/// (SIGTERM, as systemd does) and started again on the same ports with the same data, as an outage is.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private const string DebianPackage = "influxdb";
    private readonly string _directory;
    private readonly string _config;
    private ServerProcess? _process;

    private InfluxServer(string directory, int httpPort, int rpcPort)
    {
        _directory = directory;
        HttpPort = httpPort;
        _config = Path.Combine(directory, "influxdb.conf");
        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpcPort}"

            [meta]
              dir = "{directory}/meta"

            [data]
              dir = "{directory}/data"
              wal-dir = "{directory}/wal"
              query-log-enabled = false
              trace-logging-enabled = false

            [http]
              enabled = true
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false

            [monitor]
              store-enabled = false

            [continuous_queries]
              enabled = false

            """));
    }

    public int HttpPort { get; }

    /// <summary>The v1 HTTP API's base address.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{HttpPort}");

    public string Output => _process?.Output ?? "";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<InfluxServer> StartAsync()
    {
        var server = new InfluxServer(Directory.CreateTempSubdirectory("influxd-").FullName, FreePort.Next(), FreePort.Next());
        try
        {
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts influxd (again) on the same ports and folders and waits until /ping answers 204.</summary>
    public async Task StartAgainAsync()
    {
        var influxd = Prerequisite.Program("influxd", DebianPackage, "/usr/bin/influxd");

        // The process's own folder only holds its working directory; the data stay in _directory across restarts.
        _process = ServerProcess.Start(influxd, ["run", "-config", _config], workDir: Directory.CreateTempSubdirectory("influxd-run-").FullName);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.UntilAsync(async ct =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"influxd exited with {await _process.WaitForExitAsync(TimeSpan.FromSeconds(1))}: {Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url + "/ping"), ct);
                return response.StatusCode == HttpStatusCode.NoContent;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }, $"influxd to answer /ping with 204 on {Url} (output: {Output})", TimeSpan.FromSeconds(60));
    }

    /// <summary>Stops influxd with SIGTERM and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("influxd is not running.");
        _process = null;
        if (!process.HasExited && Kill(process.ProcessId, 15) == 0)
        {
            try
            {
                await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
                // Killed by the dispose below.
            }
        }

        await process.DisposeAsync();
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
