using System.Diagnostics;

namespace PropertyEba.Simulators.Hosting;

/// <summary>
/// A pair of linked pseudo-terminals made by socat, standing in for an RS-485 line: the simulator
/// serves one end, an edge agent (or mbpoll) opens the other. Disposing stops socat.
/// </summary>
internal sealed class PseudoTerminalPair : IAsyncDisposable
{
    private readonly Process _socat;
    private readonly DirectoryInfo _dir;

    private PseudoTerminalPair(Process socat, DirectoryInfo dir, string simulatorEnd, string masterEnd)
    {
        _socat = socat;
        _dir = dir;
        SimulatorEnd = simulatorEnd;
        MasterEnd = masterEnd;
    }

    /// <summary>The end the simulated devices answer on.</summary>
    public string SimulatorEnd { get; }

    /// <summary>The end a master opens, e.g. <c>/tmp/propertyeba-pty-x/edge</c>.</summary>
    public string MasterEnd { get; }

    public static async Task<PseudoTerminalPair> StartAsync(CancellationToken cancellationToken)
    {
        var socat = new[] { "/usr/bin/socat", "/usr/local/bin/socat" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("A serial port 'pty' needs socat to make the pseudo-terminal pair; install it with: apt-get install -y socat");
        var dir = Directory.CreateTempSubdirectory("propertyeba-pty-");
        var sim = Path.Combine(dir.FullName, "simulator");
        var edge = Path.Combine(dir.FullName, "edge");
        var psi = new ProcessStartInfo(socat, ["-d", "-d", $"pty,raw,echo=0,link={sim}", $"pty,raw,echo=0,link={edge}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi) ?? throw new InvalidOperationException("socat did not start.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var pair = new PseudoTerminalPair(process, dir, sim, edge);
        var waited = Stopwatch.StartNew();
        while (!(File.Exists(sim) && File.Exists(edge)))
        {
            if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                await pair.DisposeAsync();
                throw new InvalidOperationException($"socat did not create the pseudo-terminals {sim} and {edge}.");
            }

            await Task.Delay(20, cancellationToken);
        }

        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_socat.HasExited)
            {
                _socat.Kill();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socat.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _socat.Dispose();
            try
            {
                _dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // socat may still hold a link for a moment; the temp folder is cleaned by the OS.
            }
        }
    }
}
