using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Simulators.Tests;

/// <summary>Reads a device point over Modbus TCP through the project's master and decodes it per its profile.</summary>
public sealed class PointReader : IAsyncDisposable
{
    private readonly ModbusMaster _master;
    private readonly SimulatedDeviceEndpoint _endpoint;
    private readonly DeviceProfile _profile;

    public PointReader(SimulatedEstate estate, string deviceId)
    {
        _endpoint = estate.Devices.Single(d => d.DeviceId == deviceId);
        _profile = estate.ProfileOf(deviceId);
        _master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = _endpoint.Host, Port = _endpoint.Port, Timeout = TimeSpan.FromSeconds(3) });
    }

    public ModbusMaster Master => _master;

    public byte Unit => _endpoint.UnitId;

    public async Task<double> ReadAsync(string pointId, CancellationToken cancellationToken = default)
    {
        var p = _profile.FindPoint(pointId) ?? throw new ArgumentException($"no point {pointId}");
        switch (p.Table)
        {
            case ModbusTable.Coils:
                return (await _master.ReadCoilsAsync(Unit, p.Address, 1, cancellationToken))[0] ? 1 : 0;
            case ModbusTable.DiscreteInputs:
                return (await _master.ReadDiscreteInputsAsync(Unit, p.Address, 1, cancellationToken))[0] ? 1 : 0;
            case ModbusTable.HoldingRegisters:
                return Decode(p, await _master.ReadHoldingRegistersAsync(Unit, p.Address, (ushort)p.Span, cancellationToken));
            default:
                return Decode(p, await _master.ReadInputRegistersAsync(Unit, p.Address, (ushort)p.Span, cancellationToken));
        }
    }

    private static double Decode(PointDefinition p, ushort[] regs) => RegisterCodec.Decode(regs, p.Type, p.Order, p.Bit, p.Scale, p.Offset);

    public ValueTask DisposeAsync() => _master.DisposeAsync();
}
