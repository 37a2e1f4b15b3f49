using System.Net;

namespace PropertyEba.Modbus;

/// <summary>Where a Modbus TCP slave listens.</summary>
public sealed class ModbusTcpSlaveOptions
{
    /// <summary>The local address to bind; loopback by default, <see cref="IPAddress.Any"/> to serve the network.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 502 is the registered Modbus port, 0 picks any free port (see <see cref="ModbusTcpSlave.LocalEndPoint"/>).</summary>
    public int Port { get; init; } = 502;

    /// <summary>Connections served at once; further clients are disconnected at once.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>
    /// Serves each connection on a thread of its own with blocking socket calls instead of the runtime's
    /// asynchronous socket engine: one thread hand-off less per request, the fastest choice when slave and
    /// master share a core (docs/benchmarks.md), at the cost of one thread per open connection.
    /// </summary>
    public bool BlockingIo { get; init; }

    /// <summary>The clock for injected reply delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
