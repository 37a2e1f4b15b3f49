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
        await using var slave = new ModbusRtuSlave(new LinePacedChannel(new SerialPortChannel(serial), timing, slavePort), timing, TimeProvider.System);
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

        var durations = new List<double>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            var start = Stopwatch.GetTimestamp();
            await master.ReadHoldingRegistersAsync(1, 0, destination);
            durations.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        var achieved = durations.Count / watch.Elapsed.TotalSeconds;
        durations.Sort();
        var atMedian = 1 / durations[durations.Count / 2];

        // Request 8 characters, reply 5 + 2 × registers, and t3.5 after each: 2 × 3.5 characters up to
        // 19200 baud, 2 × 1.75 ms above (the specification's fixed value).
        var lineSeconds = timing.TransmitTime(8 + 5 + 2 * Registers).TotalSeconds + 2 * timing.T35.TotalSeconds;
        var limit = 1 / lineSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{baud} baud, {timing.CharacterBits:0}-bit characters: limit {limit:0.00} tx/s; achieved {achieved:0.00} tx/s = {100 * achieved / limit:0.0} %; at the median transaction time {atMedian:0.00} tx/s = {100 * atMedian / limit:0.0} %"));
        return 0;
    }
}
