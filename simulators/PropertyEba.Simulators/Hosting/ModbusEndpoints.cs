using System.IO.Ports;
using System.Net;
using PropertyEba.Modbus;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Estates;

namespace PropertyEba.Simulators.Hosting;

/// <summary>
/// Serves an estate's devices as Modbus slaves. TCP: one port per device by default; devices given the
/// same port, or an estate behind a gateway, share one slave and are told apart by unit id. RTU: devices
/// on the same serial line share one bus (one RTU slave with several unit ids); a line <c>pty</c> is a
/// socat pseudo-terminal pair whose other end is reported as the device's address.
/// </summary>
internal sealed class ModbusEndpoints : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private ModbusEndpoints()
    {
    }

    public IReadOnlyList<SimulatedDeviceEndpoint> Endpoints { get; private set; } = [];

    public int ListenerCount { get; private set; }

    public static async Task<ModbusEndpoints> StartAsync(EstateDefinition estate, IReadOnlyList<SimulatedDevice> devices, CancellationToken cancellationToken)
    {
        var server = new ModbusEndpoints();
        try
        {
            var endpoints = new SimulatedDeviceEndpoint[devices.Count];
            await server.StartTcpAsync(estate, devices, endpoints, cancellationToken);
            await server.StartRtuAsync(estate, devices, endpoints, cancellationToken);
            server.Endpoints = endpoints;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartTcpAsync(EstateDefinition estate, IReadOnlyList<SimulatedDevice> devices, SimulatedDeviceEndpoint[] endpoints, CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(estate.Host);
        var groups = new List<(int Port, List<int> Members)>();
        for (var i = 0; i < devices.Count; i++)
        {
            var definition = estate.Devices[i];
            if (definition.Serial is not null)
            {
                continue;
            }

            var port = estate.Gateway?.Port ?? definition.Port;
            var shared = estate.Gateway is not null || port != 0;
            var group = shared ? groups.FindIndex(g => g.Port == port) : -1;
            if (group < 0)
            {
                groups.Add((port, []));
                group = groups.Count - 1;
            }

            groups[group].Members.Add(i);
        }

        foreach (var (port, members) in groups)
        {
            var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Address = address, Port = port, MaxConnections = 64 });
            _owned.Add(slave);
            foreach (var i in members)
            {
                slave.AddUnit((byte)estate.Devices[i].UnitId, devices[i].Store);
            }

            await slave.StartAsync(cancellationToken);
            ListenerCount++;
            var actual = slave.LocalEndPoint.Port;
            foreach (var i in members)
            {
                endpoints[i] = new SimulatedDeviceEndpoint(devices[i].Id, devices[i].Model, estate.Host, actual, (byte)estate.Devices[i].UnitId);
            }
        }
    }

    private async Task StartRtuAsync(EstateDefinition estate, IReadOnlyList<SimulatedDevice> devices, SimulatedDeviceEndpoint[] endpoints, CancellationToken cancellationToken)
    {
        foreach (var line in Enumerable.Range(0, devices.Count).Where(i => estate.Devices[i].Serial is not null).GroupBy(i => estate.Devices[i].Serial!.Port))
        {
            var settings = estate.Devices[line.First()].Serial!;
            var portName = settings.Port;
            var masterEnd = settings.Port;
            if (settings.Port == "pty")
            {
                var pair = await PseudoTerminalPair.StartAsync(cancellationToken);
                _owned.Add(pair);
                portName = pair.SimulatorEnd;
                masterEnd = pair.MasterEnd;
            }

            var parity = settings.Parity switch { "even" => Parity.Even, "odd" => Parity.Odd, _ => Parity.None };
            var slave = new ModbusRtuSlave(new ModbusSerialOptions
            {
                PortName = portName,
                BaudRate = settings.BaudRate,
                Parity = parity,
                StopBits = settings.StopBits == 2 ? StopBits.Two : StopBits.One,
            });
            _owned.Add(slave);
            foreach (var i in line)
            {
                slave.AddUnit((byte)estate.Devices[i].UnitId, devices[i].Store);
            }

            await slave.StartAsync(cancellationToken);
            ListenerCount++;
            var lineSettings = $"{settings.BaudRate} 8{char.ToUpperInvariant(settings.Parity[0])}{settings.StopBits}";
            foreach (var i in line)
            {
                endpoints[i] = new SimulatedDeviceEndpoint(devices[i].Id, devices[i].Model, masterEnd, 0, (byte)estate.Devices[i].UnitId)
                {
                    Transport = "rtu",
                    SerialSettings = lineSettings,
                };
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Slaves before the pseudo-terminals they use: reverse order of creation.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _owned.Clear();
    }
}
