using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Infrastructure;

/// <summary>A real Modbus TCP slave on loopback impersonating a device of <see cref="Profile"/>.</summary>
internal sealed class TestDevice : IAsyncDisposable
{
    public const string Model = "test-mixed";

    /// <summary>A profile with every kind of encoding the agent must decode, spread over all four tables.</summary>
    public static readonly DeviceProfile Profile = DeviceProfileLoader.Parse(
        """
        {
          "model": "test-mixed", "name": "Test device", "system": "water",
          "points": [
            { "id": "level",    "name": "Level",    "kind": "analog", "table": "input",   "address": 0,  "type": "UInt16", "scale": 0.001, "unit": "m" },
            { "id": "pressure", "name": "Pressure", "kind": "analog", "table": "holding", "address": 10, "type": "Float32", "order": "CDAB", "unit": "kPa" },
            { "id": "energy",   "name": "Energy",   "kind": "counter","table": "holding", "address": 12, "type": "UInt32", "scale": 0.1, "unit": "kWh" },
            { "id": "temp",     "name": "Temp",     "kind": "analog", "table": "holding", "address": 20, "type": "Int16", "scale": 0.1, "offset": -5, "unit": "°C" },
            { "id": "running",  "name": "Running",  "kind": "state",  "table": "holding", "address": 30, "type": "Bit", "bit": 3 },
            { "id": "fault",    "name": "Fault",    "kind": "state",  "table": "holding", "address": 30, "type": "Bit", "bit": 4 },
            { "id": "fan",      "name": "Fan",      "kind": "command","table": "coil",    "address": 0,  "type": "Bool", "writable": true },
            { "id": "alarm",    "name": "Alarm",    "kind": "state",  "table": "discrete","address": 5,  "type": "Bool" },
            { "id": "serial",   "name": "Serial",   "kind": "state",  "table": "holding", "address": 100,"type": "String", "length": 8 }
          ]
        }
        """,
        "test-mixed.json");

    public static readonly IReadOnlyDictionary<string, DeviceProfile> Profiles = new Dictionary<string, DeviceProfile> { [Model] = Profile };

    private readonly ModbusTcpSlave _slave;

    private TestDevice(ModbusTcpSlave slave, ModbusDataStore store)
    {
        _slave = slave;
        Store = store;
    }

    public ModbusDataStore Store { get; }

    public int Port => _slave.LocalEndPoint.Port;

    public static async Task<TestDevice> StartAsync(byte unitId = 1)
    {
        var store = new ModbusDataStore();
        var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(unitId, store);
        await slave.StartAsync(CancellationToken.None);
        var device = new TestDevice(slave, store);
        device.SetValues(level: 1.234, pressure: 456.5, energy: 12345.6, temp: -12.5, running: true, fault: false, fan: true, alarm: true);
        return device;
    }

    public void SetValues(double level, double pressure, double energy, double temp, bool running, bool fault, bool fan, bool alarm)
    {
        Span<ushort> regs = stackalloc ushort[2];
        RegisterCodec.Encode(level, regs[..1], ModbusDataType.UInt16, scale: 0.001);
        Store.SetRegisters(ModbusTable.InputRegisters, 0, regs[..1]);
        RegisterCodec.Encode(pressure, regs, ModbusDataType.Float32, RegisterOrder.CDAB);
        Store.SetRegisters(ModbusTable.HoldingRegisters, 10, regs);
        RegisterCodec.Encode(energy, regs, ModbusDataType.UInt32, scale: 0.1);
        Store.SetRegisters(ModbusTable.HoldingRegisters, 12, regs);
        RegisterCodec.Encode(temp, regs[..1], ModbusDataType.Int16, scale: 0.1, offset: -5);
        Store.SetRegisters(ModbusTable.HoldingRegisters, 20, regs[..1]);
        ushort status = 0;
        Span<ushort> word = [status];
        RegisterCodec.Encode(running ? 1 : 0, word, ModbusDataType.Bit, bit: 3);
        RegisterCodec.Encode(fault ? 1 : 0, word, ModbusDataType.Bit, bit: 4);
        Store.SetRegisters(ModbusTable.HoldingRegisters, 30, word);
        Store.SetBit(ModbusTable.Coils, 0, fan);
        Store.SetBit(ModbusTable.DiscreteInputs, 5, alarm);
    }

    public ValueTask DisposeAsync() => _slave.DisposeAsync();
}
