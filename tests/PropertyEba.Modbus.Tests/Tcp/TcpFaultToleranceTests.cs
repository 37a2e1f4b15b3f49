using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>A slave that is silent, late, garbled, answers for someone else or hangs up never stalls the master.</summary>
public sealed class TcpFaultToleranceTests : OneUnitSlaveTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Times_out_on_a_silent_slave_within_timeout_times_attempts_and_recovers()
    {
        await using var master = Master(Slave.LocalEndPoint.Port, retries: 1, ShortTimeout);
        Store.Faults.NoReply = true;

        var watch = Stopwatch.StartNew();
        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        // The exact budget (timeout × attempts) is proven on a fake clock below; on a real socket this only proves the
        // call ends instead of hanging. A loaded 2-core CI machine took 2.0 s for the 0.6 s budget, so the margin is wide.
        watch.Elapsed.ShouldBeLessThan(ShortTimeout * 2 + TimeSpan.FromSeconds(10));

        Store.Faults.Clear();
        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)1234);
    }

    [Fact]
    public async Task Times_out_when_the_injected_clock_passes_the_timeout()
    {
        var clock = new FakeTimeProvider();
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = Slave.LocalEndPoint.Port,
            Timeout = TimeSpan.FromSeconds(1),
            Retries = 0,
            TimeProvider = clock,
        });
        Store.Faults.NoReply = true;
        var served = 0;
        Store.BeforeRead = (_, _, _) =>
        {
            Interlocked.Increment(ref served);
            return null;
        };

        var read = master.ReadHoldingRegistersAsync(1, 0, 1);
        await Eventually.UntilAsync(() => Volatile.Read(ref served) == 1, "the slave to receive the request");
        read.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));

        await Should.ThrowAsync<ModbusTimeoutException>(() => read);
    }

    [Fact]
    public async Task Discards_a_late_reply_and_returns_the_fresh_one_after_the_delay_ends()
    {
        await using var master = Master(Slave.LocalEndPoint.Port, retries: 0, ShortTimeout);
        Store.Faults.ReplyDelay = TimeSpan.FromMilliseconds(600);

        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        Store.Faults.Clear();
        Store.SetRegister(ModbusTable.HoldingRegisters, 0, 4321);

        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)4321);
    }

    [Fact]
    public async Task Fails_on_a_garbage_reply_and_succeeds_once_the_slave_is_sane()
    {
        await using var master = Master(Slave.LocalEndPoint.Port, retries: 0, ShortTimeout);
        Store.Faults.GarbageReply = true;

        await Should.ThrowAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        Store.Faults.Clear();

        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)1234);
    }

    [Fact]
    public async Task Discards_reply_with_stale_transaction_id()
    {
        await using var scripted = new ScriptedTcpSlave((request, _) =>
        {
            var tid = (ushort)((request[0] << 8 | request[1]) - 1);
            return ([ScriptedTcpSlave.RegistersReply(request, 666, transactionId: tid), ScriptedTcpSlave.RegistersReply(request, 42)], false);
        });
        await using var master = Master(scripted.Port, retries: 0);

        (await master.ReadHoldingRegistersAsync(1, 0, 2)).ShouldBe(new ushort[] { 42, 42 });
        (await master.ReadHoldingRegistersAsync(1, 0, 2)).ShouldBe(new ushort[] { 42, 42 });
    }

    [Fact]
    public async Task Discards_reply_from_another_unit()
    {
        await using var scripted = new ScriptedTcpSlave((request, _) =>
            ([ScriptedTcpSlave.RegistersReply(request, 666, unitId: 7), ScriptedTcpSlave.RegistersReply(request, 42)], false));
        await using var master = Master(scripted.Port, retries: 0);

        (await master.ReadHoldingRegistersAsync(1, 0, 1)).ShouldBe(new ushort[] { 42 });
    }

    [Fact]
    public async Task Reconnects_after_the_slave_closes_the_connection()
    {
        await using var scripted = new ScriptedTcpSlave((request, _) => ([ScriptedTcpSlave.RegistersReply(request, 42)], true));
        await using var master = Master(scripted.Port, retries: 1);

        for (var i = 0; i < 3; i++)
        {
            (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)42);
        }

        scripted.Connections.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Reconnects_when_the_slave_hangs_up_without_answering()
    {
        await using var scripted = new ScriptedTcpSlave((request, n) =>
            n == 1 ? ([], true) : ([ScriptedTcpSlave.RegistersReply(request, 42)], false));
        await using var master = Master(scripted.Port, retries: 1);

        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)42);

        // At least the first connection and the one after the hang-up. On a loaded machine a quick connect that its
        // 1 ms window cut short may already have reached the slave (which counts it) before the asynchronous connect.
        scripted.Connections.ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task Reports_a_refused_connection_as_a_communication_error()
    {
        await using var master = Master(FreePort.Next(), retries: 0, ShortTimeout);

        await Should.ThrowAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
    }

    [Fact]
    public async Task Cancels_when_the_caller_cancels_not_as_a_timeout()
    {
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = Slave.LocalEndPoint.Port, Timeout = TimeSpan.FromSeconds(30) });
        Store.Faults.NoReply = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Should.ThrowAsync<OperationCanceledException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, cts.Token));
    }

    // Tests about timeouts use the short one; the others a long one, so a loaded CI machine cannot fail them.
    private static ModbusMaster Master(int port, int retries, TimeSpan? timeout = null) => ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = port,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Retries = retries,
    });
}
