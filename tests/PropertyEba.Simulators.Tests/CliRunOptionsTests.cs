using System.Text.RegularExpressions;
using PropertyEba.Testing;

namespace PropertyEba.Simulators.Tests;

public sealed partial class CliTests
{
    [Fact]
    public async Task Run_injects_faults_given_on_the_command_line_and_plays_a_script_file()
    {
        var dir = Directory.CreateTempSubdirectory("script-");
        try
        {
            var script = Path.Combine(dir.FullName, "script.json");
            await File.WriteAllTextAsync(script, """[ { "at": "00:00:20", "fault": "tank-low" } ]""");
            await using var run = ServerProcess.Start(Dotnet, [SimulatorDll, "run", "demo", "--fault", "pump-trip@pumps-1", "--script", script, "--speed", "20"]);
            await run.WaitForOutputAsync("control http");
            var control = ControlLine().Match(run.Output).Groups["url"].Value;
            using var http = new HttpClient();
            var pumps = await http.GetStringAsync($"{control}/devices/pumps-1/values");
            pumps.ShouldContain("""{"id":"pump1.vfdFault","name":"Pump 1 VFD fault","nameZh":"1#变频器故障","unit":null,"value":1}""");
            await Eventually.UntilAsync(
                async ct => (await http.GetStringAsync($"{control}/faults", ct)).Contains("\"fault\":\"tank-low\"", StringComparison.Ordinal),
                "the script's tank-low after 20 simulated seconds",
                TimeSpan.FromSeconds(10));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Scale_serves_many_estates_each_behind_one_port_and_reports_cpu_and_memory()
    {
        var (code, output) = await RunToEndAsync("scale", "--estates", "3", "--duration", "1");
        code.ShouldBe(0, output);
        Regex.Matches(output, @"^garden-00[1-3] tcp://127\.0\.0\.1:\d+ units 1-20$", RegexOptions.Multiline).Count.ShouldBe(3, output);
        output.ShouldContain("started 60 devices in 3 estates");
        Regex.IsMatch(output, @"^ran \d+ s: cpu [0-9.]+% of one core, working set \d+ MB", RegexOptions.Multiline).ShouldBeTrue(output);
    }
}
