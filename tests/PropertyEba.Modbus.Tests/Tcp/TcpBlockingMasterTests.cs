using System.Diagnostics;

namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>
/// The master's opt-in blocking transport keeps every guarantee of the asynchronous one. Its calls run on
/// a dedicated thread, as the option asks: blocking thread-pool threads would starve the in-process slave.
/// </summary>
public sealed class TcpBlockingMasterTests : IAsyncLifetime
{
    private readonly ModbusDataStore _store = new();
    private readonly ModbusTcpSlave _slave = new(new ModbusTcpSlaveOptions { Port = 0 });

    public async Task InitializeAsync()
    {
        _store.SetRegisters(ModbusTable.HoldingRegisters, 0, [10, 20, 30]);
        _slave.AddUnit(1, _store);
        await _slave.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _slave.DisposeAsync();

    [Fact]
    public async Task Reads_and_writes_with_blocking_calls()
    {
        await using var master = Master(_slave.LocalEndPoint.Port);

        (await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 3))).ShouldBe(new ushort[] { 10, 20, 30 });
        await OnOwnThread(() => master.WriteMultipleRegistersAsync(1, 5, [7, 8]));
        (await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 5, 2))).ShouldBe(new ushort[] { 7, 8 });
        var ex = await Should.ThrowAsync<ModbusException>(() => OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 65535, 2)));
        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress);
    }

    [Fact]
    public async Task Times_out_on_a_silent_slave_and_recovers()
    {
        await using var master = Master(_slave.LocalEndPoint.Port, TimeSpan.FromMilliseconds(300));
        await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        _store.Faults.NoReply = true;

        var watch = Stopwatch.StartNew();
        await Should.ThrowAsync<ModbusTimeoutException>(() => OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1)));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        _store.Faults.Clear();

        (await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1)))[0].ShouldBe((ushort)10);
    }

    [Fact]
    public async Task Discards_reply_with_stale_transaction_id_in_blocking_mode()
    {
        await using var scripted = new ScriptedTcpSlave((request, _) =>
        {
            var tid = (ushort)((request[0] << 8 | request[1]) - 1);
            return ([ScriptedTcpSlave.RegistersReply(request, 666, transactionId: tid), ScriptedTcpSlave.RegistersReply(request, 42)], false);
        });
        await using var master = Master(scripted.Port);

        for (var i = 0; i < 3; i++)
        {
            (await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1)))[0].ShouldBe((ushort)42);
        }
    }

    [Fact]
    public async Task Reconnects_after_the_slave_closes_the_connection_in_blocking_mode()
    {
        await using var scripted = new ScriptedTcpSlave((request, _) => ([ScriptedTcpSlave.RegistersReply(request, 42)], true));
        await using var master = Master(scripted.Port);

        for (var i = 0; i < 3; i++)
        {
            (await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1)))[0].ShouldBe((ushort)42);
        }
    }

    [Fact]
    public async Task Cancels_a_blocking_wait_when_the_caller_cancels()
    {
        await using var master = Master(_slave.LocalEndPoint.Port, TimeSpan.FromSeconds(30));
        await OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        _store.Faults.NoReply = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1, cts.Token)));
    }

    [Fact]
    public async Task Reports_a_refused_connection_as_a_communication_error_in_blocking_mode()
    {
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = PropertyEba.Testing.FreePort.Next(),
            Timeout = TimeSpan.FromMilliseconds(500),
            Retries = 0,
            BlockingIo = true,
        });

        await Should.ThrowAsync<ModbusCommunicationException>(() => OnOwnThread(() => master.ReadHoldingRegistersAsync(1, 0, 1)));
    }

    private static Task<T> OnOwnThread<T>(Func<Task<T>> call) =>
        Task.Factory.StartNew(() => call().GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task OnOwnThread(Func<Task> call) =>
        Task.Factory.StartNew(() => call().GetAwaiter().GetResult(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static ModbusMaster Master(int port, TimeSpan? timeout = null) => ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = port,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        BlockingIo = true,
    });
}
