using System.Globalization;
using System.Text.Json;
using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Modbus.Profiles;

/// <summary>
/// Reads a device profile from JSON by walking the document, not by deserialising it, so that every problem
/// of a file is reported at once (a bad <c>table</c> does not hide a bad <c>type</c> three points later),
/// each naming the point, the field, the value and the allowed values. Walking the DOM also needs no
/// reflection, so it works unchanged in a trimmed build.
/// </summary>
public static class DeviceProfileReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The fields a profile may have at its top level.</summary>
    public static readonly IReadOnlyList<string> RootFields = ["$schema", "model", "name", "nameZh", "manufacturer", "system", "perPointReads", "points"];

    /// <summary>The fields a point may have.</summary>
    public static readonly IReadOnlyList<string> PointFields =
    [
        "id", "name", "nameZh", "kind", "table", "address", "addressBase", "type", "order", "byteOrder", "wordOrder",
        "bit", "length", "scale", "offset", "unit", "deadband", "criticality", "min", "max", "writable",
    ];

    /// <summary>Reads and validates one profile; the profile is null when there is any error.</summary>
    public static (DeviceProfile? Profile, IReadOnlyList<ConfigurationProblem> Problems) Read(string json, string source)
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
            problems.Add(new(source, ex.Path is { Length: > 0 } p ? p : "$", null, null,
                $"not valid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message}"));
            return (null, problems);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(source, "$", Show(root), "an object { \"model\": ..., \"points\": [...] }", "a profile must be a JSON object"));
                return (null, problems);
            }

            var r = new Walker(source, problems);
            r.UnknownFields(root, "", RootFields);
            var model = r.String(root, "model", "model", required: true);
            var name = r.String(root, "name", "name", required: true);
            var nameZh = r.String(root, "nameZh", "nameZh", required: false);
            var manufacturer = r.String(root, "manufacturer", "manufacturer", required: false);
            var system = r.String(root, "system", "system", required: true);
            var perPointReads = r.Bool(root, "perPointReads", "perPointReads") ?? false;
            if (system is not null && !ProfileVocabulary.Systems.Contains(system))
            {
                problems.Add(new(source, "system", Quote(system), string.Join(", ", ProfileVocabulary.Systems), "unknown equipment system"));
            }

            var points = new List<(int Index, PointDefinition Point)>();
            if (!root.TryGetProperty("points", out var pointsElement) || pointsElement.ValueKind != JsonValueKind.Array || pointsElement.GetArrayLength() == 0)
            {
                problems.Add(new(source, "points", pointsElement.ValueKind == JsonValueKind.Undefined ? null : Show(pointsElement), "an array of at least one point",
                    "'points' must list at least one point"));
            }
            else
            {
                var i = 0;
                foreach (var element in pointsElement.EnumerateArray())
                {
                    if (ReadPoint(r, element, i) is { } point)
                    {
                        points.Add((i, point));
                    }

                    i++;
                }
            }

            if (problems.Any(p => p.Severity == ProblemSeverity.Error))
            {
                // Still check what could be read, so that e.g. duplicate ids show up together with type errors.
                problems.AddRange(DeviceProfileLoader.ValidatePoints(points, source));
                return (null, Distinct(problems));
            }

            var profile = new DeviceProfile { Model = model!, Name = name!, NameZh = nameZh, Manufacturer = manufacturer, System = system!, PerPointReads = perPointReads, Points = [.. points.Select(p => p.Point)] };
            problems.AddRange(DeviceProfileLoader.ValidateProblems(profile, source));
            return problems.Any(p => p.Severity == ProblemSeverity.Error) ? (null, Distinct(problems)) : (profile, problems);
        }
    }

    private static List<ConfigurationProblem> Distinct(List<ConfigurationProblem> problems) => [.. problems.Distinct()];

    private static PointDefinition? ReadPoint(Walker r, JsonElement element, int index)
    {
        var at = $"points[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            r.Add(at, Show(element), "an object { \"id\": ..., \"table\": ..., \"address\": ... }", "a point must be a JSON object");
            return null;
        }

        var before = r.ErrorCount;
        var id = r.String(element, "id", $"{at}.id", required: true);
        var who = id is null ? $"point #{index + 1}" : $"point '{id}'";
        r.Point = who;
        r.UnknownFields(element, at, PointFields);
        var name = r.String(element, "name", $"{at}.name", required: true);
        var nameZh = r.String(element, "nameZh", $"{at}.nameZh", required: false);
        var kind = r.Enum(element, "kind", at, ProfileVocabulary.Kinds, required: true, fallback: PointKind.Analog);
        var table = r.Enum(element, "table", at, ProfileVocabulary.Tables, required: true, fallback: ModbusTable.HoldingRegisters);
        var isBitTable = table is ModbusTable.Coils or ModbusTable.DiscreteInputs;
        var type = r.Enum(element, "type", at, ProfileVocabulary.Types, required: false, fallback: isBitTable ? ModbusDataType.Bool : ModbusDataType.UInt16);
        var order = ReadOrder(r, element, at);
        var bit = (int)(r.Integer(element, "bit", $"{at}.bit", 0, 15, "0..15") ?? 0);
        var length = (int)(r.Integer(element, "length", $"{at}.length", 0, 250, "1..250 characters (String points)") ?? 0);
        var scale = r.Number(element, "scale", $"{at}.scale") ?? 1;
        var offset = r.Number(element, "offset", $"{at}.offset") ?? 0;
        var unit = r.String(element, "unit", $"{at}.unit", required: false);
        var deadband = r.Number(element, "deadband", $"{at}.deadband");
        if (deadband is < 0)
        {
            r.Add($"{at}.deadband", Num(deadband.Value), "0 or more, in the point's unit", "a deadband cannot be negative");
        }

        var criticality = r.Enum(element, "criticality", at, ProfileVocabulary.Criticalities, required: false, fallback: PointCriticality.Normal);
        var min = r.Number(element, "min", $"{at}.min");
        var max = r.Number(element, "max", $"{at}.max");
        if (min is { } lo && max is { } hi && lo >= hi)
        {
            r.Add($"{at}.max", Num(hi), $"more than min ({Num(lo)})", "the sensor's range is empty");
        }

        var writable = r.Bool(element, "writable", $"{at}.writable") ?? false;

        var addressBase = r.Integer(element, "addressBase", $"{at}.addressBase", 0, 1, "0 (protocol address) or 1 (1-based register number, e.g. 30001)");
        var written = r.Integer(element, "address", $"{at}.address", 0, 465_536, "0..65535 (addressBase 0) or a register number such as 30001 or 400001 (addressBase 1)", required: true);
        ushort address = 0;
        if (written is { } w)
        {
            var (resolved, error) = ProfileAddress.Resolve(table, w, (int)(addressBase ?? 0));
            var looksOneBased = addressBase is null && ProfileAddress.StripModiconPrefix(table, w) is not null;
            if (error is not null && !looksOneBased)
            {
                r.Add($"{at}.address", w.ToString(CultureInfo.InvariantCulture), null, error);
            }
            else if (resolved is { } ok)
            {
                address = ok;
            }

            // The classic mistake: a vendor's 1-based register number (30005) taken for the protocol address.
            // Only when addressBase is absent: writing "addressBase": 0 says the large address is meant.
            if (addressBase is null && ProfileAddress.StripModiconPrefix(table, w) is { } number)
            {
                r.Add($"{at}.address", w.ToString(CultureInfo.InvariantCulture),
                    $"\"addressBase\": 1 with \"address\": {w}, or \"address\": {number - 1}",
                    $"looks like a 1-based register number ({ProfileVocabulary.Json(table)} register {number} in the {ProfileAddress.ModiconPrefix(table)}xxxx numbering); did you mean addressBase: 1 / address {number - 1}? If the device really uses protocol address {w}, write \"addressBase\": 0");
            }
        }

        if (r.ErrorCount > before || id is null || name is null)
        {
            return null;
        }

        return new PointDefinition
        {
            Id = id,
            Name = name,
            NameZh = nameZh,
            Kind = kind,
            Table = table,
            Address = address,
            AddressBase = (int)(addressBase ?? 0),
            WrittenAddress = (int)(written ?? address),
            Type = type,
            Order = order,
            Bit = bit,
            Length = length,
            Scale = scale,
            Offset = offset,
            Unit = unit,
            Deadband = deadband,
            Criticality = criticality,
            Min = min,
            Max = max,
            Writable = writable,
        };
    }

    private static RegisterOrder ReadOrder(Walker r, JsonElement element, string at)
    {
        var order = r.Enum(element, "order", at, ProfileVocabulary.Orders, required: false, fallback: RegisterOrder.ABCD);
        var byteOrder = r.Choice(element, "byteOrder", $"{at}.byteOrder", ProfileVocabulary.Endianness, "big (high byte first, the Modbus default) or little");
        var wordOrder = r.Choice(element, "wordOrder", $"{at}.wordOrder", ProfileVocabulary.Endianness, "big (high word first, the Modbus default) or little (low word first, 'word swap')");
        if (byteOrder is null && wordOrder is null)
        {
            return order;
        }

        if (element.TryGetProperty("order", out _))
        {
            r.Add($"{at}.order", element.GetProperty("order").ToString(), "either 'order' or 'byteOrder'/'wordOrder'", "give the register order one way, not both");
            return order;
        }

        var bytesSwapped = byteOrder == "little";
        var wordsSwapped = wordOrder == "little";
        return (bytesSwapped, wordsSwapped) switch
        {
            (false, false) => RegisterOrder.ABCD,
            (false, true) => RegisterOrder.CDAB,
            (true, false) => RegisterOrder.BADC,
            _ => RegisterOrder.DCBA,
        };
    }

    internal static string Quote(string s) => $"'{s}'";

    internal static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    internal static string Show(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => Quote(e.GetString()!),
        JsonValueKind.Undefined => "(missing)",
        _ => e.GetRawText().Length > 60 ? e.GetRawText()[..60] + "…" : e.GetRawText(),
    };

    /// <summary>Reads typed fields, adding a problem for each field that is missing, of the wrong type or out of range.</summary>
    private sealed class Walker(string source, List<ConfigurationProblem> problems)
    {
        public string? Point { get; set; }

        public int ErrorCount => problems.Count(p => p.Severity == ProblemSeverity.Error);

        public void Add(string field, string? value, string? allowed, string message) =>
            problems.Add(new(source, field, value, allowed, Point is null ? message : $"{Point}: {message}"));

        public void UnknownFields(JsonElement element, string at, IReadOnlyList<string> known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    var near = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                    Add(at.Length == 0 ? property.Name : $"{at}.{property.Name}", Show(property.Value), string.Join(", ", known),
                        near is null ? $"unknown field '{property.Name}'" : $"unknown field '{property.Name}'; did you mean '{near}'? (names are case-sensitive)");
                }
            }
        }

        public string? String(JsonElement element, string name, string field, bool required)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(field, null, "a non-empty string", $"'{name}' is required");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Add(field, Show(value), "a string", $"'{name}' must be a string");
                return null;
            }

            var s = value.GetString()!;
            if (required && string.IsNullOrWhiteSpace(s))
            {
                Add(field, Quote(s), "a non-empty string", $"'{name}' is required");
                return null;
            }

            return s;
        }

        public T Enum<T>(JsonElement element, string name, string at, IReadOnlyList<(string Json, T Value)> table, bool required, T fallback)
            where T : struct, System.Enum
        {
            var field = $"{at}.{name}";
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(field, null, ProfileVocabulary.List(table), $"'{name}' is required");
                }

                return fallback;
            }

            if (value.ValueKind == JsonValueKind.String && ProfileVocabulary.Find(table, value.GetString()) is { } found)
            {
                return found;
            }

            Add(field, Show(value), ProfileVocabulary.List(table), $"unknown {name}");
            return fallback;
        }

        public string? Choice(JsonElement element, string name, string field, IReadOnlyList<string> allowed, string allowedText)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            var s = value.ValueKind == JsonValueKind.String ? value.GetString()!.ToLowerInvariant() : null;
            if (s is not null && allowed.Contains(s))
            {
                return s;
            }

            Add(field, Show(value), allowedText, $"unknown {name}");
            return null;
        }

        public long? Integer(JsonElement element, string name, string field, long min, long max, string allowed, bool required = false)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(field, null, allowed, $"'{name}' is required");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n))
            {
                Add(field, Show(value), allowed, $"'{name}' must be a whole number");
                return null;
            }

            if (n < min || n > max)
            {
                Add(field, n.ToString(CultureInfo.InvariantCulture), allowed, $"'{name}' is out of range");
                return null;
            }

            return n;
        }

        public double? Number(JsonElement element, string name, string field)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d))
            {
                Add(field, Show(value), "a finite number", $"'{name}' must be a number");
                return null;
            }

            return d;
        }

        public bool? Bool(JsonElement element, string name, string field)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            Add(field, Show(value), "true or false", $"'{name}' must be true or false");
            return null;
        }
    }
}
