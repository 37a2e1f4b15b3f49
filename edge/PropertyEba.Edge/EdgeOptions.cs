namespace PropertyEba.Edge;

/// <summary>
/// Everything an edge agent needs to know, bound from the <c>Edge</c> section of its configuration
/// (docs/edge.md lists every field with an example). Validated at start-up by
/// <see cref="EdgeOptionsValidator"/>, which reports every problem at once.
/// </summary>
public sealed class EdgeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Edge";

    /// <summary>Tenant (property company) id; a topic segment: 1..64 of letters, digits, '-' and '_'.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Site (estate) id; a topic segment.</summary>
    public string Site { get; set; } = "";

    /// <summary>This agent's id within the site; a topic segment.</summary>
    public string EdgeId { get; set; } = "";

    /// <summary>The broker the agent publishes to.</summary>
    public EdgeMqttOptions Mqtt { get; set; } = new();

    /// <summary>How often each device is read, unless the device overrides it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long to wait for a Modbus response before the request counts as failed.</summary>
    public TimeSpan ModbusTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a Modbus request is repeated after a timeout before it counts as failed.</summary>
    public int ModbusRetries { get; set; } = 1;

    /// <summary>How many consecutive failed poll cycles make a device "communication lost" (an event is published).</summary>
    public int CommLossThreshold { get; set; } = 3;

    /// <summary>Largest hole (unused registers) the read planner bridges to merge two points into one read.</summary>
    public int MaxRegisterGap { get; set; } = 16;

    /// <summary>Largest hole (unused coils or discrete inputs) the read planner bridges.</summary>
    public int MaxBitGap { get; set; } = 64;

    /// <summary>Folder of the store-and-forward buffer used while the broker is unreachable; relative paths are relative to the working directory.</summary>
    public string BufferDirectory { get; set; } = "data/edge-buffer";

    /// <summary>Cap on the buffer's size on disk; when full, the oldest batches are dropped (and reported).</summary>
    public long BufferMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Cap on how long a batch may wait in the buffer (since it was buffered); older ones are dropped, oldest first (and reported).</summary>
    public TimeSpan BufferMaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Appends to the buffer are flushed to the storage device at most once per this interval (and at stop), to spare
    /// the SD card; a power cut loses at most this much of the buffered data. Zero flushes every append.
    /// </summary>
    public TimeSpan BufferSyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Folder of device profiles (<c>*.json</c>); null means the <c>profiles/</c> folder beside the binaries.</summary>
    public string? ProfilesDirectory { get; set; }

    /// <summary>The devices this agent polls.</summary>
    public List<EdgeDeviceOptions> Devices { get; set; } = [];

    /// <summary>Back-off of lost devices and reconnections, TCP parallelism, report by exception.</summary>
    public Polling.EdgeRuntimeOptions Runtime { get; set; } = new();

    /// <summary>The installer's local page.</summary>
    public LocalPage.LocalPageOptions LocalPage { get; set; } = new();
}

/// <summary>How the agent reaches its MQTT broker (section <c>Edge:Mqtt</c>).</summary>
public sealed class EdgeMqttOptions
{
    /// <summary>Broker host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker TCP port (1883 plain, 8883 TLS by convention).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>User name, if the broker requires credentials.</summary>
    public string? Username { get; set; }

    /// <summary>Password for <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Connect over TLS, validating the broker's certificate.</summary>
    public bool UseTls { get; set; }

    /// <summary>MQTT client id; empty means <c>eba-{tenant}-{site}-{edge}</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>MQTT keep-alive; the broker publishes the last will after 1.5 × this without traffic.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First delay before reconnecting; doubles after each failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a connection attempt or a publish may take before it counts as failed.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>How the agent reaches a device.</summary>
public enum ModbusTransportKind
{
    /// <summary>Modbus TCP (MBAP framing) to the device or to a Modbus TCP gateway: <c>Host</c>, <c>Port</c>.</summary>
    Tcp,

    /// <summary>Modbus RTU frames over TCP to a serial device server in transparent mode: <c>Host</c>, <c>Port</c>.</summary>
    RtuOverTcp,

    /// <summary>Modbus RTU on a local serial line (RS-485/RS-232): <c>SerialPort</c> and the line settings.</summary>
    Rtu,
}

/// <summary>One device the agent polls (an item of <c>Edge:Devices</c>).</summary>
public sealed class EdgeDeviceOptions
{
    /// <summary>Device id within the site, used in telemetry; 1..64 of letters, digits, '-' and '_'.</summary>
    public string DeviceId { get; set; } = "";

    /// <summary>Model id of the device's profile (the <c>model</c> field of a profile file).</summary>
    public string Model { get; set; } = "";

    /// <summary>How the device is reached; <see cref="ModbusTransportKind.Tcp"/> unless set.</summary>
    public ModbusTransportKind Transport { get; set; } = ModbusTransportKind.Tcp;

    /// <summary>Host of the device, or of its gateway or serial device server (TCP transports).</summary>
    public string Host { get; set; } = "";

    /// <summary>TCP port (TCP transports).</summary>
    public int Port { get; set; } = 502;

    /// <summary>Serial port of an RTU line, e.g. <c>/dev/ttyUSB0</c> or <c>COM3</c> (transport <see cref="ModbusTransportKind.Rtu"/>).</summary>
    public string? SerialPort { get; set; }

    /// <summary>Line speed of the serial port.</summary>
    public int BaudRate { get; set; } = 9600;

    /// <summary>Parity of the serial line (<c>None</c>, <c>Even</c>, <c>Odd</c>); Modbus RTU's default is Even.</summary>
    public System.IO.Ports.Parity Parity { get; set; } = System.IO.Ports.Parity.Even;

    /// <summary>Data bits of the serial line (7 or 8; RTU needs 8).</summary>
    public int DataBits { get; set; } = 8;

    /// <summary>Stop bits of the serial line (<c>One</c> or <c>Two</c>).</summary>
    public System.IO.Ports.StopBits StopBits { get; set; } = System.IO.Ports.StopBits.One;

    /// <summary>
    /// Drive the RS-485 transceiver's driver-enable through RTS while sending (adapters that do not switch
    /// direction by themselves); a port without RTS then fails with an error that says so.
    /// </summary>
    public bool Rs485DirectionControl { get; set; }

    /// <summary>Modbus unit id (slave address behind a gateway; 1 or 255 for most TCP devices).</summary>
    public int UnitId { get; set; } = 1;

    /// <summary>Poll interval for this device; null uses <see cref="EdgeOptions.PollInterval"/>.</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>Most registers the device accepts in one read (the Modbus maximum, 125, unless the device is more limited).</summary>
    public int MaxRegistersPerRead { get; set; } = 125;

    /// <summary>Most coils or discrete inputs the device accepts in one read (the Modbus maximum is 2000).</summary>
    public int MaxBitsPerRead { get; set; } = 2000;
}
