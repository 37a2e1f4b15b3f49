using System.Text.Json;
using System.Text.Json.Serialization;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Faults;

namespace PropertyEba.Simulators.Estates;

/// <summary>Reads site files (or the sample estates shipped beside the binary) and checks them against the profiles and models.</summary>
public static class EstateLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Where the sample estates are: <c>estates/</c> beside the binaries.</summary>
    public static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "estates");

    /// <summary>The names of the sample estates (file names without <c>.json</c>).</summary>
    public static IReadOnlyList<string> SampleNames() =>
        Directory.Exists(SamplesDirectory)
            ? [.. Directory.EnumerateFiles(SamplesDirectory, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Loads a sample by name (<c>demo</c>) or a site file by path.</summary>
    public static async Task<EstateDefinition> LoadAsync(string estate, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(estate);
        var path = File.Exists(estate) ? estate : Path.Combine(SamplesDirectory, estate + ".json");
        if (!File.Exists(path))
        {
            throw new EstateFileException(estate, [$"no such file, and no sample estate of that name; samples: {string.Join(", ", SampleNames())}"]);
        }

        var json = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(json, path);
    }

    /// <summary>Parses a site file's JSON text (structure only; see <see cref="Validate"/>).</summary>
    public static EstateDefinition Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<EstateDefinition>(json, JsonOptions)
                ?? throw new EstateFileException(source, ["the file is empty (null)"]);
        }
        catch (JsonException ex)
        {
            throw new EstateFileException(source, [$"not a valid estate file at {ex.Path} (line {ex.LineNumber + 1}): {ex.Message}"], ex);
        }
    }

    /// <summary>Every problem of an estate against the profiles and the model catalogue (empty when it can be served).</summary>
    public static IReadOnlyList<string> Validate(EstateDefinition estate, IReadOnlyDictionary<string, DeviceProfile> profiles)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(estate.Name))
        {
            problems.Add("'name' is required");
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(estate.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add($"'timeZone' is '{estate.TimeZone}', which is not a known IANA time zone (e.g. Asia/Shanghai)");
        }

        if (estate.Gateway is { Port: < 0 or > 65535 } g)
        {
            problems.Add($"'gateway.port' is {g.Port}; allowed 0..65535 (0 = a free port)");
        }

        if (estate.Devices is null || estate.Devices.Count == 0)
        {
            problems.Add("'devices' must list at least one device");
            return problems;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var units = new HashSet<(int Port, int Unit)>();
        var serialUnits = new HashSet<(string Port, int Unit)>();
        foreach (var d in estate.Devices)
        {
            var where = $"device '{d.Id}'";
            if (string.IsNullOrWhiteSpace(d.Id))
            {
                problems.Add("a device has no 'id'");
                continue;
            }

            if (!ids.Add(d.Id))
            {
                problems.Add($"{where} is defined twice");
            }

            var info = DeviceModelCatalog.Find(d.Model);
            if (info is null || !profiles.ContainsKey(d.Model))
            {
                problems.Add($"{where}: model '{d.Model}' is not known; models: {string.Join(", ", DeviceModelCatalog.All.Select(m => m.Model))}");
            }

            if (d.UnitId is < 1 or > 247)
            {
                problems.Add($"{where}: 'unitId' is {d.UnitId}; allowed 1..247");
            }

            if (d.Port is < 0 or > 65535)
            {
                problems.Add($"{where}: 'port' is {d.Port}; allowed 0..65535 (0 = a free port)");
            }

            if (d.Serial is { } serial)
            {
                if (string.IsNullOrWhiteSpace(serial.Port))
                {
                    problems.Add($"{where}: 'serial.port' is required (a serial device such as /dev/ttyUSB0, or pty)");
                }

                if (serial.BaudRate is < 300 or > 921_600)
                {
                    problems.Add($"{where}: 'serial.baudRate' is {serial.BaudRate}; allowed 300..921600");
                }

                if (serial.Parity is not ("none" or "even" or "odd"))
                {
                    problems.Add($"{where}: 'serial.parity' is '{serial.Parity}'; allowed: none, even, odd");
                }

                if (serial.StopBits is not (1 or 2))
                {
                    problems.Add($"{where}: 'serial.stopBits' is {serial.StopBits}; allowed: 1, 2");
                }

                if (!serialUnits.Add((serial.Port, d.UnitId)))
                {
                    problems.Add($"{where}: unit {d.UnitId} is already used on serial line {serial.Port}; devices on one bus need distinct unit ids");
                }
            }
            else
            {
                // Devices sharing a port (a gateway, or the same explicit port) must be told apart by unit id.
                var port = estate.Gateway is not null ? -1 : d.Port;
                if (port != 0 && !units.Add((port, d.UnitId)))
                {
                    problems.Add($"{where}: unit {d.UnitId} is already used on {(port == -1 ? "the gateway" : $"port {port}")}; devices sharing a port need distinct unit ids");
                }
            }

            if (info is null)
            {
                continue;
            }

            foreach (var name in d.Parameters?.Keys ?? [])
            {
                if (!info.Parameters.Any(p => p.Name == name))
                {
                    problems.Add($"{where}: parameter '{name}' is not known for model {d.Model}; allowed: {Allowed(info.Parameters.Select(p => p.Name))}");
                }
            }

            foreach (var name in d.Links?.Keys ?? [])
            {
                if (!info.Links.Any(l => l.Name == name))
                {
                    problems.Add($"{where}: link '{name}' is not known for model {d.Model}; allowed: {Allowed(info.Links.Select(l => l.Name))}");
                }
            }
        }

        foreach (var step in estate.Script ?? [])
        {
            if (step.Clear)
            {
                continue;
            }

            if (step.Fault is null || FaultCatalog.Find(step.Fault) is null)
            {
                problems.Add($"script step at {step.At}: fault '{step.Fault}' is not known; faults: {string.Join(", ", FaultCatalog.All.Select(f => f.Name))}");
            }

            if (step.Device is not null && !ids.Contains(step.Device))
            {
                problems.Add($"script step at {step.At}: device '{step.Device}' is not a device of this estate");
            }
        }

        return problems;
    }

    private static string Allowed(IEnumerable<string> names)
    {
        var list = string.Join(", ", names);
        return list.Length == 0 ? "(none)" : list;
    }
}
