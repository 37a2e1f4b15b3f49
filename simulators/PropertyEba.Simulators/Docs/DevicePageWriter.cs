using System.Globalization;
using System.Text;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Faults;

namespace PropertyEba.Simulators.Docs;

/// <summary>Renders the reference pages of docs/devices/ from the device profiles: one page per model and an index.</summary>
public static class DevicePageWriter
{
    /// <summary>Every page (file name → Markdown), the index <c>README.md</c> included.</summary>
    public static IReadOnlyDictionary<string, string> RenderAll(IReadOnlyDictionary<string, DeviceProfile> profiles)
    {
        var pages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var profile in profiles.Values)
        {
            pages[profile.Model + ".md"] = Render(profile);
        }

        pages["README.md"] = RenderIndex(profiles.Values);
        return pages;
    }

    /// <summary>Writes every page into a folder (created if needed) and returns the files written.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(string directory, IReadOnlyDictionary<string, DeviceProfile> profiles, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (file, text) in RenderAll(profiles))
        {
            var path = Path.Combine(directory, file);
            await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), cancellationToken);
            written.Add(path);
        }

        return written;
    }

    /// <summary>The page of one model.</summary>
    public static string Render(DeviceProfile profile)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"# {profile.Model} — {profile.NameZh ?? profile.Name}\n\n");
        sb.Append("<!-- Generated from edge/profiles/").Append(profile.Model).Append(".json by `dotnet run --project simulators/PropertyEba.Simulators -- docs`; do not edit. -->\n\n");
        sb.Append(inv, $"{profile.Name}.\n\n");
        sb.Append(inv, $"- System: {profile.System}\n");
        if (profile.Manufacturer is not null)
        {
            sb.Append(inv, $"- Register map: {profile.Manufacturer}\n");
        }

        sb.Append("- Addresses are protocol (0-based) addresses as on the wire; add 1 for the 1-based \"register number\" many tools show.\n");
        sb.Append("- Engineering value = raw × scale + offset.\n\n");
        sb.Append("| point id | name | 名称 | kind | table | address | type | order | bit | scale | offset | unit | writable |\n");
        sb.Append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        foreach (var p in profile.Points)
        {
            var multiWord = p.Table is ModbusTable.HoldingRegisters or ModbusTable.InputRegisters && p.Span > 1;
            sb.Append(inv, $"| `{p.Id}` | {p.Name} | {p.NameZh} | {p.Kind.ToString().ToLowerInvariant()} | {TableName(p.Table)} | {Address(p)} | {p.Type} | {(multiWord ? p.Order.ToString() : "")} | {(p.Type == ModbusDataType.Bit ? p.Bit.ToString(inv) : "")} | {Number(p.Scale)} | {Number(p.Offset)} | {p.Unit} | {(p.Writable ? "yes" : "")} |\n");
        }

        var info = DeviceModelCatalog.Find(profile.Model);
        if (info is not null)
        {
            sb.Append("\n## Simulator behaviour\n\n").Append(info.Behaviour).Append("\n\n");
            var faults = FaultCatalog.All.Where(f => f.Kind != FaultKind.Communication && f.Models.Contains(profile.Model)).Select(f => $"`{f.Name}`").ToList();
            sb.Append("Faults: ").AppendJoin(", ", faults).Append(faults.Count > 0 ? ", and the" : "the").Append(" communication faults `no-reply`, `slow-reply`, `exception-reply`, `garbage-reply` (see [simulators.md](../simulators.md#faults)).\n\n");

            if (info.Parameters.Count > 0)
            {
                sb.Append("| parameter | default | meaning |\n| --- | --- | --- |\n");
                foreach (var p in info.Parameters)
                {
                    sb.Append(inv, $"| `{p.Name}` | {Number(p.Default)} | {p.Meaning} |\n");
                }

                sb.Append('\n');
            }

            if (info.Links.Count > 0)
            {
                sb.Append("| link | names |\n| --- | --- |\n");
                foreach (var l in info.Links)
                {
                    sb.Append(inv, $"| `{l.Name}` | {l.Meaning} |\n");
                }

                sb.Append('\n');
            }
        }

        return sb.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>The index page listing every model.</summary>
    public static string RenderIndex(IEnumerable<DeviceProfile> profiles)
    {
        var sb = new StringBuilder();
        sb.Append("# Device reference\n\n");
        sb.Append("<!-- Generated from edge/profiles/*.json by `dotnet run --project simulators/PropertyEba.Simulators -- docs`; do not edit. -->\n\n");
        sb.Append("One page per equipment model: every point with its table, address, type, word order, scale and unit. ");
        sb.Append("The same profile files drive the edge agent (to read) and the simulators (to impersonate).\n\n");
        sb.Append("| model | 设备 | system | points |\n| --- | --- | --- | --- |\n");
        foreach (var p in profiles.OrderBy(p => p.System, StringComparer.Ordinal).ThenBy(p => p.Model, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"| [{p.Model}]({p.Model}.md) | {p.NameZh} | {p.System} | {p.Points.Count} |\n");
        }

        return sb.ToString();
    }

    private static string TableName(ModbusTable table) => table switch
    {
        ModbusTable.Coils => "coil (01)",
        ModbusTable.DiscreteInputs => "discrete input (02)",
        ModbusTable.HoldingRegisters => "holding register (03)",
        _ => "input register (04)",
    };

    private static string Address(PointDefinition p) =>
        p.Span > 1 ? string.Create(CultureInfo.InvariantCulture, $"{p.Address}–{p.Address + p.Span - 1}") : p.Address.ToString(CultureInfo.InvariantCulture);

    private static string Number(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
