using System.Text.Json.Serialization;

namespace PropertyEba.Simulators.Estates;

/// <summary>A site file: the devices of one estate, how each is reached and how they are linked.</summary>
public sealed record EstateDefinition
{
    /// <summary>Estate name, used in control URLs and logs.</summary>
    public required string Name { get; init; }

    /// <summary>What the estate is, for people.</summary>
    public string? Description { get; init; }

    /// <summary>IANA time zone of the site; the daily demand profile follows its local time.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>The address the Modbus TCP slaves listen on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>When set, every device answers behind one TCP port (a Modbus gateway), told apart by unit id.</summary>
    public GatewayDefinition? Gateway { get; init; }

    /// <summary>The devices.</summary>
    public required IReadOnlyList<DeviceDefinition> Devices { get; init; }

    /// <summary>A timed fault script that starts with the estate (simulated time since start).</summary>
    public IReadOnlyList<FaultScriptStep>? Script { get; init; }
}

/// <summary>One TCP port shared by all devices of an estate.</summary>
public sealed record GatewayDefinition
{
    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; init; }
}

/// <summary>One device of a site file.</summary>
public sealed record DeviceDefinition
{
    /// <summary>Device id, unique in the estate, e.g. <c>pumps-1</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Device profile (model id), e.g. <c>pump-set-duplex</c>.</summary>
    public required string Model { get; init; }

    /// <summary>Modbus unit id, 1..247.</summary>
    public int UnitId { get; init; } = 1;

    /// <summary>TCP port; 0 (the default) picks a free one. Devices given the same port share one slave and need distinct unit ids.</summary>
    public int Port { get; init; }

    /// <summary>When set, the device answers Modbus RTU on this serial line instead of Modbus TCP.</summary>
    public SerialLineDefinition? Serial { get; init; }

    /// <summary>Where the device is (equipment room), for people.</summary>
    public string? Location { get; init; }

    /// <summary>Model parameters (names and defaults per model: see <c>list</c> and docs/simulators.md).</summary>
    public IReadOnlyDictionary<string, double>? Parameters { get; init; }

    /// <summary>Links to other devices by id, e.g. <c>"fills": ["tank-1"]</c>; a single id may be written as a string.</summary>
    [JsonConverter(typeof(LinkMapJsonConverter))]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Links { get; init; }
}

/// <summary>A serial (RS-485) line a device answers Modbus RTU on; devices on the same port share the bus.</summary>
public sealed record SerialLineDefinition
{
    /// <summary>The serial device (<c>/dev/ttyUSB0</c>), or <c>pty</c> for a pseudo-terminal pair made with socat (the edge end is printed).</summary>
    public required string Port { get; init; }

    /// <summary>Bits per second.</summary>
    public int BaudRate { get; init; } = 9600;

    /// <summary>none, even or odd.</summary>
    public string Parity { get; init; } = "none";

    /// <summary>1 or 2.</summary>
    public int StopBits { get; init; } = 1;
}

/// <summary>One step of a timed fault script.</summary>
public sealed record FaultScriptStep
{
    /// <summary>Simulated time since the estate started, e.g. <c>00:00:30</c>.</summary>
    public required TimeSpan At { get; init; }

    /// <summary>The fault to inject; omitted when <see cref="Clear"/> is true.</summary>
    public string? Fault { get; init; }

    /// <summary>The device to inject it into; omitted: the first device the fault applies to.</summary>
    public string? Device { get; init; }

    /// <summary>Clears every active fault instead of injecting one.</summary>
    public bool Clear { get; init; }
}
