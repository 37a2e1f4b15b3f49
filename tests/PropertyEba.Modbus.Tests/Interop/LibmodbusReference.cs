using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Interop;

/// <summary>
/// The libmodbus reference client and server of benchmarks/libmodbus-reference, compiled with gcc into a
/// temp folder once per test run (binaries are never committed).
/// </summary>
internal static class LibmodbusReference
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    public static async Task<string> ServerAsync() => Path.Combine(await Built.Value, "modbus_ref_server");

    public static async Task<string> ClientAsync() => Path.Combine(await Built.Value, "modbus_ref_client");

    private static async Task<string> BuildAsync()
    {
        Prerequisite.Program("gcc", "gcc");
        var pkgConfig = Prerequisite.Program("pkg-config", "pkg-config");
        var (found, _) = await ExternalProgram.RunAsync(pkgConfig, ["--exists", "libmodbus"]);
        if (found != 0)
        {
            throw new InvalidOperationException("The test needs libmodbus's headers. Install it with: apt-get install -y libmodbus-dev");
        }

        var output = Path.Combine(Path.GetTempPath(), $"propertyeba-libmodbus-{Environment.ProcessId}");
        var script = Path.Combine(ExternalProgram.RepositoryRoot, "benchmarks", "libmodbus-reference", "build.sh");
        var (exit, log) = await ExternalProgram.RunAsync(Prerequisite.Program("sh", "dash"), [script, output]);
        if (exit != 0)
        {
            throw new InvalidOperationException($"Building the libmodbus reference programs failed ({exit}): {log}");
        }

        return output;
    }
}
