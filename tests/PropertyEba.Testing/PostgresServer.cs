using System.Diagnostics;
using System.Globalization;

namespace PropertyEba.Testing;

/// <summary>
/// Debian's PostgreSQL on a free loopback port: a cluster made by initdb in a temp folder (trust authentication, for
/// loopback only), the postmaster run in the foreground so that its output is kept, stopped with pg_ctl and the folder
/// removed when disposed. initdb and postgres refuse to run as root, so as root (as the tests run) both run as the
/// <c>postgres</c> user the Debian package creates, on a folder it owns. One server serves a whole test run; each
/// test gets a database of its own (<see cref="NewDatabaseName"/>), which EF's migrator creates.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    // The package named by every failure (its Prerequisite.Program calls spell it out, for tests/preflight.sh's coverage check).
    private const string DebianPackage = "postgresql";
    private const string ServiceUser = "postgres";

    private readonly string _directory;
    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private ServerProcess? _process;

    private PostgresServer(string directory, string binDirectory, int port)
    {
        _directory = directory;
        _dataDirectory = Path.Combine(directory, "data");
        _binDirectory = binDirectory;
        Port = port;
    }

    public int Port { get; }

    public string Output => _process?.Output ?? "";

    /// <summary>Initialises a cluster and starts it; fails naming the Debian package when PostgreSQL is not installed.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var initdb = Prerequisite.Program("initdb", "postgresql", InstalledVersions().Select(bin => Path.Combine(bin, "initdb")).ToArray());
        var directory = Directory.CreateTempSubdirectory("postgres-").FullName;
        if (RunsAsRoot && !OperatingSystem.IsWindows())
        {
            // The postgres user must be able to create the cluster's folder (it then owns it, mode 0700).
            File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        }

        var server = new PostgresServer(directory, Path.GetDirectoryName(initdb)!, FreePort.Next());
        try
        {
            await server.RunToEndAsync("initdb", ["-D", server._dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
            server._process = ServerProcess.Start(server.AsServiceUser("postgres"), server.ServiceUserArgs("postgres",
            [
                "-D", server._dataDirectory,
                "-p", server.Port.ToString(CultureInfo.InvariantCulture),
                "-k", server._dataDirectory,
                "-c", "listen_addresses=127.0.0.1",
                // A test cluster: durability is not under test, speed is welcome; each test's database holds a pool.
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "max_connections=300",
            ]), workDir: directory);
            await server._process.WaitForTcpAsync(server.Port);
            // The port opens before recovery ends; until this line a connection is refused as "starting up".
            await server._process.WaitForOutputAsync("ready to accept connections", TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A database name no other test uses; the connection string of <see cref="ConnectionString"/> with it creates it on migration.</summary>
    public static string NewDatabaseName(string prefix) =>
        $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();

    /// <summary>Npgsql connection string for <paramref name="database"/> on this server, over loopback TCP.</summary>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true");

    /// <summary>Runs one SQL statement with psql and returns what it prints (unaligned, tuples only).</summary>
    public async Task<string> QueryAsync(string database, string sql)
    {
        var psql = Prerequisite.Program("psql", "postgresql", InstalledVersions().Select(bin => Path.Combine(bin, "psql")).ToArray());
        return await RunAsync(psql, ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                try
                {
                    // A fast shutdown ends the backends and removes the shared memory and the socket, which a kill would leave.
                    await RunToEndAsync("pg_ctl", ["-D", _dataDirectory, "-m", "fast", "-w", "stop"]);
                }
                catch (InvalidOperationException)
                {
                    // The kill below still ends it.
                }
            }

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

    private static bool RunsAsRoot => Environment.UserName == "root";

    // Debian installs each major version under /usr/lib/postgresql/<major>/bin, which is not on PATH; newest first.
    private static IEnumerable<string> InstalledVersions() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
                .Select(d => Path.Combine(d, "bin"))
            : [];

    private string AsServiceUser(string program) =>
        RunsAsRoot ? Prerequisite.Program("runuser", "util-linux", "/usr/sbin/runuser", "/sbin/runuser") : Path.Combine(_binDirectory, program);

    private string[] ServiceUserArgs(string program, string[] args) =>
        RunsAsRoot ? ["-u", ServiceUser, "--", Path.Combine(_binDirectory, program), .. args] : args;

    private Task<string> RunToEndAsync(string program, string[] args) =>
        RunAsync(AsServiceUser(program), ServiceUserArgs(program, args));

    private async Task<string> RunAsync(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}" +
                (RunsAsRoot ? $" (run as the '{ServiceUser}' user that Debian's {DebianPackage} package creates)" : ""));
        }

        return (await output).Trim();
    }
}
