using System.Diagnostics;
using PropertyEba.Testing;

namespace PropertyEba.EndToEnd.Tests;

/// <summary>The cloud service as a person runs it: a separate process, stopped with Ctrl-C (SIGINT).</summary>
public sealed class CloudProcessTests
{
    [Fact]
    public async Task Service_prints_the_dashboard_url_serves_and_stops_cleanly_on_ctrl_c()
    {
        var dll = CloudAssemblyPath();
        var port = FreePort.Next();
        var data = Directory.CreateTempSubdirectory("propertyeba-process-").FullName;
        // A process started from a background job inherits SIGINT as ignored, and the runtime then keeps
        // ignoring it (as nohup expects); a person at a terminal has it at its default. `env` restores that.
        await using var service = ServerProcess.Start("env",
        [
            "--default-signal=INT", "dotnet", dll, $"--Urls=http://127.0.0.1:{port}", "--Mqtt:Port=0", $"--Persistence:DataDirectory={data}",
        ], workDir: data);

        await service.WaitForOutputAsync($"Dashboard: http://127.0.0.1:{port}", TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await Eventually.UntilAsync(async ct => (await http.GetAsync("/healthz", ct)).IsSuccessStatusCode, "/healthz to answer 200");
        await service.WaitForOutputAsync("Demo estate demo running", TimeSpan.FromSeconds(30));

        // The demo prints its sign-ins once; the administrator's works (no password ships: they are new at every start).
        service.Output.ShouldContain("Demo sign-ins for tenant demo");
        var adminLine = service.Output.Split('\n').Single(l => l.TrimStart().StartsWith("administrator ", StringComparison.Ordinal));
        var adminPassword = adminLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        using (var token = await http.PostAsync("/api/auth/token", new StringContent($"{{\"userName\":\"demo-admin\",\"password\":\"{adminPassword}\"}}", System.Text.Encoding.UTF8, "application/json")))
        {
            token.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        }

        using (var kill = Process.Start("kill", ["-INT", service.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(30));
        exitCode.ShouldBe(0, service.Output);
        service.Output.ShouldContain("Embedded MQTT broker stopped");
        service.Output.ShouldContain("Estate demo stopped");

        // Started from its data folder, it still read the appsettings.json beside the binary: its URL came from the
        // command line, but the quiet database log level only from that file.
        service.Output.ShouldNotContain("Executed DbCommand");
        File.Exists(Path.Combine(data, "propertyeba.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task Without_the_demo_and_without_a_platform_operator_the_service_refuses_to_start_and_says_what_to_set()
    {
        var data = Directory.CreateTempSubdirectory("propertyeba-no-operator-").FullName;
        await using var service = ServerProcess.Start("dotnet",
        [
            CloudAssemblyPath(), $"--Urls=http://127.0.0.1:{FreePort.Next()}", "--Mqtt:Port=0", $"--Persistence:DataDirectory={data}", "--DemoEstate:Enabled=false",
        ], workDir: data);

        var exitCode = await service.WaitForExitAsync(TimeSpan.FromSeconds(60));
        exitCode.ShouldNotBe(0, service.Output);
        service.Output.ShouldContain("No platform operator exists and none is configured");
        service.Output.ShouldContain("Identity:PlatformOperator:UserName");
    }

    // The cloud host as built beside this test (same configuration), run with `dotnet`.
    private static string CloudAssemblyPath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent!.Name; // …/bin/{Configuration}/net10.0/
        var dll = Path.Combine(RepositoryRoot.Path, "cloud", "PropertyEba.Cloud", "bin", configuration, "net10.0", "PropertyEba.Cloud.dll");
        File.Exists(dll).ShouldBeTrue($"the cloud host should be built at {dll}");
        return dll;
    }
}
