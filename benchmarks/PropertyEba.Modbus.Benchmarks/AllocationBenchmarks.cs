using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;

namespace PropertyEba.Modbus.Benchmarks;

/// <summary>
/// Allocations per transaction of our master. The slave runs in a child process (this harness in slave
/// mode), so the memory diagnoser sees the master alone.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class MasterAllocationBenchmarks
{
    private Process? _slave;
    private ModbusMaster _master = null!;
    private readonly ushort[] _ten = new ushort[10];
    private readonly ushort[] _max = new ushort[125];

    [GlobalSetup]
    public void Setup()
    {
        var port = FreeLoopbackPort();
        var psi = new ProcessStartInfo("dotnet", [typeof(ReferenceTables).Assembly.Location, "slave", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        _slave = Process.Start(psi)!;
        _slave.StandardOutput.ReadLine();
        _master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = port });
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _master.DisposeAsync();
        _slave?.Kill();
        _slave?.Dispose();
    }

    [Benchmark(Description = "read 10 registers into a caller buffer")]
    public ValueTask Read10IntoBuffer() => _master.ReadHoldingRegistersAsync(1, 0, _ten.AsMemory());

    [Benchmark(Description = "read 125 registers into a caller buffer")]
    public ValueTask Read125IntoBuffer() => _master.ReadHoldingRegistersAsync(1, 0, _max.AsMemory());

    [Benchmark(Description = "read 10 registers, new array returned")]
    public Task<ushort[]> Read10Array() => _master.ReadHoldingRegistersAsync(1, 0, 10);

    [Benchmark(Description = "write 1 register")]
    public Task Write1() => _master.WriteSingleRegisterAsync(1, 5000, 42);

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Allocations per transaction of our slave, driven by a raw blocking socket that allocates nothing,
/// so the memory diagnoser sees the slave alone.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class SlaveAllocationBenchmarks
{
    private ModbusTcpSlave _slave = null!;
    private Socket _client = null!;
    private readonly byte[] _read10 = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10];
    private readonly byte[] _read125 = [0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 125];
    private readonly byte[] _write1 = [0, 1, 0, 0, 0, 6, 1, 6, 0x13, 0x88, 0, 42];
    private readonly byte[] _reply = new byte[300];

    [GlobalSetup]
    public void Setup()
    {
        _slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        _slave.AddUnit(1, ReferenceTables.CreateStore());
        _slave.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(IPAddress.Loopback, _slave.LocalEndPoint.Port);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _slave.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Description = "serve read 10 registers")]
    public int Serve10() => Transact(_read10, 9 + 20);

    [Benchmark(Description = "serve read 125 registers")]
    public int Serve125() => Transact(_read125, 9 + 250);

    [Benchmark(Description = "serve write 1 register")]
    public int ServeWrite1() => Transact(_write1, 12);

    private int Transact(byte[] request, int replyLength)
    {
        _client.Send(request);
        var received = 0;
        while (received < replyLength)
        {
            received += _client.Receive(_reply.AsSpan(received, replyLength - received));
        }

        return received;
    }
}
