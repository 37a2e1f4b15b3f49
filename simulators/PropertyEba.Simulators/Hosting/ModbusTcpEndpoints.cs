using System.Net;
using PropertyEba.Modbus;
using PropertyEba.Simulators.Devices;
using PropertyEba.Simulators.Estates;

namespace PropertyEba.Simulators.Hosting;

/// <summary>
/// Serves an estate's devices as Modbus TCP slaves: one port per device by default; devices given the
/// same port, or an estate behind a gateway, share one slave and are told apart by unit id.
/// </summary>
internal sealed class ModbusTcpEndpoints : IAsyncDisposable
{
    private readonly List<ModbusTcpSlave> _slaves = [];

    private ModbusTcpEndpoints()
    {
    }

    public IReadOnlyList<SimulatedDeviceEndpoint> Endpoints { get; private set; } = [];

    public int SlaveCount => _slaves.Count;

    public static async Task<ModbusTcpEndpoints> StartAsync(EstateDefinition estate, IReadOnlyList<SimulatedDevice> devices, CancellationToken cancellationToken)
    {
        var server = new ModbusTcpEndpoints();
        try
        {
            var address = IPAddress.Parse(estate.Host);
            var groups = new List<(int Port, List<(DeviceDefinition Definition, SimulatedDevice Device)> Members)>();
            for (var i = 0; i < devices.Count; i++)
            {
                var definition = estate.Devices[i];
                var port = estate.Gateway?.Port ?? definition.Port;
                var shared = estate.Gateway is not null || port != 0;
                var group = shared ? groups.FindIndex(g => g.Port == port && (port != 0 || estate.Gateway is not null)) : -1;
                if (group < 0)
                {
                    groups.Add((port, []));
                    group = groups.Count - 1;
                }

                groups[group].Members.Add((definition, devices[i]));
            }

            var endpoints = new List<(int Index, SimulatedDeviceEndpoint Endpoint)>();
            foreach (var (port, members) in groups)
            {
                var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Address = address, Port = port, MaxConnections = 64 });
                foreach (var (definition, device) in members)
                {
                    slave.AddUnit((byte)definition.UnitId, device.Store);
                }

                await slave.StartAsync(cancellationToken);
                server._slaves.Add(slave);
                var actual = slave.LocalEndPoint.Port;
                foreach (var (definition, device) in members)
                {
                    endpoints.Add((IndexOf(devices, device), new SimulatedDeviceEndpoint(device.Id, device.Model, estate.Host, actual, (byte)definition.UnitId)));
                }
            }

            server.Endpoints = [.. endpoints.OrderBy(e => e.Index).Select(e => e.Endpoint)];
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static int IndexOf(IReadOnlyList<SimulatedDevice> devices, SimulatedDevice device)
    {
        for (var i = 0; i < devices.Count; i++)
        {
            if (ReferenceEquals(devices[i], device))
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var slave in _slaves)
        {
            await slave.DisposeAsync();
        }

        _slaves.Clear();
    }
}
