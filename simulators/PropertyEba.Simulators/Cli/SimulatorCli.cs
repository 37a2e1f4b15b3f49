using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Control;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Docs;
using PropertyEba.Simulators.Estates;
using PropertyEba.Simulators.Faults;
using PropertyEba.Simulators.Hosting;

namespace PropertyEba.Simulators.Cli;

/// <summary>
/// The installer's command line: <c>list</c>, <c>run</c>, <c>probe</c>, <c>fault</c>, <c>scale</c>, <c>docs</c>.
/// Results go to <paramref name="output"/> (stdout), mistakes to <paramref name="error"/> and logs to the logger (both stderr), so scripts can read stdout.
/// </summary>
internal sealed class SimulatorCli(TextWriter output, TextWriter error, ILoggerFactory loggerFactory)
{
    public const string Usage = """
        Usage: dotnet run --project simulators/PropertyEba.Simulators -- <command>
          list                                   device models, sample estates and faults
          run <estate file | sample> [--seed N] [--speed X] [--tick-ms N] [--control-port P]
              [--fault NAME[@DEVICE]]... [--script FILE] [--duration SECONDS]
                                                 serve an estate; prints '<device> <model> tcp://host:port unit <id>' per device
                                                 (RTU: the serial device and line settings), then the control URL
          probe <tcp://host:port | serial device> --unit N --table hr|ir|coil|di --address A --count C [--decode] [--one-based]
                [--baud 9600] [--parity none|even|odd] [--stop-bits 1|2]
                                                 read any Modbus slave; one line '<address> <raw>' per address
          fault <control URL of an estate> <FAULT | clear> [--device ID]
                                                 inject or clear a fault in a running estate
          scale [--estates 100] [--estate garden] [--seed N] [--speed X] [--tick-ms 1000] [--duration SECONDS]
                                                 many estates in one process, each behind one TCP port (a gateway, unit ids 1..n)
          docs [--out docs/devices] [--profiles DIR]
                                                 write the device reference pages from the profiles
        """;

    private static readonly HashSet<string> Flags = ["--decode", "--one-based"];

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
            {
                await output.WriteLineAsync(Usage);
                return args.Length == 0 ? 2 : 0;
            }

            var cmd = new CommandLine(args.Skip(1), Flags);
            return args[0] switch
            {
                "list" => await ListAsync(cmd, cancellationToken),
                "run" => await ServeAsync(cmd, cancellationToken),
                "probe" => await ProbeAsync(cmd, cancellationToken),
                "fault" => await FaultAsync(cmd, cancellationToken),
                "scale" => await ScaleAsync(cmd, cancellationToken),
                "docs" => await DocsAsync(cmd, cancellationToken),
                var other => throw new UsageException($"unknown command '{other}'"),
            };
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}\n\n{Usage}");
            return 2;
        }
        catch (Exception ex) when (ex is EstateFileException or DeviceProfileException or ArgumentException or IOException or UnauthorizedAccessException
            or InvalidOperationException or Modbus.ModbusException or Modbus.ModbusCommunicationException or System.Net.Sockets.SocketException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private async Task<int> ListAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var profiles = await LoadProfilesAsync(cmd, cancellationToken);
        await output.WriteLineAsync("models:");
        foreach (var m in DeviceModelCatalog.All)
        {
            var p = profiles.GetValueOrDefault(m.Model);
            await output.WriteLineAsync($"  {m.Model,-30} {p?.System,-6} {p?.NameZh} — {p?.Name}");
        }

        await output.WriteLineAsync("sample estates:");
        foreach (var name in EstateLoader.SampleNames())
        {
            var estate = await EstateLoader.LoadAsync(name, cancellationToken);
            await output.WriteLineAsync($"  {name,-30} {estate.Devices.Count,3} devices  {estate.Description}");
        }

        await output.WriteLineAsync("faults:");
        foreach (var f in FaultCatalog.All)
        {
            await output.WriteLineAsync($"  {f.Name,-22} {f.Description}");
        }

        return 0;
    }

    private async Task<int> ServeAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var definition = await EstateLoader.LoadAsync(cmd.Positional(0, "estate (a sample name or a site file)"), cancellationToken);
        if (cmd.Option("--script") is { } scriptFile)
        {
            definition = definition with { Script = await LoadScriptAsync(scriptFile, cancellationToken) };
        }

        var profiles = await LoadProfilesAsync(cmd, cancellationToken);
        var options = SimulationOptionsFrom(cmd, tickDefaultMs: 200);
        await using var estate = await SimulatedEstate.StartAsync(definition, profiles, options, TimeProvider.System, loggerFactory, cancellationToken);
        foreach (var fault in cmd.Options("--fault"))
        {
            var at = fault.IndexOf('@', StringComparison.Ordinal);
            estate.InjectFault(at < 0 ? fault : fault[..at], at < 0 ? null : fault[(at + 1)..]);
        }

        await using var control = await ControlEndpoint.StartAsync([estate], new ControlEndpointOptions { Port = cmd.IntOption("--control-port", 0, 0, 65535) }, cancellationToken);
        foreach (var d in estate.Devices)
        {
            await output.WriteLineAsync(d.SerialSettings is null ? $"{d.DeviceId} {d.Model} {d.Uri} unit {d.UnitId}" : $"{d.DeviceId} {d.Model} {d.Uri} unit {d.UnitId} {d.SerialSettings}");
        }

        await output.WriteLineAsync($"control {control.EstateUri(estate.Name)}");
        await output.FlushAsync(cancellationToken);
        await WaitAsync(cmd, cancellationToken);
        return 0;
    }

    private async Task<int> ProbeAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var request = ProbeRequest.Parse(cmd);
        foreach (var line in await ModbusProbe.ReadAsync(request, cancellationToken))
        {
            await output.WriteLineAsync(line);
        }

        return 0;
    }

    private async Task<int> FaultAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var url = cmd.Positional(0, "control URL of an estate (printed by run)").TrimEnd('/');
        var fault = cmd.Positional(1, "fault name, or clear");
        using var http = new HttpClient();
        using var response = fault == "clear"
            ? await http.PostAsync($"{url}/faults/clear", null, cancellationToken)
            : await http.PostAsJsonAsync($"{url}/faults", new FaultRequestDto(fault, cmd.Option("--device")), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await error.WriteLineAsync($"error: {(int)response.StatusCode} {body}");
            return 1;
        }

        await output.WriteLineAsync(fault == "clear" ? "cleared" : body);
        return 0;
    }

    private async Task<int> ScaleAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var count = cmd.IntOption("--estates", 100, 1, 2000);
        var template = await EstateLoader.LoadAsync(cmd.Option("--estate") ?? "garden", cancellationToken);
        var profiles = await LoadProfilesAsync(cmd, cancellationToken);
        var options = SimulationOptionsFrom(cmd, tickDefaultMs: 1000);
        var started = Stopwatch.StartNew();
        await using var farm = await EstateFarm.StartAsync(template, count, profiles, options, TimeProvider.System, loggerFactory, cancellationToken);
        await using var control = await ControlEndpoint.StartAsync(farm.Estates, new ControlEndpointOptions { Port = cmd.IntOption("--control-port", 0, 0, 65535) }, cancellationToken);
        foreach (var e in farm.Estates)
        {
            var first = e.Devices[0];
            await output.WriteLineAsync($"{e.Name} {first.Uri} units {e.Devices.Min(d => d.UnitId)}-{e.Devices.Max(d => d.UnitId)}");
        }

        await output.WriteLineAsync($"control {control.BaseUri}estates");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"started {farm.DeviceCount} devices in {count} estates in {started.Elapsed.TotalSeconds:0.0} s"));
        await output.FlushAsync(cancellationToken);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await WaitAsync(cmd, cancellationToken);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / wall.Elapsed.TotalSeconds * 100;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"ran {wall.Elapsed.TotalSeconds:0} s: cpu {cpu:0.0}% of one core, working set {process.WorkingSet64 / 1048576.0:0} MB, managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MB, {farm.DeviceCount} devices, {Environment.ProcessorCount} cores"));
        return 0;
    }

    private async Task<int> DocsAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var profiles = await LoadProfilesAsync(cmd, cancellationToken);
        foreach (var file in await DevicePageWriter.WriteAsync(cmd.Option("--out") ?? Path.Combine("docs", "devices"), profiles, cancellationToken))
        {
            await output.WriteLineAsync(file);
        }

        return 0;
    }

    private static SimulationOptions SimulationOptionsFrom(CommandLine cmd, int tickDefaultMs)
    {
        var options = new SimulationOptions
        {
            Seed = cmd.IntOption("--seed", 42, int.MinValue, int.MaxValue),
            Speed = cmd.DoubleOption("--speed", 1.0, 0.01, 10_000),
            TickInterval = TimeSpan.FromMilliseconds(cmd.IntOption("--tick-ms", tickDefaultMs, 10, 60_000)),
        };
        options.ThrowIfInvalid();
        return options;
    }

    private static Task<IReadOnlyDictionary<string, DeviceProfile>> LoadProfilesAsync(CommandLine cmd, CancellationToken cancellationToken) =>
        DeviceProfileLoader.LoadDirectoryAsync(cmd.Option("--profiles") ?? DeviceProfileLoader.DefaultDirectory, cancellationToken);

    private static async Task<IReadOnlyList<FaultScriptStep>> LoadScriptAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<List<FaultScriptStep>>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }, cancellationToken)
                ?? throw new EstateFileException(path, ["the script is empty"]);
        }
        catch (JsonException ex)
        {
            throw new EstateFileException(path, [$"not a fault script (a JSON array of {{\"at\": \"hh:mm:ss\", \"fault\": ..., \"device\": ...}} or {{\"at\": ..., \"clear\": true}}): {ex.Message}"], ex);
        }
    }

    private static async Task WaitAsync(CommandLine cmd, CancellationToken cancellationToken)
    {
        var duration = cmd.Option("--duration") is null ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(cmd.IntOption("--duration", 0, 1, 86_400 * 365));
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: stop cleanly.
        }
    }
}
