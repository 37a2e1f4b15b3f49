namespace PropertyEba.Simulators;

/// <summary>Where a simulated device answers: Modbus TCP on <paramref name="Host"/>:<paramref name="Port"/>, unit <paramref name="UnitId"/>.</summary>
/// <param name="DeviceId">The device id from the estate file, e.g. <c>tank-1</c>.</param>
/// <param name="Model">The device profile (model id) it impersonates, e.g. <c>water-tank-level</c>.</param>
/// <param name="Host">The address it listens on (loopback unless the estate file says otherwise).</param>
/// <param name="Port">The TCP port.</param>
/// <param name="UnitId">The Modbus unit id (slave address).</param>
public sealed record SimulatedDeviceEndpoint(string DeviceId, string Model, string Host, int Port, byte UnitId)
{
    /// <summary>The device's address as an installer types it: <c>tcp://host:port</c>.</summary>
    public string Uri => $"tcp://{Host}:{Port}";
}
