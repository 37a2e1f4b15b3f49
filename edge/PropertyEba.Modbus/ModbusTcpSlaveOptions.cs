using System.Net;

namespace PropertyEba.Modbus;

/// <summary>Where a Modbus TCP slave listens.</summary>
public sealed class ModbusTcpSlaveOptions
{
    /// <summary>The local address to bind; loopback by default, <see cref="IPAddress.Any"/> to serve the network.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 502 is the registered Modbus port, 0 picks any free port (see <see cref="ModbusTcpSlave.LocalEndPoint"/>).</summary>
    public int Port { get; init; } = 502;

    /// <summary>Connections served at once; a further client is admitted by closing the least recently used connection.</summary>
    public int MaxConnections { get; init; } = 64;

    /// <summary>The clock for injected reply delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
