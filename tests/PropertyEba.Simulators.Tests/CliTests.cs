using System.Globalization;
using System.Text.RegularExpressions;
using PropertyEba.Testing;

namespace PropertyEba.Simulators.Tests;

/// <summary>The command line, run as an installer runs it: a separate process, stdout read line by line.</summary>
public sealed partial class CliTests
{
    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string SimulatorDll => Path.Combine(AppContext.BaseDirectory, "PropertyEba.Simulators.dll");

    [GeneratedRegex(@"^(?<id>\S+) (?<model>\S+) tcp://127\.0\.0\.1:(?<port>\d+) unit (?<unit>\d+)$", RegexOptions.Multiline)]
    private static partial Regex DeviceLine();

    [GeneratedRegex(@"^control (?<url>http://127\.0\.0\.1:\d+/estates/\S+)$", RegexOptions.Multiline)]
    private static partial Regex ControlLine();

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args)
    {
        await using var process = ServerProcess.Start(Dotnet, [SimulatorDll, .. args]);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, process.Output);
    }

    [Fact]
    public async Task Run_prints_each_device_endpoint_then_the_control_url_and_faults_can_be_driven_from_the_command_line()
    {
        await using var run = ServerProcess.Start(Dotnet, [SimulatorDll, "run", "demo", "--seed", "3", "--speed", "1"]);
        await run.WaitForOutputAsync("control http");
        var devices = DeviceLine().Matches(run.Output).ToList();
        devices.Select(m => m.Groups["id"].Value + " " + m.Groups["model"].Value).ShouldBe(["tank-1 water-tank-level", "pumps-1 pump-set-duplex", "meter-1 power-meter-3p"]);
        devices.ShouldAllBe(m => m.Groups["unit"].Value == "1");
        var control = ControlLine().Match(run.Output).Groups["url"].Value;
        control.ShouldEndWith("/estates/demo");
        var tankPort = devices[0].Groups["port"].Value;

        var (code, probe) = await RunToEndAsync("probe", $"tcp://127.0.0.1:{tankPort}", "--unit", "1", "--table", "ir", "--address", "0", "--count", "2");
        code.ShouldBe(0, probe);
        var level = int.Parse(Regex.Match(probe, @"^0 (\d+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture) / 1000.0;
        level.ShouldBeInRange(1.0, 3.0);

        (code, var injected) = await RunToEndAsync("fault", control, "tank-low");
        code.ShouldBe(0, injected);
        await Eventually.UntilAsync(async _ =>
        {
            var (_, text) = await RunToEndAsync("probe", $"tcp://127.0.0.1:{tankPort}", "--unit", "1", "--table", "di", "--address", "0", "--count", "1");
            return text.Contains("0 1", StringComparison.Ordinal);
        }, "the low-level switch seen by probe", TimeSpan.FromSeconds(15));
        (code, var cleared) = await RunToEndAsync("fault", control, "clear");
        code.ShouldBe(0, cleared);
    }

    [Fact]
    public async Task Probe_reads_a_slave_that_is_not_ours_and_decodes_every_word_order()
    {
        var python = Prerequisite.DebianPython("pymodbus", "python3-pymodbus");
        var port = FreePort.Next();
        await using var slave = ServerProcess.Start(python, [Path.Combine(AppContext.BaseDirectory, "pymodbus_slave.py"), port.ToString(CultureInfo.InvariantCulture)]);
        await slave.WaitForTcpAsync(port);

        var (code, output) = await RunToEndAsync("probe", $"tcp://127.0.0.1:{port}", "--unit", "1", "--table", "hr", "--address", "0", "--count", "4", "--decode");
        code.ShouldBe(0, output);
        output.ShouldContain("0-1 CDAB int32=");
        output.ShouldContain("float32=230.5");
        Regex.IsMatch(output, @"^0-1 CDAB .*float32=230\.5$", RegexOptions.Multiline).ShouldBeTrue(output);
        Regex.IsMatch(output, @"^2-3 ABCD int32=123456 uint32=123456 ", RegexOptions.Multiline).ShouldBeTrue(output);

        (code, output) = await RunToEndAsync("probe", $"tcp://127.0.0.1:{port}", "--unit", "1", "--table", "coil", "--address", "1", "--count", "3", "--one-based");
        code.ShouldBe(0, output);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldBe(["1 1", "2 0", "3 1"]);
    }

    [Fact]
    public async Task List_names_every_model_the_sample_estates_and_the_faults()
    {
        var (code, output) = await RunToEndAsync("list");
        code.ShouldBe(0, output);
        foreach (var model in Devices.DeviceModelCatalog.All)
        {
            output.ShouldContain(model.Model);
        }

        output.ShouldContain("garden");
        output.ShouldContain("pump-trip");
        output.ShouldContain("mains-failure");
    }

    [Fact]
    public async Task Mistakes_exit_non_zero_with_a_message_that_says_what_is_allowed()
    {
        var (code, output) = await RunToEndAsync("run", "atlantis");
        code.ShouldBe(1);
        output.ShouldContain("demo");
        (code, output) = await RunToEndAsync("probe", "tcp://127.0.0.1:1502", "--table", "xx");
        code.ShouldBe(2);
        output.ShouldContain("hr, ir, coil, di");
        (code, output) = await RunToEndAsync("probe", $"tcp://127.0.0.1:{FreePort.Next()}", "--table", "hr");
        code.ShouldBe(1, output);
        output.ShouldStartWith("error: ");
    }

    [Fact]
    public async Task Docs_command_writes_one_page_per_model_and_an_index()
    {
        var dir = Directory.CreateTempSubdirectory("devices-");
        try
        {
            var (code, output) = await RunToEndAsync("docs", "--out", dir.FullName);
            code.ShouldBe(0, output);
            Directory.EnumerateFiles(dir.FullName, "*.md").Count().ShouldBe(Devices.DeviceModelCatalog.All.Count + 1);
            (await File.ReadAllTextAsync(Path.Combine(dir.FullName, "water-tank-level.md"))).ShouldContain("| `level` | Domestic water tank level | 生活水箱水位 |");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
