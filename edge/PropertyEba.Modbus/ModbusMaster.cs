using System.Runtime.CompilerServices;
using PropertyEba.Modbus.Protocol;
using PropertyEba.Modbus.Tcp;

namespace PropertyEba.Modbus;

/// <summary>
/// A Modbus master (client) on one transport. Every call is one transaction with a timeout and bounded
/// retries; calls from many threads are queued, one transaction at a time, as a serial line and most
/// TCP slaves require. The <see cref="Memory{T}"/> overloads allocate nothing in steady state.
/// </summary>
public sealed class ModbusMaster : IAsyncDisposable
{
    private const int MaxDeviceIdentificationReplies = 64;

    private readonly IModbusTransport _transport;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly byte[] _request = new byte[ModbusLimits.MaxPduLength];
    private readonly byte[] _response = new byte[ModbusLimits.MaxPduLength];
    private readonly int _retries;
    private readonly int _busyRetries;
    private readonly TimeSpan _busyRetryDelay;
    private readonly TimeProvider _timeProvider;

    private ModbusMaster(IModbusTransport transport, int retries, int busyRetries, TimeSpan busyRetryDelay, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        ArgumentOutOfRangeException.ThrowIfNegative(busyRetries);
        _transport = transport;
        _retries = retries;
        _busyRetries = busyRetries;
        _busyRetryDelay = busyRetryDelay;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a master that talks Modbus TCP to a slave or gateway; it connects on first use and reconnects as needed.</summary>
    public static ModbusMaster CreateTcp(ModbusTcpMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        return new ModbusMaster(new TcpMasterTransport(options), options.Retries, options.BusyRetries, options.BusyRetryDelay, options.TimeProvider);
    }

    /// <summary>Creates a master on a local serial line (RS-485 or RS-232); the port opens on first use and reopens after an error.</summary>
    public static ModbusMaster CreateRtu(ModbusRtuMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Serial);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Serial.PortName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        var transport = new Rtu.RtuMasterTransport(new Rtu.SerialPortChannel(options.Serial), options.Serial.Timing, options.Timeout, options.TurnaroundDelay, options.TimeProvider);
        return new ModbusMaster(transport, options.Retries, options.BusyRetries, options.BusyRetryDelay, options.TimeProvider);
    }

    /// <summary>Creates a master that sends RTU frames over TCP to a serial device server (transparent mode, no MBAP header).</summary>
    public static ModbusMaster CreateRtuOverTcp(ModbusRtuOverTcpMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        var transport = new Rtu.RtuMasterTransport(new Rtu.TcpStreamChannel(options.Host, options.Port), null, options.Timeout, options.TurnaroundDelay, options.TimeProvider);
        return new ModbusMaster(transport, options.Retries, options.BusyRetries, options.BusyRetryDelay, options.TimeProvider);
    }

    internal static ModbusMaster Create(IModbusTransport transport, int retries, int busyRetries, TimeSpan busyRetryDelay, TimeProvider timeProvider) =>
        new(transport, retries, busyRetries, busyRetryDelay, timeProvider);

    internal IModbusTransport Transport => _transport;

    /// <summary>Reads holding registers (function code 03).</summary>
    /// <param name="unitId">The unit (slave address).</param>
    /// <param name="address">The first register, 0-based as on the wire.</param>
    /// <param name="count">1 to 125 registers.</param>
    /// <param name="cancellationToken">Cancels the wait; the connection is then reset.</param>
    public async Task<ushort[]> ReadHoldingRegistersAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default)
    {
        var values = new ushort[count];
        await ReadRegistersAsync(FunctionCode.ReadHoldingRegisters, unitId, address, values, cancellationToken);
        return values;
    }

    /// <summary>Reads holding registers (function code 03) into <paramref name="destination"/>, whose length (1 to 125) is the count; allocation-free.</summary>
    public ValueTask ReadHoldingRegistersAsync(byte unitId, ushort address, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(FunctionCode.ReadHoldingRegisters, unitId, address, destination, cancellationToken);

    /// <summary>Reads input registers (function code 04).</summary>
    /// <param name="unitId">The unit (slave address).</param>
    /// <param name="address">The first register, 0-based as on the wire.</param>
    /// <param name="count">1 to 125 registers.</param>
    /// <param name="cancellationToken">Cancels the wait; the connection is then reset.</param>
    public async Task<ushort[]> ReadInputRegistersAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default)
    {
        var values = new ushort[count];
        await ReadRegistersAsync(FunctionCode.ReadInputRegisters, unitId, address, values, cancellationToken);
        return values;
    }

    /// <summary>Reads input registers (function code 04) into <paramref name="destination"/>, whose length (1 to 125) is the count; allocation-free.</summary>
    public ValueTask ReadInputRegistersAsync(byte unitId, ushort address, Memory<ushort> destination, CancellationToken cancellationToken = default) =>
        ReadRegistersAsync(FunctionCode.ReadInputRegisters, unitId, address, destination, cancellationToken);

    /// <summary>Reads coils (function code 01).</summary>
    /// <param name="unitId">The unit (slave address).</param>
    /// <param name="address">The first coil, 0-based as on the wire.</param>
    /// <param name="count">1 to 2000 coils.</param>
    /// <param name="cancellationToken">Cancels the wait; the connection is then reset.</param>
    public async Task<bool[]> ReadCoilsAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default)
    {
        var values = new bool[count];
        await ReadBitsAsync(FunctionCode.ReadCoils, unitId, address, values, cancellationToken);
        return values;
    }

    /// <summary>Reads coils (function code 01) into <paramref name="destination"/>, whose length (1 to 2000) is the count; allocation-free.</summary>
    public ValueTask ReadCoilsAsync(byte unitId, ushort address, Memory<bool> destination, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(FunctionCode.ReadCoils, unitId, address, destination, cancellationToken);

    /// <summary>Reads discrete inputs (function code 02).</summary>
    /// <param name="unitId">The unit (slave address).</param>
    /// <param name="address">The first input, 0-based as on the wire.</param>
    /// <param name="count">1 to 2000 inputs.</param>
    /// <param name="cancellationToken">Cancels the wait; the connection is then reset.</param>
    public async Task<bool[]> ReadDiscreteInputsAsync(byte unitId, ushort address, ushort count, CancellationToken cancellationToken = default)
    {
        var values = new bool[count];
        await ReadBitsAsync(FunctionCode.ReadDiscreteInputs, unitId, address, values, cancellationToken);
        return values;
    }

    /// <summary>Reads discrete inputs (function code 02) into <paramref name="destination"/>, whose length (1 to 2000) is the count; allocation-free.</summary>
    public ValueTask ReadDiscreteInputsAsync(byte unitId, ushort address, Memory<bool> destination, CancellationToken cancellationToken = default) =>
        ReadBitsAsync(FunctionCode.ReadDiscreteInputs, unitId, address, destination, cancellationToken);

    /// <summary>Writes one coil (function code 05). Unit 0 on a serial line is a broadcast without reply.</summary>
    public Task WriteSingleCoilAsync(byte unitId, ushort address, bool value, CancellationToken cancellationToken = default) =>
        WriteAsync(unitId, WriteKind.SingleCoil, address, value ? 1 : 0, null, null, cancellationToken).AsTask();

    /// <summary>Writes one holding register (function code 06). Unit 0 on a serial line is a broadcast without reply.</summary>
    public Task WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken = default) =>
        WriteAsync(unitId, WriteKind.SingleRegister, address, value, null, null, cancellationToken).AsTask();

    /// <summary>Writes 1 to 1968 coils (function code 15). Unit 0 on a serial line is a broadcast without reply.</summary>
    public Task WriteMultipleCoilsAsync(byte unitId, ushort address, IReadOnlyList<bool> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(values.Count, ModbusLimits.MaxWriteCoils, nameof(values));
        return WriteAsync(unitId, WriteKind.MultipleCoils, address, 0, values, null, cancellationToken).AsTask();
    }

    /// <summary>Writes 1 to 123 holding registers (function code 16). Unit 0 on a serial line is a broadcast without reply.</summary>
    public Task WriteMultipleRegistersAsync(byte unitId, ushort address, IReadOnlyList<ushort> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(values.Count, ModbusLimits.MaxWriteRegisters, nameof(values));
        return WriteAsync(unitId, WriteKind.MultipleRegisters, address, 0, null, values, cancellationToken).AsTask();
    }

    /// <summary>
    /// Writes 1 to 121 holding registers and then reads 1 to 125 (function code 23), in one transaction.
    /// </summary>
    public async Task<ushort[]> ReadWriteMultipleRegistersAsync(byte unitId, ushort readAddress, ushort readCount, ushort writeAddress, IReadOnlyList<ushort> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckCount(readCount, ModbusLimits.MaxReadWriteReadRegisters, nameof(readCount));
        CheckCount(values.Count, ModbusLimits.MaxReadWriteWriteRegisters, nameof(values));
        CheckAddressed(unitId);
        var result = new ushort[readCount];
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var length = RequestPdu.ReadWriteMultipleRegisters(_request, readAddress, readCount, writeAddress, values);
            var n = await TransactAsync(unitId, length, cancellationToken);
            ResponsePdu.ReadRegisters(_response.AsSpan(0, n), FunctionCode.ReadWriteMultipleRegisters, result);
        }
        finally
        {
            _lock.Release();
        }

        return result;
    }

    /// <summary>
    /// Reads the device identification objects (function code 43, MEI type 14) of a category:
    /// 1 basic, 2 regular, 3 extended; follow-up requests are made while the slave has more.
    /// </summary>
    public Task<IReadOnlyDictionary<byte, string>> ReadDeviceIdentificationAsync(byte unitId, byte readDeviceIdCode = 1, CancellationToken cancellationToken = default)
    {
        if (readDeviceIdCode is < 1 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(readDeviceIdCode), readDeviceIdCode, "Stream access is 1 (basic), 2 (regular) or 3 (extended); use the overload with an object id for 4.");
        }

        return ReadDeviceIdentificationCoreAsync(unitId, readDeviceIdCode, 0, cancellationToken);
    }

    /// <summary>Reads device identification (function code 43, MEI type 14) with an explicit code (1–4) and first object id; code 4 reads that one object.</summary>
    public Task<IReadOnlyDictionary<byte, string>> ReadDeviceIdentificationAsync(byte unitId, byte readDeviceIdCode, byte objectId, CancellationToken cancellationToken = default)
    {
        if (readDeviceIdCode is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(readDeviceIdCode), readDeviceIdCode, "Read device id code is 1 (basic), 2 (regular), 3 (extended) or 4 (one object).");
        }

        return ReadDeviceIdentificationCoreAsync(unitId, readDeviceIdCode, objectId, cancellationToken);
    }

    /// <summary>Closes the connection or port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            await _transport.DisposeAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    private static void CheckCount(int count, int max, string name)
    {
        if (count < 1 || count > max)
        {
            throw new ArgumentOutOfRangeException(name, count, $"The Modbus specification allows 1 to {max} here.");
        }
    }

    private void CheckAddressed(byte unitId)
    {
        if (unitId == 0 && _transport.BroadcastsWithoutReply)
        {
            throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "Unit 0 is the broadcast address on a serial line; only writes can be broadcast.");
        }
    }

    private async Task<IReadOnlyDictionary<byte, string>> ReadDeviceIdentificationCoreAsync(byte unitId, byte readDeviceIdCode, byte objectId, CancellationToken cancellationToken)
    {
        CheckAddressed(unitId);
        var objects = new Dictionary<byte, string>();
        await _lock.WaitAsync(cancellationToken);
        try
        {
            for (var i = 0; i < MaxDeviceIdentificationReplies; i++)
            {
                var length = RequestPdu.ReadDeviceIdentification(_request, readDeviceIdCode, objectId);
                var n = await TransactAsync(unitId, length, cancellationToken);
                var next = ResponsePdu.ReadDeviceIdentification(_response.AsSpan(0, n), readDeviceIdCode, objects);
                if (next is null || readDeviceIdCode == 4)
                {
                    return objects;
                }

                objectId = next.Value;
            }
        }
        finally
        {
            _lock.Release();
        }

        throw new ModbusProtocolException($"Unit {unitId} still had more device identification objects after {MaxDeviceIdentificationReplies} replies.");
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadRegistersAsync(byte functionCode, byte unitId, ushort address, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        CheckCount(destination.Length, ModbusLimits.MaxReadRegisters, "count");
        CheckAddressed(unitId);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var length = RequestPdu.Read(_request, functionCode, address, (ushort)destination.Length);
            var n = await TransactAsync(unitId, length, cancellationToken);
            ResponsePdu.ReadRegisters(_response.AsSpan(0, n), functionCode, destination.Span);
        }
        finally
        {
            _lock.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadBitsAsync(byte functionCode, byte unitId, ushort address, Memory<bool> destination, CancellationToken cancellationToken)
    {
        CheckCount(destination.Length, ModbusLimits.MaxReadBits, "count");
        CheckAddressed(unitId);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var length = RequestPdu.Read(_request, functionCode, address, (ushort)destination.Length);
            var n = await TransactAsync(unitId, length, cancellationToken);
            ResponsePdu.ReadBits(_response.AsSpan(0, n), functionCode, destination.Span);
        }
        finally
        {
            _lock.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAsync(byte unitId, WriteKind kind, ushort address, int value, IReadOnlyList<bool>? coils, IReadOnlyList<ushort>? registers, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var length = kind switch
            {
                WriteKind.SingleCoil => RequestPdu.WriteSingleCoil(_request, address, value != 0),
                WriteKind.SingleRegister => RequestPdu.WriteSingleRegister(_request, address, (ushort)value),
                WriteKind.MultipleCoils => RequestPdu.WriteMultipleCoils(_request, address, coils!),
                _ => RequestPdu.WriteMultipleRegisters(_request, address, registers!),
            };

            if (unitId == 0 && _transport.BroadcastsWithoutReply)
            {
                await _transport.SendWithoutReplyAsync(unitId, _request.AsMemory(0, length), cancellationToken);
                return;
            }

            var n = await TransactAsync(unitId, length, cancellationToken);
            ResponsePdu.Echo(_response.AsSpan(0, n), _request.AsSpan(0, length));
        }
        finally
        {
            _lock.Release();
        }
    }

    // Runs one transaction with the retry policy; the caller holds the lock, the request is in _request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> TransactAsync(byte unitId, int requestLength, CancellationToken cancellationToken)
    {
        var functionCode = _request[0];
        var failures = 0;
        var busy = 0;
        while (true)
        {
            int n;
            try
            {
                n = await _transport.TransactAsync(unitId, _request.AsMemory(0, requestLength), _response, cancellationToken);
            }
            catch (ModbusCommunicationException ex) when (failures < _retries && ex is not ModbusConfigurationException)
            {
                failures++;
                continue;
            }

            if (n == 2 && _response[0] == (functionCode | FunctionCode.ExceptionFlag)
                && _response[1] == (byte)ModbusExceptionCode.SlaveDeviceBusy && busy < _busyRetries)
            {
                busy++;
                await Task.Delay(_busyRetryDelay, _timeProvider, cancellationToken);
                continue;
            }

            ResponsePdu.ThrowIfException(_response.AsSpan(0, n), unitId, functionCode);
            return n;
        }
    }

    private enum WriteKind
    {
        SingleCoil,
        SingleRegister,
        MultipleCoils,
        MultipleRegisters,
    }
}
