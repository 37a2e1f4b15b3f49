using PropertyEba.Modbus;

namespace PropertyEba.Edge.Polling;

/// <summary>
/// One Modbus TCP connection (host:port), shared by every device behind it (a serial gateway serves
/// several unit ids). The <see cref="ModbusMaster"/> queues calls, so the connection carries one
/// transaction at a time however many devices poll through it concurrently; it connects on first
/// use and reconnects by itself after a failure, so each connection recovers on its own.
/// </summary>
internal sealed class ModbusConnection : IAsyncDisposable
{
    private readonly ModbusMaster _master;

    public ModbusConnection(string host, int port, TimeSpan timeout, int retries, TimeProvider timeProvider)
    {
        Host = host;
        Port = port;
        _master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = host, Port = port, Timeout = timeout, Retries = retries, TimeProvider = timeProvider });
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Reads a request's data: registers, or bits for coils and discrete inputs.</summary>
    /// <exception cref="ModbusException">The device answered with an exception response.</exception>
    /// <exception cref="ModbusCommunicationException">No usable answer (timeout, connection, protocol).</exception>
    public async Task<(ushort[]? Registers, bool[]? Bits)> ReadAsync(byte unitId, ReadRequest request, CancellationToken cancellationToken) =>
        request.Table switch
        {
            ModbusTable.HoldingRegisters => (await _master.ReadHoldingRegistersAsync(unitId, request.Address, request.Count, cancellationToken), null),
            ModbusTable.InputRegisters => (await _master.ReadInputRegistersAsync(unitId, request.Address, request.Count, cancellationToken), null),
            ModbusTable.Coils => (null, await _master.ReadCoilsAsync(unitId, request.Address, request.Count, cancellationToken)),
            ModbusTable.DiscreteInputs => (null, await _master.ReadDiscreteInputsAsync(unitId, request.Address, request.Count, cancellationToken)),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Table, "Unknown Modbus table."),
        };

    public ValueTask DisposeAsync() => _master.DisposeAsync();
}
