namespace PropertyEba.Edge.Configuration;

/// <summary>The JSON kind a field of the edge configuration must have.</summary>
internal enum FieldKind
{
    String,
    Integer,
    Boolean,
    Duration,
    Choice,
    Object,
    Array,
}

/// <summary>One field of the edge configuration file: its name (matched case-insensitively, as configuration does), kind and allowed values.</summary>
internal sealed record FieldSpec(string Name, FieldKind Kind, IReadOnlyList<string>? Choices = null, IReadOnlyList<FieldSpec>? Children = null, bool Nullable = false);

/// <summary>
/// The shape of the edge configuration (the <c>Edge</c> section, or an estate file given with --config), so
/// that a file's structural mistakes (unknown or misspelt fields, a number where a duration belongs, an unknown
/// transport) are all reported at once before the configuration binder, which stops at the first, sees it.
/// A test checks that every property of <see cref="EdgeOptions"/> is listed here: a new option needs a line.
/// </summary>
internal static class EdgeConfigurationSchema
{
    public static readonly IReadOnlyList<string> Transports = Enum.GetNames<ModbusTransportKind>();

    public static readonly IReadOnlyList<string> Parities = ["None", "Even", "Odd"];

    public static readonly IReadOnlyList<string> StopBits = ["One", "Two"];

    public static readonly IReadOnlyList<FieldSpec> Mqtt =
    [
        new("Host", FieldKind.String), new("Port", FieldKind.Integer), new("Username", FieldKind.String, Nullable: true),
        new("Password", FieldKind.String, Nullable: true), new("UseTls", FieldKind.Boolean), new("ClientId", FieldKind.String, Nullable: true),
        new("KeepAlive", FieldKind.Duration), new("ReconnectDelay", FieldKind.Duration), new("MaxReconnectDelay", FieldKind.Duration),
        new("OperationTimeout", FieldKind.Duration),
    ];

    public static readonly IReadOnlyList<FieldSpec> Device =
    [
        new("DeviceId", FieldKind.String), new("Model", FieldKind.String), new("Transport", FieldKind.Choice, Transports),
        new("Host", FieldKind.String), new("Port", FieldKind.Integer), new("SerialPort", FieldKind.String, Nullable: true),
        new("BaudRate", FieldKind.Integer), new("Parity", FieldKind.Choice, Parities), new("DataBits", FieldKind.Integer),
        new("StopBits", FieldKind.Choice, StopBits), new("Rs485DirectionControl", FieldKind.Boolean), new("UnitId", FieldKind.Integer),
        new("PollInterval", FieldKind.Duration, Nullable: true), new("MaxRegistersPerRead", FieldKind.Integer), new("MaxBitsPerRead", FieldKind.Integer),
    ];

    public static readonly IReadOnlyList<FieldSpec> Runtime =
    [
        new("DeviceMaxBackOff", FieldKind.Duration), new("ReconnectDelay", FieldKind.Duration), new("MaxReconnectDelay", FieldKind.Duration),
        new("MaxParallelTcp", FieldKind.Integer), new("ReportHeartbeat", FieldKind.Duration, Nullable: true),
    ];

    public static readonly IReadOnlyList<FieldSpec> LocalPage =
    [
        new("Enabled", FieldKind.Boolean), new("Address", FieldKind.String), new("Port", FieldKind.Integer),
        new("Password", FieldKind.String, Nullable: true),
    ];

    public static readonly IReadOnlyList<FieldSpec> Root =
    [
        new("Tenant", FieldKind.String), new("Site", FieldKind.String), new("EdgeId", FieldKind.String),
        new("Mqtt", FieldKind.Object, Children: Mqtt),
        new("PollInterval", FieldKind.Duration), new("ModbusTimeout", FieldKind.Duration), new("ModbusRetries", FieldKind.Integer),
        new("CommLossThreshold", FieldKind.Integer), new("MaxRegisterGap", FieldKind.Integer), new("MaxBitGap", FieldKind.Integer),
        new("BufferDirectory", FieldKind.String), new("BufferMaxBytes", FieldKind.Integer),
        new("BufferMaxAge", FieldKind.Duration), new("BufferSyncInterval", FieldKind.Duration), new("ProfilesDirectory", FieldKind.String, Nullable: true),
        new("Runtime", FieldKind.Object, Children: Runtime), new("LocalPage", FieldKind.Object, Children: LocalPage),
        new("Devices", FieldKind.Array, Children: Device),
    ];
}
