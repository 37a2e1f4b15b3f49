using System.Globalization;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Configuration.Import;

/// <summary>
/// <c>import-register-map &lt;csv|xlsx&gt; --layout &lt;name&gt; --out &lt;profile.json&gt; [--model id] [--name text]
/// [--name-zh text] [--manufacturer text] [--system power] [--probe host:port --unit N]</c>: a vendor's register list
/// becomes a validated device profile. With --probe, each point is read once from the device over Modbus TCP and its
/// decoded value printed, and the profile is saved only when every point could be read.
/// </summary>
internal static class ImportRegisterMapCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        string? input = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                options[args[i][2..]] = args[++i];
            }
            else if (input is null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                input = args[i];
            }
            else
            {
                return Usage(output, $"unexpected argument '{args[i]}'");
            }
        }

        if (input is null || !options.TryGetValue("layout", out var layoutName) || !options.TryGetValue("out", out var outPath))
        {
            return Usage(output, "give the sheet, --layout and --out");
        }

        var layout = RegisterMapLayout.All.FirstOrDefault(l => l.Name == layoutName);
        if (layout is null)
        {
            return Usage(output, $"unknown layout '{layoutName}'");
        }

        IReadOnlyList<IReadOnlyList<string>> rows;
        try
        {
            rows = RegisterSheetReader.Read(input);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or global::CsvHelper.CsvHelperException or FormatException)
        {
            output.WriteLine($"error: {input}: the sheet cannot be read: {ex.Message}");
            return 1;
        }

        var model = options.GetValueOrDefault("model") ?? Path.GetFileNameWithoutExtension(outPath);
        var identity = new ProfileIdentity(model, options.GetValueOrDefault("name") ?? model, options.GetValueOrDefault("name-zh"),
            options.GetValueOrDefault("manufacturer"), options.GetValueOrDefault("system") ?? "power");
        var (json, profile, problems) = RegisterMapImporter.Import(rows, layout, identity, input);
        foreach (var p in problems)
        {
            output.WriteLine(p.Severity == ProblemSeverity.Error ? $"error: {p}" : p.ToString());
        }

        if (json is null || profile is null)
        {
            output.WriteLine($"{input}: {problems.Count(p => p.Severity == ProblemSeverity.Error)} error(s); no profile written");
            return 1;
        }

        output.WriteLine($"{input}: {profile.Points.Count} points read with layout '{layout.Name}'");
        if (options.TryGetValue("probe", out var probe))
        {
            var unit = options.TryGetValue("unit", out var u) && byte.TryParse(u, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : (byte)1;
            if (!await ProbeAsync(profile, probe, unit, output, cancellationToken))
            {
                output.WriteLine("dry-run read failed for some points; no profile written (fix the sheet or the connection and run again)");
                return 1;
            }
        }

        await File.WriteAllTextAsync(outPath, json + Environment.NewLine, cancellationToken);
        output.WriteLine($"wrote {outPath} (model '{profile.Model}'); check it with: PropertyEba.Edge check-config <estate.json>");
        return 0;
    }

    /// <summary>Reads each point once and prints the raw registers and the decoded value; true when every read succeeded.</summary>
    private static async Task<bool> ProbeAsync(DeviceProfile profile, string endpoint, byte unit, TextWriter output, CancellationToken cancellationToken)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port))
        {
            output.WriteLine($"error: --probe '{endpoint}': give host:port, e.g. 192.168.1.20:502");
            return false;
        }

        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = endpoint[..colon], Port = port, Timeout = TimeSpan.FromSeconds(2) });
        output.WriteLine($"dry-run read from {endpoint} unit {unit}:");
        var ok = true;
        foreach (var p in profile.Points)
        {
            try
            {
                string shown;
                if (p.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs)
                {
                    var bits = p.Table == ModbusTable.Coils
                        ? await master.ReadCoilsAsync(unit, p.Address, 1, cancellationToken)
                        : await master.ReadDiscreteInputsAsync(unit, p.Address, 1, cancellationToken);
                    shown = bits[0] ? "1" : "0";
                }
                else
                {
                    var count = (ushort)p.Span;
                    var regs = p.Table == ModbusTable.HoldingRegisters
                        ? await master.ReadHoldingRegistersAsync(unit, p.Address, count, cancellationToken)
                        : await master.ReadInputRegistersAsync(unit, p.Address, count, cancellationToken);
                    var raw = string.Join(" ", regs.Select(r => r.ToString("X4", CultureInfo.InvariantCulture)));
                    var value = p.Type == ModbusDataType.String
                        ? RegisterCodec.DecodeString(regs, p.Order)
                        : RegisterCodec.Decode(regs, p.Type, p.Order, p.Bit, p.Scale, p.Offset).ToString("G6", CultureInfo.InvariantCulture);
                    shown = $"[{raw}] = {value} {p.Unit}".TrimEnd();
                }

                output.WriteLine($"  {p.Id,-24} {ProfileVocabulary.Json(p.Table)} {p.Address,5}  {shown}");
            }
            catch (Exception ex) when (ex is ModbusException or ModbusCommunicationException or System.Net.Sockets.SocketException)
            {
                ok = false;
                output.WriteLine($"  {p.Id,-24} {ProfileVocabulary.Json(p.Table)} {p.Address,5}  FAILED: {ex.Message}");
            }
        }

        return ok;
    }

    private static int Usage(TextWriter output, string problem)
    {
        output.WriteLine($"error: {problem}");
        output.WriteLine("usage: PropertyEba.Edge import-register-map <sheet.csv|sheet.xlsx> --layout <name> --out <profile.json>");
        output.WriteLine("         [--model id] [--name text] [--name-zh text] [--manufacturer text] [--system power|water|fire|hvac|elevator]");
        output.WriteLine("         [--probe host:port --unit N]");
        output.WriteLine("layouts:");
        foreach (var l in RegisterMapLayout.All)
        {
            output.WriteLine($"  {l.Name,-14} {l.Description}");
        }

        return 2;
    }
}
