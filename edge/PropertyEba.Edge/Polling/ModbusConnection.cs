using PropertyEba.Modbus;

namespace PropertyEba.Edge.Polling;

/// <summary>
/// One Modbus connection — a TCP endpoint, a serial device server, or an RS-485 line — shared by every
/// device behind it (a gateway or a bus serves several unit ids). The <see cref="ModbusMaster"/>
/// queues calls, so the connection carries one transaction at a time however many devices poll
/// through it concurrently, as a serial bus requires; it connects (or opens the port) on first use
/// and again after a failure, so each connection recovers on its own.
/// </summary>
internal sealed class ModbusConnection : IAsyncDisposable
{
    private readonly ModbusMaster _master;

    private ModbusConnection(ModbusMaster master, string description)
    {
        _master = master;
        Description = description;
    }

    /// <summary>Where the connection goes, for messages: <c>tcp://host:port</c>, <c>rtu+tcp://host:port</c> or the serial port.</summary>
    public string Description { get; }

    /// <summary>Creates the connection a device's options describe.</summary>
    public static ModbusConnection For(EdgeDeviceOptions device, TimeSpan timeout, int retries, TimeProvider timeProvider) => device.Transport switch
    {
        ModbusTransportKind.Tcp => new ModbusConnection(
            ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = device.Host, Port = device.Port, Timeout = timeout, Retries = retries, TimeProvider = timeProvider }),
            $"tcp://{device.Host}:{device.Port}"),
        ModbusTransportKind.RtuOverTcp => new ModbusConnection(
            ModbusMaster.CreateRtuOverTcp(new ModbusRtuOverTcpMasterOptions { Host = device.Host, Port = device.Port, Timeout = timeout, Retries = retries, TimeProvider = timeProvider }),
            $"rtu+tcp://{device.Host}:{device.Port}"),
        ModbusTransportKind.Rtu => new ModbusConnection(
            ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
            {
                Serial = new ModbusSerialOptions { PortName = device.SerialPort!, BaudRate = device.BaudRate, Parity = device.Parity, DataBits = device.DataBits, StopBits = device.StopBits, Rs485DirectionControl = device.Rs485DirectionControl },
                Timeout = timeout,
                Retries = retries,
                TimeProvider = timeProvider,
            }),
            $"{device.SerialPort} ({device.BaudRate} {device.DataBits}{device.Parity.ToString()[0]}{(device.StopBits == System.IO.Ports.StopBits.Two ? 2 : 1)})"),
        _ => throw new ArgumentOutOfRangeException(nameof(device), device.Transport, "Unknown Modbus transport."),
    };

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

    /// <summary>Writes one coil (a command such as fan on/off).</summary>
    /// <exception cref="ModbusException">The device answered with an exception response.</exception>
    /// <exception cref="ModbusCommunicationException">No usable answer (timeout, connection, protocol).</exception>
    public Task WriteCoilAsync(byte unitId, ushort address, bool value, CancellationToken cancellationToken) =>
        _master.WriteSingleCoilAsync(unitId, address, value, cancellationToken);

    /// <summary>Writes holding registers: one with function 6, several (a 32-bit setpoint) with function 16.</summary>
    /// <exception cref="ModbusException">The device answered with an exception response.</exception>
    /// <exception cref="ModbusCommunicationException">No usable answer (timeout, connection, protocol).</exception>
    public Task WriteRegistersAsync(byte unitId, ushort address, ushort[] values, CancellationToken cancellationToken) =>
        values.Length == 1
            ? _master.WriteSingleRegisterAsync(unitId, address, values[0], cancellationToken)
            : _master.WriteMultipleRegistersAsync(unitId, address, values, cancellationToken);

    public ValueTask DisposeAsync() => _master.DisposeAsync();
}
