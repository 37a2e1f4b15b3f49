using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Remote;

/// <summary>
/// Turns a desired configuration from the cloud into the options the agent would run: the local options (identity,
/// broker, buffer stay as the installer set them) with the fields the cloud may set replaced, bound exactly as the
/// <c>Edge</c> section of appsettings.json is, then checked by the same <see cref="EdgeOptionsValidator"/> as at start.
/// Every problem is reported at once; nothing is applied when there is one. Without profiles (the cloud, which does
/// not hold the edge's profile folder) device models are not checked.
/// </summary>
public static class DesiredConfigMerger
{
    /// <summary>The <c>Edge</c> fields the cloud may set; the others are the installer's.</summary>
    public static readonly IReadOnlyList<string> RemoteFields =
        ["devices", "pollInterval", "modbusTimeout", "modbusRetries", "commLossThreshold", "maxRegisterGap", "maxBitGap"];

    public static (EdgeOptions? Options, IReadOnlyList<string> Problems) Merge(EdgeOptions local, EdgeDesiredConfig desired, IReadOnlyDictionary<string, DeviceProfile>? profiles)
    {
        var problems = new List<string>();
        if (desired.Schema != 1)
        {
            problems.Add($"schema {desired.Schema} is not supported; this edge reads schema 1");
        }

        if (string.IsNullOrWhiteSpace(desired.Version) || desired.Version.Length > 64 || desired.Version.Any(char.IsControl))
        {
            problems.Add($"version '{desired.Version}' is not valid: give 1..64 printable characters");
        }

        if (desired.Edge.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"edge is {desired.Edge.ValueKind}; it must be an object with the fields {string.Join(", ", RemoteFields)}");
            return (null, problems);
        }

        foreach (var field in desired.Edge.EnumerateObject())
        {
            if (!RemoteFields.Contains(field.Name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"edge.{field.Name} cannot be set remotely (the edge's identity, broker and buffer are local); allowed: {string.Join(", ", RemoteFields)}");
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var merged = Copy(local);
        if (desired.Edge.EnumerateObject().Any(f => string.Equals(f.Name, "devices", StringComparison.OrdinalIgnoreCase)))
        {
            // Binding adds to a list: the desired devices replace the local ones rather than join them.
            merged.Devices = [];
        }

        try
        {
            var json = "{\"" + EdgeOptions.SectionName + "\":" + desired.Edge.GetRawText() + "}";
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
            configuration.GetSection(EdgeOptions.SectionName).Bind(merged);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or JsonException or InvalidDataException)
        {
            // The binder names the field and the value it could not convert ("Failed to convert configuration value '…' at 'Edge:PollInterval' to type 'System.TimeSpan'").
            problems.Add(ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message);
            return (null, problems);
        }

        problems.AddRange(EdgeOptionsValidator.Collect(merged, profiles));
        return problems.Count > 0 ? (null, problems) : (merged, problems);
    }

    private static EdgeOptions Copy(EdgeOptions o) => new()
    {
        Tenant = o.Tenant,
        Site = o.Site,
        EdgeId = o.EdgeId,
        Mqtt = o.Mqtt,
        PollInterval = o.PollInterval,
        ModbusTimeout = o.ModbusTimeout,
        ModbusRetries = o.ModbusRetries,
        CommLossThreshold = o.CommLossThreshold,
        MaxRegisterGap = o.MaxRegisterGap,
        MaxBitGap = o.MaxBitGap,
        BufferDirectory = o.BufferDirectory,
        BufferMaxBytes = o.BufferMaxBytes,
        BufferMaxAge = o.BufferMaxAge,
        BufferSyncInterval = o.BufferSyncInterval,
        ProfilesDirectory = o.ProfilesDirectory,
        Devices = [.. o.Devices],
    };
}
