using System.Text.Json;
using System.Text.Json.Serialization;
using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Modbus.Profiles;

/// <summary>Reads and validates device profile files, reporting every problem of a file at once.</summary>
public static class DeviceProfileLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Point ids under this prefix are computed by the cloud (a device's communication state), never read from a device.</summary>
    public const string ReservedPointPrefix = "comm.";

    /// <summary>Where the profiles shipped with the binaries are (copied to <c>profiles/</c> beside them).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>Parses and validates one profile from JSON text.</summary>
    public static DeviceProfile Parse(string json, string source)
    {
        DeviceProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<DeviceProfile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new DeviceProfileException(source, [$"not valid profile JSON at {ex.Path} (line {ex.LineNumber + 1}): {ex.Message}"], ex);
        }

        if (profile is null)
        {
            throw new DeviceProfileException(source, ["the file is empty (null)"]);
        }

        var problems = Validate(profile);
        return problems.Count == 0 ? profile : throw new DeviceProfileException(source, problems);
    }

    /// <summary>Loads one profile file.</summary>
    public static async Task<DeviceProfile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var json = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(json, path);
    }

    /// <summary>Loads every <c>*.json</c> profile in a folder, keyed by model id.</summary>
    public static async Task<IReadOnlyDictionary<string, DeviceProfile>> LoadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Device profile folder {directory} does not exist.");
        }

        var profiles = new Dictionary<string, DeviceProfile>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var profile = await LoadAsync(file, cancellationToken);
            if (!profiles.TryAdd(profile.Model, profile))
            {
                throw new DeviceProfileException(file, [$"model id '{profile.Model}' is already used by another profile in {directory}"]);
            }
        }

        return profiles;
    }

    /// <summary>Checks a profile and returns every problem found (empty when it is valid).</summary>
    public static IReadOnlyList<string> Validate(DeviceProfile profile)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(profile.Model))
        {
            problems.Add("'model' is required");
        }

        if (profile.System is not ("power" or "water" or "fire" or "hvac" or "elevator"))
        {
            problems.Add($"'system' is '{profile.System}'; allowed: power, water, fire, hvac, elevator");
        }

        if (profile.Points is null || profile.Points.Count == 0)
        {
            problems.Add("'points' must list at least one point");
            return problems;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in profile.Points)
        {
            var where = $"point '{p.Id}'";
            if (string.IsNullOrWhiteSpace(p.Id))
            {
                problems.Add("a point has no 'id'");
                continue;
            }

            if (!ids.Add(p.Id))
            {
                problems.Add($"{where} is defined twice");
            }

            if (p.Id.StartsWith(ReservedPointPrefix, StringComparison.Ordinal))
            {
                problems.Add($"{where}: ids starting with '{ReservedPointPrefix}' are reserved for the points the cloud computes from the edge's events (comm.lost)");
            }

            var isBitTable = p.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs;
            if (isBitTable && p.Type != ModbusDataType.Bool)
            {
                problems.Add($"{where}: table '{p.Table}' holds single bits, so 'type' must be Bool, not {p.Type}");
            }

            if (!isBitTable && p.Type == ModbusDataType.Bool)
            {
                problems.Add($"{where}: a register point cannot be Bool; use Bit with 'bit' 0..15, or an integer type");
            }

            if (p.Type == ModbusDataType.Bit && p.Bit is < 0 or > 15)
            {
                problems.Add($"{where}: 'bit' is {p.Bit}; allowed 0..15");
            }

            if (p.Type == ModbusDataType.String && p.Length <= 0)
            {
                problems.Add($"{where}: a String point needs 'length' (characters) > 0");
            }

            if (p.Scale == 0 || double.IsNaN(p.Scale) || double.IsInfinity(p.Scale))
            {
                problems.Add($"{where}: 'scale' is {p.Scale}; it must be a finite non-zero number");
            }

            if (p.Address + p.Span > 65536)
            {
                problems.Add($"{where}: address {p.Address} + {p.Span} registers runs past 65535");
            }

            if (p.Writable && p.Table is ModbusTable.DiscreteInputs or ModbusTable.InputRegisters)
            {
                problems.Add($"{where}: 'writable' but table '{p.Table}' is read-only");
            }

            if (p.Deadband is { } deadband && (!double.IsFinite(deadband) || deadband < 0))
            {
                problems.Add($"{where}: 'deadband' is {deadband}; it must be a finite number >= 0 (engineering units)");
            }

            if (p.Min is { } min && p.Max is { } max && !(min <= max))
            {
                problems.Add($"{where}: 'min' {min} is above 'max' {max}");
            }
        }

        return problems;
    }
}
