namespace PropertyEba.Simulators;

/// <summary>
/// Where a simulated device answers: Modbus TCP on <paramref name="Host"/>:<paramref name="Port"/>, unit
/// <paramref name="UnitId"/>; for Modbus RTU, <paramref name="Host"/> is the serial device a master opens and <paramref name="Port"/> is 0.
/// </summary>
/// <param name="DeviceId">The device id from the estate file, e.g. <c>tank-1</c>.</param>
/// <param name="Model">The device profile (model id) it impersonates, e.g. <c>water-tank-level</c>.</param>
/// <param name="Host">The address it listens on (loopback unless the estate file says otherwise).</param>
/// <param name="Port">The TCP port.</param>
/// <param name="UnitId">The Modbus unit id (slave address).</param>
public sealed record SimulatedDeviceEndpoint(string DeviceId, string Model, string Host, int Port, byte UnitId)
{
    /// <summary><c>tcp</c> or <c>rtu</c>.</summary>
    public string Transport { get; init; } = "tcp";

    /// <summary>For RTU: the line settings, e.g. <c>9600 8N1</c>.</summary>
    public string? SerialSettings { get; init; }

    /// <summary>The device's address as an installer types it: <c>tcp://host:port</c>, or the serial device for RTU.</summary>
    public string Uri => Transport == "rtu" ? Host : $"tcp://{Host}:{Port}";
}
