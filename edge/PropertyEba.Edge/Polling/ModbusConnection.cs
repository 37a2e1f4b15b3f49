using System.Diagnostics;
using PropertyEba.Edge.Health;
using PropertyEba.Modbus;

namespace PropertyEba.Edge.Polling;

/// <summary>
/// One Modbus connection — a TCP endpoint, a serial device server, or an RS-485 line — shared by every
/// device behind it (a gateway or a bus serves several unit ids). It carries one transaction at a time,
/// handed out by priority (<see cref="PriorityGate"/>: fire panels before meters), as a serial bus and a
/// TCP-to-RTU gateway require; TCP connections also share an agent-wide limit on transactions in flight.
/// It connects (or opens the port) on first use and again after a failure, backing off exponentially with
/// jitter between reconnection attempts, so that an unplugged gateway costs no timeouts in the meantime.
/// </summary>
internal sealed class ModbusConnection : IAsyncDisposable
{
    private readonly ModbusMaster _master;
    private readonly PriorityGate _gate = new();
    private readonly SemaphoreSlim? _parallelLimit;
    private readonly TimeProvider _time;
    private readonly BackOff _reconnect;
    private bool _broken;
    private long _reconnectAtTimestamp;
    private long _reconnects;

    private ModbusConnection(ModbusMaster master, string description, EdgeDeviceOptions device, SemaphoreSlim? parallelLimit, TimeProvider time, BackOff reconnect)
    {
        _master = master;
        Description = description;
        Transport = device.Transport;
        Line = device;
        _parallelLimit = parallelLimit;
        _time = time;
        _reconnect = reconnect;
    }

    /// <summary>Where the connection goes, for messages: <c>tcp://host:port</c>, <c>rtu+tcp://host:port</c> or the serial port.</summary>
    public string Description { get; }

    /// <summary>The transport.</summary>
    public ModbusTransportKind Transport { get; }

    /// <summary>The first device's options, which carry the line settings (every device on a line has the same).</summary>
    public EdgeDeviceOptions Line { get; }

    /// <summary>Transactions of every device on this connection.</summary>
    public CommStats Stats { get; } = new();

    /// <summary>Reconnection attempts after a failure.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Creates the connection a device's options describe.</summary>
    /// <param name="device">The device (its transport and line settings).</param>
    /// <param name="timeout">Modbus response timeout.</param>
    /// <param name="retries">Repeats after a timeout.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="tcpParallelLimit">Shared by all TCP connections of an agent: transactions in flight at once; null for no limit.</param>
    /// <param name="reconnectBackOff">Delays between reconnection attempts; null for the default (0.5 s doubling to 15 s).</param>
    public static ModbusConnection For(EdgeDeviceOptions device, TimeSpan timeout, int retries, TimeProvider timeProvider, SemaphoreSlim? tcpParallelLimit = null, BackOff? reconnectBackOff = null)
    {
        var backOff = reconnectBackOff ?? new BackOff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15), Random.Shared);
        return device.Transport switch
        {
            ModbusTransportKind.Tcp => new ModbusConnection(
                ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = device.Host, Port = device.Port, Timeout = timeout, Retries = retries, TimeProvider = timeProvider }),
                $"tcp://{device.Host}:{device.Port}", device, tcpParallelLimit, timeProvider, backOff),
            ModbusTransportKind.RtuOverTcp => new ModbusConnection(
                ModbusMaster.CreateRtuOverTcp(new ModbusRtuOverTcpMasterOptions { Host = device.Host, Port = device.Port, Timeout = timeout, Retries = retries, TimeProvider = timeProvider }),
                $"rtu+tcp://{device.Host}:{device.Port}", device, tcpParallelLimit, timeProvider, backOff),
            ModbusTransportKind.Rtu => new ModbusConnection(
                ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
                {
                    Serial = new ModbusSerialOptions { PortName = device.SerialPort!, BaudRate = device.BaudRate, Parity = device.Parity, DataBits = device.DataBits, StopBits = device.StopBits, Rs485DirectionControl = device.Rs485DirectionControl },
                    Timeout = timeout,
                    Retries = retries,
                    TimeProvider = timeProvider,
                }),
                $"{device.SerialPort} ({device.BaudRate} {device.DataBits}{device.Parity.ToString()[0]}{(device.StopBits == System.IO.Ports.StopBits.Two ? 2 : 1)})", device, null, timeProvider, backOff),
            _ => throw new ArgumentOutOfRangeException(nameof(device), device.Transport, "Unknown Modbus transport."),
        };
    }

    /// <summary>Reads a request's data: registers, or bits for coils and discrete inputs.</summary>
    /// <exception cref="ModbusException">The device answered with an exception response.</exception>
    /// <exception cref="ModbusCommunicationException">No usable answer (timeout, connection, protocol, reconnect backing off).</exception>
    public Task<(ushort[]? Registers, bool[]? Bits)> ReadAsync(byte unitId, ReadRequest request, CancellationToken cancellationToken) =>
        ReadAsync(unitId, request, 0, null, cancellationToken);

    /// <summary>Reads a request's data in its turn on the bus (higher <paramref name="priority"/> first), recording the outcome.</summary>
    /// <param name="unitId">Unit id.</param>
    /// <param name="request">What to read.</param>
    /// <param name="priority">The device's priority on this connection.</param>
    /// <param name="deviceStats">The device's counters, recorded too; null for none.</param>
    /// <param name="cancellationToken">Cancels the wait and the transaction.</param>
    public async Task<(ushort[]? Registers, bool[]? Bits)> ReadAsync(byte unitId, ReadRequest request, int priority, CommStats? deviceStats, CancellationToken cancellationToken)
    {
        using var turn = await _gate.EnterAsync(priority, cancellationToken);
        if (_parallelLimit is not null)
        {
            await _parallelLimit.WaitAsync(cancellationToken);
        }

        var started = _time.GetTimestamp();
        try
        {
            if (_broken)
            {
                if (_time.GetTimestamp() < _reconnectAtTimestamp)
                {
                    throw new ReconnectBackingOffException(
                        $"{Description}: not reconnecting for {_time.GetElapsedTime(_time.GetTimestamp(), _reconnectAtTimestamp).TotalSeconds:0.0} s more after {_reconnect.Failures} failed attempts");
                }

                Interlocked.Increment(ref _reconnects);
            }

            var result = await ReadCoreAsync(unitId, request, cancellationToken);
            Succeeded(started, TransactionOutcome.Answered, deviceStats);
            return result;
        }
        catch (ModbusException)
        {
            Succeeded(started, TransactionOutcome.ExceptionReply, deviceStats);
            throw;
        }
        catch (ModbusTimeoutException)
        {
            Record(TransactionOutcome.Timeout, started, deviceStats);
            throw;
        }
        catch (ModbusProtocolException)
        {
            Record(TransactionOutcome.Garbled, started, deviceStats);
            throw;
        }
        catch (ReconnectBackingOffException)
        {
            Record(TransactionOutcome.ConnectionFailed, started, deviceStats);
            throw;
        }
        catch (ModbusCommunicationException)
        {
            // The connection itself failed (refused, reset, port missing): wait before the next attempt to reconnect.
            _broken = true;
            _reconnectAtTimestamp = _time.GetTimestamp() + (long)(_reconnect.Fail().TotalSeconds * _time.TimestampFrequency);
            Record(TransactionOutcome.ConnectionFailed, started, deviceStats);
            throw;
        }
        finally
        {
            _parallelLimit?.Release();
        }
    }

    private void Succeeded(long started, TransactionOutcome outcome, CommStats? deviceStats)
    {
        _broken = false;
        _reconnect.Reset();
        Record(outcome, started, deviceStats);
    }

    private void Record(TransactionOutcome outcome, long started, CommStats? deviceStats)
    {
        var elapsed = _time.GetElapsedTime(started);
        Stats.Record(outcome, elapsed);
        deviceStats?.Record(outcome, elapsed);
    }

    private async Task<(ushort[]? Registers, bool[]? Bits)> ReadCoreAsync(byte unitId, ReadRequest request, CancellationToken cancellationToken) =>
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

    /// <summary>The connection failed recently and the next reconnection attempt is not due yet.</summary>
    private sealed class ReconnectBackingOffException(string message) : ModbusCommunicationException(message);
}
