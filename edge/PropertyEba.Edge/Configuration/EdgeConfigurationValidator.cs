using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Configuration;

/// <summary>
/// Validates an edge configuration given as JSON (an estate file for --config and check-config, or a
/// configuration pushed from the cloud) and its device profiles, without touching any device. Reports
/// every problem at once, each with file, field, value and what is allowed: first the file's structure
/// (unknown fields, wrong kinds), then the values (<see cref="EdgeOptionsValidator"/>), then the profiles.
/// </summary>
public sealed class EdgeConfigurationValidator
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly DeviceProfileCatalog _catalog;

    /// <summary>Creates a validator that checks device models against <paramref name="catalog"/>'s profiles.</summary>
    public EdgeConfigurationValidator(DeviceProfileCatalog catalog) => _catalog = catalog;

    /// <summary>Reads and validates an estate file; relative paths in it are taken relative to its folder.</summary>
    public EdgeConfigurationCheck ValidateFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new EdgeConfigurationCheck(null, [new(path, "$", null, "a readable JSON file", $"the file cannot be read: {ex.Message}")], null);
        }

        return Validate(json, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>
    /// Validates a configuration; <paramref name="file"/> names its source in the problems. The JSON is either
    /// the edge section itself (<c>{ "Tenant": ..., "Devices": [...] }</c>) or an object with an <c>Edge</c>
    /// property. With <paramref name="baseDirectory"/>, relative ProfilesDirectory and BufferDirectory are resolved against it.
    /// </summary>
    public EdgeConfigurationCheck Validate(string json, string file, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var problems = new List<ConfigurationProblem>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            problems.Add(new(file, ex.Path is { Length: > 0 } p ? p : "$", null, null,
                $"not valid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}"));
            return new EdgeConfigurationCheck(null, problems, null);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(file, "$", Show(root), "an object { \"Tenant\": ..., \"Devices\": [...] }", "an edge configuration must be a JSON object"));
                return new EdgeConfigurationCheck(null, problems, null);
            }

            var edge = root;
            var prefix = EdgeOptions.SectionName + ":";
            foreach (var property in root.EnumerateObject())
            {
                if (string.Equals(property.Name, EdgeOptions.SectionName, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object)
                {
                    edge = property.Value;
                }
            }

            CheckObject(edge, prefix, EdgeConfigurationSchema.Root, file, problems);
            if (problems.Count > 0)
            {
                // The profiles are still checked, so one run shows the file's and the profiles' mistakes together.
                var folder = edge.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "ProfilesDirectory", StringComparison.OrdinalIgnoreCase)).Value;
                var local = folder.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(folder.GetString())
                    ? (baseDirectory is null ? folder.GetString() : Path.GetFullPath(folder.GetString()!, baseDirectory))
                    : null;
                var partial = _catalog.GetSet(local);
                problems.AddRange(partial.Problems);
                return new EdgeConfigurationCheck(null, problems, partial);
            }

            var options = Bind(edge, file, problems);
            if (options is null)
            {
                return new EdgeConfigurationCheck(null, problems, null);
            }

            if (baseDirectory is not null)
            {
                options.BufferDirectory = string.IsNullOrWhiteSpace(options.BufferDirectory) ? options.BufferDirectory : Path.GetFullPath(options.BufferDirectory, baseDirectory);
                options.ProfilesDirectory = string.IsNullOrWhiteSpace(options.ProfilesDirectory) ? null : Path.GetFullPath(options.ProfilesDirectory, baseDirectory);
            }

            var set = _catalog.GetSet(options.ProfilesDirectory);
            problems.AddRange(set.Problems);
            problems.AddRange(EdgeOptionsValidator.CollectProblems(options, set.Profiles, file));
            return new EdgeConfigurationCheck(options, problems, set);
        }
    }

    /// <summary>The configuration keys of the edge section in <paramref name="json"/>, prefixed <c>Edge:</c>, for adding to a host's configuration.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ToConfigurationKeys(EdgeOptions options, string json)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var document = JsonDocument.Parse(json, DocumentOptions);
        var edge = document.RootElement;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (string.Equals(property.Name, EdgeOptions.SectionName, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.Object)
            {
                edge = property.Value;
            }
        }

        var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(edge.GetRawText()))).Build();
        var keys = config.AsEnumerable().Where(kv => kv.Value is not null)
            .Select(kv => new KeyValuePair<string, string?>($"{EdgeOptions.SectionName}:{kv.Key}", kv.Value)).ToList();

        // Paths as resolved against the file's folder, not as written.
        keys.RemoveAll(kv => kv.Key is "Edge:BufferDirectory" or "Edge:ProfilesDirectory");
        keys.Add(new("Edge:BufferDirectory", options.BufferDirectory));
        keys.Add(new("Edge:ProfilesDirectory", options.ProfilesDirectory ?? ""));
        return keys;
    }

    private static EdgeOptions? Bind(JsonElement edge, string file, List<ConfigurationProblem> problems)
    {
        try
        {
            var config = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(edge.GetRawText()))).Build();
            var options = new EdgeOptions();
            config.Bind(options);
            return options;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException)
        {
            problems.Add(new(file, "$", null, null, $"the configuration cannot be bound: {ex.Message}"));
            return null;
        }
    }

    private static void CheckObject(JsonElement element, string at, IReadOnlyList<FieldSpec> fields, string file, List<ConfigurationProblem> problems)
    {
        foreach (var property in element.EnumerateObject())
        {
            var field = $"{at}{property.Name}";
            var spec = fields.FirstOrDefault(f => string.Equals(f.Name, property.Name, StringComparison.OrdinalIgnoreCase));
            if (spec is null)
            {
                var near = fields.FirstOrDefault(f => Distance(f.Name.ToUpperInvariant(), property.Name.ToUpperInvariant()) <= 2);
                problems.Add(new(file, field, Show(property.Value), string.Join(", ", fields.Select(f => f.Name)),
                    near is null ? $"unknown field '{property.Name}'" : $"unknown field '{property.Name}'; did you mean '{near.Name}'?"));
                continue;
            }

            CheckValue(property.Value, field, spec, file, problems);
        }
    }

    private static void CheckValue(JsonElement value, string field, FieldSpec spec, string file, List<ConfigurationProblem> problems)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (!spec.Nullable)
            {
                problems.Add(new(file, field, "null", Describe(spec), $"'{spec.Name}' cannot be null; leave it out for the default"));
            }

            return;
        }

        void Wrong(string message) => problems.Add(new(file, field, Show(value), Describe(spec), message));
        switch (spec.Kind)
        {
            case FieldKind.String when value.ValueKind != JsonValueKind.String:
                Wrong($"'{spec.Name}' must be a string");
                break;
            case FieldKind.Integer when !IsInteger(value):
                Wrong($"'{spec.Name}' must be a whole number");
                break;
            case FieldKind.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                && !(value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out _)):
                Wrong($"'{spec.Name}' must be true or false");
                break;
            case FieldKind.Duration when value.ValueKind != JsonValueKind.String || !TimeSpan.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _):
                Wrong($"'{spec.Name}' must be a duration as a string \"hh:mm:ss\" or \"hh:mm:ss.fff\" (e.g. \"00:00:01\" for one second)");
                break;
            case FieldKind.Choice when value.ValueKind != JsonValueKind.String || !spec.Choices!.Contains(value.GetString()!, StringComparer.OrdinalIgnoreCase):
                Wrong($"unknown {spec.Name}");
                break;
            case FieldKind.Object when value.ValueKind != JsonValueKind.Object:
                Wrong($"'{spec.Name}' must be an object");
                break;
            case FieldKind.Object:
                CheckObject(value, field + ":", spec.Children!, file, problems);
                break;
            case FieldKind.Array when value.ValueKind != JsonValueKind.Array:
                Wrong($"'{spec.Name}' must be an array");
                break;
            case FieldKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        problems.Add(new(file, $"{field}[{i}]", Show(item), "an object", $"each of '{spec.Name}' must be an object"));
                    }
                    else
                    {
                        CheckObject(item, $"{field}[{i}]:", spec.Children!, file, problems);
                    }

                    i++;
                }

                break;
        }
    }

    // Configuration accepts numbers written as strings ("502"), so the file may too.
    private static bool IsInteger(JsonElement value) =>
        (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _))
        || (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _));

    private static string Describe(FieldSpec spec) => spec.Kind switch
    {
        FieldKind.String => "a string",
        FieldKind.Integer => "a whole number",
        FieldKind.Boolean => "true or false",
        FieldKind.Duration => "\"hh:mm:ss[.fff]\"",
        FieldKind.Choice => string.Join(", ", spec.Choices!),
        FieldKind.Object => $"an object with {string.Join(", ", spec.Children!.Select(c => c.Name))}",
        _ => "an array of objects",
    };

    private static string Show(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"'{e.GetString()}'",
        _ => e.GetRawText().Length > 60 ? e.GetRawText()[..60] + "…" : e.GetRawText(),
    };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}

/// <summary>The outcome of validating an edge configuration.</summary>
/// <param name="Options">The bound options (null when the file's structure is wrong).</param>
/// <param name="Problems">Every error and notice, in file order.</param>
/// <param name="Profiles">The profiles the configuration was checked against.</param>
public sealed record EdgeConfigurationCheck(EdgeOptions? Options, IReadOnlyList<ConfigurationProblem> Problems, ProfileSet? Profiles)
{
    /// <summary>Whether the configuration can be used: no problem is an error.</summary>
    public bool IsValid => Options is not null && Problems.All(p => p.Severity != ProblemSeverity.Error);

    /// <summary>The errors only.</summary>
    public IEnumerable<ConfigurationProblem> Errors => Problems.Where(p => p.Severity == ProblemSeverity.Error);
}
