using System.Globalization;
using System.Text;
using System.Text.Json;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Configuration.Import;

/// <summary>Identity of the profile an import produces.</summary>
/// <param name="Model">Model id.</param>
/// <param name="Name">English description.</param>
/// <param name="NameZh">Chinese description.</param>
/// <param name="Manufacturer">Maker.</param>
/// <param name="System">Equipment system (power, water, fire, hvac, elevator).</param>
public sealed record ProfileIdentity(string Model, string Name, string? NameZh, string? Manufacturer, string System);

/// <summary>
/// Turns a vendor register list (rows of a CSV file or an Excel sheet, first row the headers) into a device
/// profile's JSON, then reads it back through <see cref="DeviceProfileReader"/> so the result is validated
/// exactly as check-config would. Every row problem is reported with its row number, all at once.
/// </summary>
public static class RegisterMapImporter
{
    /// <summary>The profile JSON and the problems (rows that could not be read, and the profile's own validation).</summary>
    public static (string? Json, DeviceProfile? Profile, IReadOnlyList<ConfigurationProblem> Problems) Import(
        IReadOnlyList<IReadOnlyList<string>> rows, RegisterMapLayout layout, ProfileIdentity identity, string source)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(identity);
        var problems = new List<ConfigurationProblem>();
        if (rows.Count < 2)
        {
            problems.Add(new(source, "row 1", null, "a header row and at least one register row", "the sheet has no register rows"));
            return (null, null, problems);
        }

        var header = rows[0].Select(h => h.Trim()).ToList();
        int Column(string? name, bool required)
        {
            if (name is null)
            {
                return -1;
            }

            var i = header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (i < 0 && required)
            {
                problems.Add(new(source, "row 1", string.Join(", ", header), $"a column named '{name}'", $"layout '{layout.Name}' needs a column '{name}'"));
            }

            return i;
        }

        var cAddress = Column(layout.Address, true);
        var cId = Column(layout.Id, layout.Id is not null);
        var cName = Column(layout.NameColumn, true);
        var cName2 = Column(layout.Name2, false);
        var cType = Column(layout.DataType, true);
        var cScale = Column(layout.Scale, false);
        var cUnit = Column(layout.Unit, false);
        var cAccess = Column(layout.Access, false);
        var cSize = Column(layout.Size, false);
        if (problems.Count > 0)
        {
            return (null, null, problems);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", identity.Model);
            w.WriteString("name", identity.Name);
            if (identity.NameZh is not null)
            {
                w.WriteString("nameZh", identity.NameZh);
            }

            if (identity.Manufacturer is not null)
            {
                w.WriteString("manufacturer", identity.Manufacturer);
            }

            w.WriteString("system", identity.System);
            w.WriteStartArray("points");
            for (var r = 1; r < rows.Count; r++)
            {
                var row = rows[r];
                string Cell(int c) => c >= 0 && c < row.Count ? row[c].Trim() : "";
                if (row.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }

                var at = $"row {r + 1}";
                var before = problems.Count;
                var addressText = Cell(cAddress);
                var address = ParseAddress(addressText, layout.AddressFormat);
                if (address is null)
                {
                    problems.Add(new(source, $"{at}, {layout.Address}", $"'{addressText}'",
                        layout.AddressFormat == AddressFormat.HexProtocol ? "a hexadecimal address such as 0061H or 0x0061" : "a register number 1..65536", "unreadable register address"));
                }

                var typeText = Cell(cType);
                if (!layout.Types.TryGetValue(typeText.Replace(" ", "", StringComparison.Ordinal), out var type))
                {
                    problems.Add(new(source, $"{at}, {layout.DataType}", $"'{typeText}'", string.Join(", ", layout.Types.Keys), $"unknown data type for layout '{layout.Name}'"));
                }

                if (cSize >= 0 && problems.Count == before && int.TryParse(Cell(cSize), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size)
                    && size != RegisterCodec.RegisterCount(type.Type))
                {
                    problems.Add(new(source, $"{at}, {layout.Size}", Cell(cSize), $"{RegisterCodec.RegisterCount(type.Type)} for {typeText}",
                        $"the size does not match the data type {typeText}"));
                }

                var scaleText = Cell(cScale);
                double scale = 1;
                if (scaleText is not ("" or "-") && !double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out scale))
                {
                    problems.Add(new(source, $"{at}, {layout.Scale}", $"'{scaleText}'", "a number such as 0.1, or empty", "unreadable scale"));
                }

                var name = Cell(cName);
                var name2 = Cell(cName2);
                var id = cId >= 0 ? Cell(cId) : PointId(name.Length > 0 ? name : name2, address);
                if (id.Length == 0 || !ids.Add(id))
                {
                    problems.Add(new(source, $"{at}, {layout.Id ?? layout.NameColumn}", $"'{id}'", "a name not used by another row", "empty or repeated point name"));
                }

                if (problems.Count > before)
                {
                    continue;
                }

                var unit = Cell(cUnit) is "-" ? "" : Cell(cUnit);
                var access = Cell(cAccess).ToUpperInvariant();
                var writable = access.Contains('W', StringComparison.Ordinal);
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("name", name.Length > 0 ? name : name2);
                if (name2.Length > 0)
                {
                    w.WriteString("nameZh", name2);
                }

                w.WriteString("kind", Kind(unit, type.Type, writable));
                w.WriteString("table", ProfileVocabulary.Json(layout.Table));
                if (layout.AddressFormat == AddressFormat.OneBased)
                {
                    // Keep the vendor's number, so the profile can be checked against the sheet line by line.
                    w.WriteNumber("address", address!.Value + 1);
                    w.WriteNumber("addressBase", 1);
                }
                else
                {
                    w.WriteNumber("address", address!.Value);
                }

                w.WriteString("type", type.Type.ToString());
                if (type.Order != RegisterOrder.ABCD)
                {
                    w.WriteString("order", type.Order.ToString());
                }

                if (scale != 1)
                {
                    w.WriteNumber("scale", scale);
                }

                if (unit.Length > 0)
                {
                    w.WriteString("unit", unit);
                }

                if (writable)
                {
                    w.WriteBoolean("writable", true);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (problems.Count > 0)
        {
            return (null, null, problems);
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());
        var (profile, profileProblems) = DeviceProfileReader.Read(json, source);
        problems.AddRange(profileProblems);
        return (profile is null ? null : json, profile, problems);
    }

    private static int? ParseAddress(string text, AddressFormat format)
    {
        if (format == AddressFormat.HexProtocol)
        {
            var hex = text.Trim();
            if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                hex = hex[2..];
            }

            if (hex.EndsWith('H') || hex.EndsWith('h'))
            {
                hex = hex[..^1];
            }

            return int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var a) && a is >= 0 and <= 65535 ? a : null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 65536 ? n - 1 : null;
    }

    private static string Kind(string unit, ModbusDataType type, bool writable) =>
        writable ? "command"
        : type == ModbusDataType.Bit ? "state"
        : unit is "kWh" or "kvarh" or "kVArh" or "kVAh" or "Wh" or "m³" or "m3" or "h" ? "counter"
        : "analog";

    /// <summary>A point id from a name: "Voltage A-B" becomes <c>voltageAB</c>; a name without Latin letters, <c>r0061</c>.</summary>
    public static string PointId(string name, int? address)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in name)
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                current.Append(ch);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        if (words.Count == 0)
        {
            return address is { } a ? $"r{a:X4}" : "";
        }

        var id = new StringBuilder(words[0].ToLowerInvariant());
        foreach (var word in words.Skip(1))
        {
            id.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        }

        return char.IsAsciiDigit(id[0]) ? "p" + id : id.ToString();
    }
}
