using System.Diagnostics;
using System.Globalization;
using System.IO.Ports;
using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Benchmarks;

/// <summary>
/// RTU efficiency: transactions per second our master achieves reading 10 holding registers from a
/// slave that paces its bytes at the line rate, divided by the specification's limit for the line
/// settings (request + reply characters + two t3.5 silences). Needs the two ends of a socat pty pair.
/// </summary>
internal static class RtuEfficiencyHarness
{
    private const int Registers = 10;

    public static async Task<int> RunAsync(string masterPort, string slavePort, int baud, Parity parity, double seconds)
    {
        var serial = new ModbusSerialOptions { PortName = slavePort, BaudRate = baud, Parity = parity, StopBits = parity == Parity.None ? StopBits.Two : StopBits.One };
        var timing = serial.Timing;
        await using var slave = new ModbusRtuSlave(new LinePacedChannel(new SerialPortChannel(serial), timing), timing, TimeProvider.System);
        slave.AddUnit(1, ReferenceTables.CreateStore());
        await slave.StartAsync(CancellationToken.None);

        await using var master = ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
        {
            Serial = new ModbusSerialOptions { PortName = masterPort, BaudRate = baud, Parity = parity, StopBits = serial.StopBits },
            Timeout = TimeSpan.FromSeconds(1),
            Retries = 0,
        });
        var destination = new ushort[Registers].AsMemory();
        for (var i = 0; i < 20; i++)
        {
            await master.ReadHoldingRegistersAsync(1, 0, destination);
        }

        long n = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await master.ReadHoldingRegistersAsync(1, 0, destination);
            n++;
        }

        var achieved = n / watch.Elapsed.TotalSeconds;

        // Request 8 characters, reply 5 + 2 × registers, and t3.5 after each.
        var characters = 8 + 5 + 2 * Registers + 7;
        var limit = baud / (timing.CharacterBits * characters);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baud {baud} {timing.CharacterBits:0}-bit characters: {achieved:0.00} tx/s of a {limit:0.00} tx/s limit = {100 * achieved / limit:0.0} %"));
        return 0;
    }
}
