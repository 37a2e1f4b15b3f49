using System.Diagnostics;
using System.Globalization;

namespace PropertyEba.Modbus.Benchmarks;

/// <summary>
/// Whole-process Modbus TCP throughput, measured the way the libmodbus reference client measures it
/// (modbus_ref_client.c): one connection, one transaction at a time, for a fixed time after a warm-up,
/// printing "tx/s N". Run by benchmarks/run-tcp-throughput.sh beside the C and Python references.
/// </summary>
internal static class ThroughputHarness
{
    public static async Task<int> RunMasterAsync(string host, int port, int registers, double seconds)
    {
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = host, Port = port, Timeout = TimeSpan.FromSeconds(2) });
        var destination = new ushort[registers].AsMemory();

        // Long enough for tiered compilation to reach optimised code with dynamic PGO.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(2))
        {
            await master.ReadHoldingRegistersAsync(1, 0, destination);
        }

        long n = 0;
        var watch = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        while (watch.Elapsed < end)
        {
            for (var i = 0; i < 100; i++)
            {
                await master.ReadHoldingRegistersAsync(1, 0, destination);
            }

            n += 100;
        }

        var elapsed = watch.Elapsed;

        // Allocation check over a fixed number of transactions, after the timed run so it costs nothing there.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < 10_000; i++)
        {
            await master.ReadHoldingRegistersAsync(1, 0, destination);
        }

        var perTransaction = (GC.GetTotalAllocatedBytes(precise: true) - before) / 10_000.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tx/s {n / elapsed.TotalSeconds:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated/tx {perTransaction:0.0} B"));
        return 0;
    }

    public static async Task<int> RunSlaveAsync(int port)
    {
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = port });
        slave.AddUnit(1, ReferenceTables.CreateStore());
        await slave.StartAsync(CancellationToken.None);
        Console.WriteLine("ready");

        // Runs until the harness kills it.
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
