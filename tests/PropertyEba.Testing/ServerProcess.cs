using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace PropertyEba.Testing;

/// <summary>
/// A real server (mosquitto, a python slave, socat...) started as a child process in its own temp
/// folder; its output is kept so a failure can show it; disposing kills it and removes the folder.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string workDir)
    {
        _process = process;
        WorkDir = workDir;
    }

    public string WorkDir { get; }

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServerProcess Start(string program, IEnumerable<string> args, string? workDir = null, IDictionary<string, string>? env = null)
    {
        workDir ??= Directory.CreateTempSubdirectory("propertyeba-").FullName;
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new ServerProcess(process, workDir);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until the server accepts TCP connections on the port, or fails with its output.</summary>
    public async Task WaitForTcpAsync(int port, TimeSpan? timeout = null)
    {
        await Eventually.UntilAsync(async ct =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}: {Output}");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, ct);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"{Path.GetFileName(_process.StartInfo.FileName)} to listen on 127.0.0.1:{port} (output: {Output})", timeout ?? TimeSpan.FromSeconds(20));
    }

    /// <summary>Waits until the process prints a line containing the text.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => Output.Contains(text, StringComparison.Ordinal), $"output '{text}' from {_process.StartInfo.FileName}", timeout);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 1_000_000)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(WorkDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a dying child; the temp folder is cleaned by the OS later.
            }
        }
    }
}
