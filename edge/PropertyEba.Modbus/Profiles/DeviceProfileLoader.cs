using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Modbus.Profiles;

/// <summary>Reads and validates device profile files, reporting every problem of a file at once.</summary>
public static class DeviceProfileLoader
{
    /// <summary>Point ids under this prefix are computed by the cloud (a device's communication state), never read from a device.</summary>
    public const string ReservedPointPrefix = "comm.";

    /// <summary>Where the profiles shipped with the binaries are (copied to <c>profiles/</c> beside them).</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "profiles");

    /// <summary>Parses and validates one profile from JSON text.</summary>
    /// <exception cref="DeviceProfileException">The profile is invalid; <see cref="DeviceProfileException.Details"/> lists every problem.</exception>
    public static DeviceProfile Parse(string json, string source)
    {
        var (profile, problems) = DeviceProfileReader.Read(json, source);
        return profile ?? throw new DeviceProfileException(source, problems);
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

    /// <summary>Checks a profile and returns every problem found (empty when it is valid), each as a sentence.</summary>
    public static IReadOnlyList<string> Validate(DeviceProfile profile) => [.. ValidateProblems(profile, "profile").Select(p => p.Message)];

    /// <summary>Checks a profile and returns every problem found (empty when it is valid).</summary>
    public static IReadOnlyList<ConfigurationProblem> ValidateProblems(DeviceProfile profile, string source)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<ConfigurationProblem>();
        if (string.IsNullOrWhiteSpace(profile.Model))
        {
            problems.Add(new(source, "model", profile.Model, "a non-empty id", "'model' is required"));
        }

        if (!ProfileVocabulary.Systems.Contains(profile.System))
        {
            problems.Add(new(source, "system", $"'{profile.System}'", string.Join(", ", ProfileVocabulary.Systems), $"'system' is '{profile.System}'; allowed: {string.Join(", ", ProfileVocabulary.Systems)}"));
        }

        if (profile.Points is null || profile.Points.Count == 0)
        {
            problems.Add(new(source, "points", null, "at least one point", "'points' must list at least one point"));
            return problems;
        }

        problems.AddRange(ValidatePoints([.. profile.Points.Select((p, i) => (i, p))], source));
        return problems;
    }

    /// <summary>The checks that span fields of a point, or points of a profile; <c>Index</c> is the point's place in the file.</summary>
    internal static List<ConfigurationProblem> ValidatePoints(IReadOnlyList<(int Index, PointDefinition Point)> points, string source)
    {
        var problems = new List<ConfigurationProblem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, p) in points)
        {
            var at = $"points[{index}]";
            var where = $"point '{p.Id}'";
            void Add(string field, string? value, string? allowed, string message) => problems.Add(new(source, $"{at}.{field}", value, allowed, $"{where}: {message}"));

            if (string.IsNullOrWhiteSpace(p.Id))
            {
                problems.Add(new(source, $"{at}.id", null, "a non-empty id", "a point has no 'id'"));
                continue;
            }

            if (!ids.Add(p.Id))
            {
                Add("id", $"'{p.Id}'", "an id not used by another point of the profile", "is defined twice");
            }

            if (p.Id.StartsWith(ReservedPointPrefix, StringComparison.Ordinal))
            {
                Add("id", $"'{p.Id}'", $"an id not starting with '{ReservedPointPrefix}'",
                    $"ids starting with '{ReservedPointPrefix}' are reserved for the points the cloud computes from the edge's events (comm.lost)");
            }

            var isBitTable = p.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs;
            if (isBitTable && p.Type != ModbusDataType.Bool)
            {
                Add("type", p.Type.ToString(), "Bool", $"table '{ProfileVocabulary.Json(p.Table)}' holds single bits, so 'type' must be Bool, not {p.Type}");
            }

            if (!isBitTable && p.Type == ModbusDataType.Bool)
            {
                Add("type", "Bool", string.Join(", ", ProfileVocabulary.Types.Where(t => t.Value != ModbusDataType.Bool).Select(t => t.Json)),
                    "a register point cannot be Bool; use Bit with 'bit' 0..15, or an integer type");
            }

            if (p.Type == ModbusDataType.Bit && p.Bit is < 0 or > 15)
            {
                Add("bit", p.Bit.ToString(System.Globalization.CultureInfo.InvariantCulture), "0..15", $"'bit' is {p.Bit}; allowed 0..15");
            }

            if (p.Type == ModbusDataType.String && p.Length <= 0)
            {
                Add("length", p.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "1..250", "a String point needs 'length' (characters) > 0");
            }

            if (p.Scale == 0 || double.IsNaN(p.Scale) || double.IsInfinity(p.Scale))
            {
                Add("scale", DeviceProfileReader.Num(p.Scale), "a finite non-zero number", $"'scale' is {p.Scale}; it must be a finite non-zero number");
            }

            if (p.Address + p.Span > 65536)
            {
                Add("address", p.Address.ToString(System.Globalization.CultureInfo.InvariantCulture), $"0..{65536 - p.Span}", $"address {p.Address} + {p.Span} registers runs past 65535");
            }

            if (p.Writable && p.Table is ModbusTable.DiscreteInputs or ModbusTable.InputRegisters)
            {
                Add("writable", "true", "false for read-only tables (discrete, input)", $"'writable' but table '{ProfileVocabulary.Json(p.Table)}' is read-only");
            }

            if (p.Deadband is { } deadband && (!double.IsFinite(deadband) || deadband < 0))
            {
                Add("deadband", DeviceProfileReader.Num(deadband), "a finite number >= 0 (engineering units)", $"'deadband' is {deadband}; it must be a finite number >= 0 (engineering units)");
            }

            if (p.Min is { } min && p.Max is { } max && !(min <= max))
            {
                Add("min", DeviceProfileReader.Num(min), $"at most 'max' ({DeviceProfileReader.Num(max)})", $"'min' {min} is above 'max' {max}");
            }
        }

        return problems;
    }
}
