using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PropertyEba.Modbus.Slave;
using PropertyEba.Modbus.Tcp;

namespace PropertyEba.Modbus;

/// <summary>
/// A Modbus TCP slave (server) serving one or more unit ids to many concurrent clients. Each
/// connection is served by its own task, requests on it in order. Unit id 0 and 255 address the
/// only unit when there is exactly one (TCP devices are addressed by IP, Messaging on TCP/IP §4.4.2);
/// a unit id nobody serves is answered, as a gateway would, with
/// <see cref="ModbusExceptionCode.GatewayTargetFailedToRespond"/>.
/// </summary>
public sealed class ModbusTcpSlave : IAsyncDisposable
{
    private readonly ModbusTcpSlaveOptions _options;
    private readonly SlaveUnitMap _units = new();
    private readonly ConcurrentDictionary<Socket, Connection> _connections = new();
    private readonly ConcurrentDictionary<Connection, byte> _evicted = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _unitCount;
    private byte _singleUnitId;
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _requestsServed;
    private long _framesRejected;
    private long _connectionsEvicted;
    private int _stopped;
    private int _disposed;

    /// <summary>Creates a slave; call <see cref="AddUnit"/> and then <see cref="StartAsync"/>.</summary>
    public ModbusTcpSlave(ModbusTcpSlaveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1);
        _options = options;
    }

    /// <summary>The address and port the slave listens on; valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The slave is not started.");

    /// <summary>Requests answered (including exception responses).</summary>
    public long RequestsServed => Interlocked.Read(ref _requestsServed);

    /// <summary>Frames that broke the protocol (bad MBAP header); the connection that sent one is closed.</summary>
    public long FramesRejected => Interlocked.Read(ref _framesRejected);

    /// <summary>Least recently used connections closed to admit a new client while <see cref="ModbusTcpSlaveOptions.MaxConnections"/> were open.</summary>
    public long ConnectionsEvicted => Interlocked.Read(ref _connectionsEvicted);

    /// <summary>Connections open now.</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Serves <paramref name="unit"/> under <paramref name="unitId"/>; may be called while running.</summary>
    public void AddUnit(byte unitId, IModbusSlaveUnit unit)
    {
        _units.Add(unitId, unit);
        if (Interlocked.Increment(ref _unitCount) == 1)
        {
            _singleUnitId = unitId;
        }
    }

    /// <summary>Binds and starts accepting connections; <see cref="LocalEndPoint"/> is valid when this completes.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The slave is already started.");
        }

        var listener = new Socket(_options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(_options.Address, _options.Port));
            listener.Listen(_options.MaxConnections);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening, closes every connection and waits for their tasks to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is not { } listener || Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        listener.Dispose();
        foreach (var socket in _connections.Keys)
        {
            socket.Dispose();
        }

        var tasks = _connections.Values.Concat(_evicted.Keys).Select(connection => connection.Serving).ToList();
        if (_acceptLoop is not null)
        {
            tasks.Add(_acceptLoop);
        }

        await Task.WhenAll(tasks).WaitAsync(cancellationToken);
    }

    /// <summary>Stops the slave.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A client that reset before being accepted; keep listening.
                continue;
            }

            MakeRoomFor(client);
            var connection = new Connection(client);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.Serving = Task.Run(async () =>
            {
                await gate.Task;
                await ServeAsync(connection, stopping);
            }, CancellationToken.None);
            _connections[client] = connection;
            gate.SetResult();
        }
    }

    // With every slot taken, the least recently used connection is closed to admit the new client, as Messaging
    // on TCP/IP (§4.2.1, connection management) recommends: a master that vanished without closing (power cut,
    // a NAT that forgot it) would otherwise hold its slot until TCP keep-alive finds it, hours later, and lock
    // out the master that replaced it. An evicted connection's task ends moments later; StopAsync still waits for it.
    private void MakeRoomFor(Socket client)
    {
        client.NoDelay = true;
        while (_connections.Count >= _options.MaxConnections)
        {
            var oldest = _connections.Values.MinBy(connection => connection.LastActivity);
            if (oldest is null)
            {
                continue;
            }

            // Listed as evicted before it leaves the table, so its ending task always finds it in one of the two.
            _evicted[oldest] = 0;
            if (!_connections.TryRemove(oldest.Socket, out _))
            {
                _evicted.TryRemove(oldest, out _);
                continue;
            }

            Interlocked.Increment(ref _connectionsEvicted);
            oldest.Socket.Dispose();
        }
    }

    // What is sent for a request: the answer, shaped by the unit's injected faults.
    // Length 0 means no reply (nothing owed, or the unit is made silent); the delay is waited before sending.
    private (int Length, TimeSpan Delay) PlanReply(ReadOnlySpan<byte> request, byte[] response)
    {
        var length = Answer(request, response, out var unit);
        if (length == 0 || unit is null || !unit.Faults.Any)
        {
            return (length, TimeSpan.Zero);
        }

        var faults = unit.Faults;
        if (faults.NoReply)
        {
            return (0, TimeSpan.Zero);
        }

        if (faults.GarbageReply)
        {
            length = Random.Shared.Next(1, 32);
            Random.Shared.NextBytes(response.AsSpan(0, length));
        }

        return (length, faults.ReplyDelay);
    }

    private async Task ServeAsync(Connection connection, CancellationToken stopping)
    {
        var socket = connection.Socket;
        var mbap = new MbapConnection(QuickPeerIo.DefaultGrace);
        var response = new byte[MbapHeader.Size + Protocol.ModbusLimits.MaxPduLength];
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var frame = await mbap.ReadFrameAsync(socket, stopping);
                connection.LastActivity = Stopwatch.GetTimestamp();
                var (length, delay) = PlanReply(frame.Span, response);
                if (length == 0)
                {
                    continue;
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _options.TimeProvider, stopping);
                }

                // Counted before the send, so a master that has the reply also sees the count.
                Interlocked.Increment(ref _requestsServed);
                await mbap.SendAsync(socket, response.AsMemory(0, length), stopping);
            }
        }
        catch (ModbusProtocolException)
        {
            Interlocked.Increment(ref _framesRejected);
        }
        catch (Exception ex) when (ex is ModbusCommunicationException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client left or the slave is stopping: the connection ends either way.
        }
        finally
        {
            _connections.TryRemove(socket, out _);
            _evicted.TryRemove(connection, out _);
            mbap.Reset();
            socket.Dispose();
        }
    }

    // Builds the reply frame for one request frame; returns its length (0: no reply).
    private int Answer(ReadOnlySpan<byte> frame, byte[] response, out IModbusSlaveUnit? unit)
    {
        var header = MbapHeader.Read(frame);
        var pdu = frame[MbapHeader.Size..];
        unit = _units[header.UnitId];
        if (unit is null && header.UnitId is 0 or 0xFF && Volatile.Read(ref _unitCount) == 1)
        {
            unit = _units[_singleUnitId];
        }

        var responsePdu = response.AsSpan(MbapHeader.Size);
        var pduLength = unit is null
            ? SlaveRequestProcessor.Exception(responsePdu, pdu[0], ModbusExceptionCode.GatewayTargetFailedToRespond)
            : SlaveRequestProcessor.Process(unit, pdu, responsePdu);
        MbapHeader.Write(response, header.TransactionId, header.UnitId, pduLength);
        return MbapHeader.Size + pduLength;
    }

    private sealed class Connection(Socket socket)
    {
        private long _lastActivity = Stopwatch.GetTimestamp();

        public Socket Socket { get; } = socket;

        public Task Serving { get; set; } = Task.CompletedTask;

        /// <summary>When the connection was accepted or last brought a request (a <see cref="Stopwatch"/> timestamp).</summary>
        public long LastActivity
        {
            get => Volatile.Read(ref _lastActivity);
            set => Volatile.Write(ref _lastActivity, value);
        }
    }
}
