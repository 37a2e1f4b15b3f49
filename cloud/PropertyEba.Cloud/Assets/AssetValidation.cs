using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Assets;

/// <summary>
/// Collects every problem of a request, keyed by the field (a JSON path such as <c>devices[2].connection.port</c>), so
/// one answer lists them all; <see cref="ThrowIfAny"/> refuses the request with them.
/// </summary>
public sealed class AssetValidation
{
    public const int MaxNameLength = 200;
    public const int MaxAddressLength = 500;
    public const int MaxTextLength = 100;
    private const string IdChars = "1..64 letters, digits, '-' or '_'";

    private readonly Dictionary<string, List<string>> _problems = new(StringComparer.Ordinal);

    public bool Any => _problems.Count > 0;

    public void Add(string field, string message)
    {
        if (!_problems.TryGetValue(field, out var list))
        {
            _problems[field] = list = [];
        }

        list.Add(message);
    }

    public IReadOnlyDictionary<string, string[]> Problems => _problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    public void ThrowIfAny(string title)
    {
        if (Any)
        {
            throw new AssetProblemException(AssetProblemKind.Invalid, title, $"{_problems.Sum(p => p.Value.Count)} problem(s) found; nothing was changed.", Problems);
        }
    }

    /// <summary>A required slug id (tenant, site, device, building, location, system, profile, rule).</summary>
    public void Id(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, $"'{field}' is required: {IdChars}.");
        }
        else if (!MqttTopics.IsId(value))
        {
            Add(field, $"'{value}' is not a valid id: use {IdChars}.");
        }
    }

    public void Name(string field, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, $"'{field}' is required.");
            }
        }
        else if (value.Length > MaxNameLength)
        {
            Add(field, $"'{field}' is {value.Length} characters long; at most {MaxNameLength} are allowed.");
        }
    }

    public void Text(string field, string? value, int max)
    {
        if (value is { Length: var length } && length > max)
        {
            Add(field, $"'{field}' is {length} characters long; at most {max} are allowed.");
        }
    }

    public static string Join(string prefix, string field) => prefix.Length == 0 ? field : $"{prefix}.{field}";

    public void Site(string prefix, SiteRequest? site, bool withId)
    {
        if (site is null)
        {
            Add(prefix.Length == 0 ? "site" : prefix, "The site is required.");
            return;
        }

        if (withId)
        {
            Id(Join(prefix, "siteId"), site.SiteId);
        }

        Name(Join(prefix, "name"), site.Name, required: true);
        Name(Join(prefix, "nameZh"), site.NameZh, required: false);
        Text(Join(prefix, "address"), site.Address, MaxAddressLength);
        if (site.TimeZone is { } zone && !IsIanaTimeZone(zone))
        {
            Add(Join(prefix, "timeZone"), $"'{zone}' is not an IANA time zone id; use one such as 'Asia/Shanghai' or 'Asia/Hong_Kong'.");
        }

        if (site.Geofence is { } g)
        {
            if (g.Latitude is < -90 or > 90 || double.IsNaN(g.Latitude))
            {
                Add(Join(prefix, "geofence.latitude"), $"latitude {g.Latitude} is out of range; allowed -90..90 degrees.");
            }

            if (g.Longitude is < -180 or > 180 || double.IsNaN(g.Longitude))
            {
                Add(Join(prefix, "geofence.longitude"), $"longitude {g.Longitude} is out of range; allowed -180..180 degrees.");
            }

            if (g.RadiusM is < 10 or > 50_000 || double.IsNaN(g.RadiusM))
            {
                Add(Join(prefix, "geofence.radiusM"), $"radius {g.RadiusM} m is out of range; allowed 10..50000 metres.");
            }
        }
    }

    public static bool IsIanaTimeZone(string id) =>
        id.Length is > 0 and <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    public void Building(string prefix, BuildingRequest? building, bool withId)
    {
        if (building is null)
        {
            Add(prefix, "The building is required.");
            return;
        }

        if (withId)
        {
            Id(Join(prefix, "buildingId"), building.BuildingId);
        }

        Name(Join(prefix, "name"), building.Name, required: true);
        Name(Join(prefix, "nameZh"), building.NameZh, required: false);
    }

    public void Location(string prefix, LocationRequest? location, bool withId, Func<string, bool> buildingExists)
    {
        if (location is null)
        {
            Add(prefix, "The location is required.");
            return;
        }

        if (withId)
        {
            Id(Join(prefix, "locationId"), location.LocationId);
        }

        Name(Join(prefix, "name"), location.Name, required: true);
        Name(Join(prefix, "nameZh"), location.NameZh, required: false);
        if (location.Kind is null || !LocationKinds.All.Contains(location.Kind))
        {
            Add(Join(prefix, "kind"), $"'kind' is '{location.Kind}'; allowed: {string.Join(", ", LocationKinds.All)}.");
        }

        if (location.BuildingId is { } b && !buildingExists(b))
        {
            Add(Join(prefix, "buildingId"), $"the site has no building '{b}'.");
        }
    }

    public void Connection(string prefix, DeviceConnectionDto? c)
    {
        var field = Join(prefix, "connection");
        if (c is null)
        {
            Add(field, "'connection' is required: {kind: 'tcp', host, port, unitId} or {kind: 'serial', serialPort, unitId}.");
            return;
        }

        switch (c.Kind)
        {
            case "tcp":
                if (string.IsNullOrWhiteSpace(c.Host) || c.Host.Length > MaxTextLength || Uri.CheckHostName(c.Host) == UriHostNameType.Unknown)
                {
                    Add(Join(field, "host"), $"'host' is '{c.Host}'; a host name or IP address is required for a tcp connection.");
                }

                if (c.Port is not (>= 1 and <= 65535))
                {
                    Add(Join(field, "port"), $"'port' is {c.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; allowed 1..65535 (Modbus TCP's is 502).");
                }

                if (c.UnitId is not (>= 0 and <= 255))
                {
                    Add(Join(field, "unitId"), $"'unitId' is {c.UnitId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; allowed 0..255 for Modbus TCP.");
                }

                if (c.SerialPort is not null)
                {
                    Add(Join(field, "serialPort"), "a tcp connection has no 'serialPort'.");
                }

                break;
            case "serial":
                if (string.IsNullOrWhiteSpace(c.SerialPort) || c.SerialPort.Length > MaxTextLength
                    || !(c.SerialPort.StartsWith("/dev/", StringComparison.Ordinal) || c.SerialPort.StartsWith("COM", StringComparison.OrdinalIgnoreCase)))
                {
                    Add(Join(field, "serialPort"), $"'serialPort' is '{c.SerialPort}'; use a device path such as /dev/ttyUSB0 or a COM port such as COM3.");
                }

                if (c.UnitId is not (>= 1 and <= 247))
                {
                    Add(Join(field, "unitId"), $"'unitId' is {c.UnitId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}; allowed 1..247 on a Modbus RTU bus.");
                }

                if (c.Host is not null || c.Port is not null)
                {
                    Add(Join(field, "host"), "a serial connection has no 'host' or 'port'.");
                }

                break;
            default:
                Add(Join(field, "kind"), $"'kind' is '{c.Kind}'; allowed: tcp, serial.");
                break;
        }
    }

    public void Ledger(string prefix, DeviceLedgerDto? ledger)
    {
        if (ledger is null)
        {
            return;
        }

        var field = Join(prefix, "ledger");
        Text(Join(field, "assetNumber"), ledger.AssetNumber, MaxTextLength);
        Text(Join(field, "manufacturer"), ledger.Manufacturer, MaxTextLength);
        Text(Join(field, "modelNumber"), ledger.ModelNumber, MaxTextLength);
        Text(Join(field, "serialNumber"), ledger.SerialNumber, MaxTextLength);
        if (ledger is { InstalledOn: { } installed, CertificateExpiresOn: { } expires } && expires < installed)
        {
            Add(Join(field, "certificateExpiresOn"), $"the certificate expires ({expires:yyyy-MM-dd}) before the device was installed ({installed:yyyy-MM-dd}).");
        }
    }

    public void Override(string prefix, PointOverrideDto? o)
    {
        if (o is null)
        {
            Add(prefix, "The override is required.");
            return;
        }

        if (o.Name is not null)
        {
            Name(Join(prefix, "name"), o.Name, required: true);
        }

        Name(Join(prefix, "nameZh"), o.NameZh, required: false);
        Text(Join(prefix, "unit"), o.Unit, 16);
        if (o.Deadband is { } d && (d < 0 || double.IsNaN(d) || double.IsInfinity(d)))
        {
            Add(Join(prefix, "deadband"), $"'deadband' is {d}; it must be a finite number ≥ 0.");
        }
    }
}

/// <summary>The kinds of equipment room a location is.</summary>
public static class LocationKinds
{
    public const string PowerRoom = "power-room";
    public const string PumpRoom = "pump-room";
    public const string FireControlRoom = "fire-control-room";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [PowerRoom, PumpRoom, FireControlRoom, Other];
}

/// <summary>The equipment categories every tenant has; a tenant may add more (<see cref="AssetSystem"/>).</summary>
public static class AssetSystems
{
    public static readonly IReadOnlyList<SystemDto> BuiltIn =
    [
        new("power", "Power distribution", "供配电", true),
        new("water", "Water supply and drainage", "给排水", true),
        new("fire", "Fire protection", "消防", true),
        new("hvac", "HVAC", "暖通空调", true),
        new("elevator", "Elevators", "电梯", true),
    ];

    public static bool IsBuiltIn(string systemId) => BuiltIn.Any(s => s.SystemId == systemId);
}
