using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PropertyEba.Modbus.Tcp;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>
/// Our master and slave over loopback keep every guarantee while their connections switch between quick
/// (blocking) and asynchronous receives: back to back, late, paused, silent, or stopped under load.
/// </summary>
public sealed class QuickPeerTransportTests : OneUnitSlaveTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(200);

    // Tests that are not about timeouts use a long one, so a loaded machine cannot fail them.
    private static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Reports_a_silent_slave_within_the_timeout_after_back_to_back_reads_and_recovers()
    {
        await using var master = Master(Slave.LocalEndPoint.Port, ShortTimeout);
        await ReadUntilBackToBack(master, 20);
        Store.Faults.NoReply = true;

        var watch = Stopwatch.StartNew();
        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        watch.Stop();

        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(ShortTimeout - TimeSpan.FromMilliseconds(20));
        // A quick wait that ignored the deadline would stall for ever; a loaded machine adds a few hundred
        // milliseconds of scheduling (560 ms seen with the other core busy), which must not fail the test.
        watch.Elapsed.ShouldBeLessThan(ShortTimeout + TimeSpan.FromSeconds(1));
        Store.Faults.Clear();
        await ReadUntilBackToBack(master, 20);
    }

    [Fact]
    public async Task Answers_every_read_correctly_when_the_slave_replies_later_than_the_window()
    {
        await using var master = Master(Slave.LocalEndPoint.Port, LongTimeout);
        await ReadBackToBack(master, 20);
        Store.Faults.ReplyDelay = TimeSpan.FromMilliseconds(20);

        for (var i = 0; i < 20; i++)
        {
            Store.SetRegister(ModbusTable.HoldingRegisters, 1, (ushort)(2000 + i));
            (await master.ReadHoldingRegistersAsync(1, 1, 1))[0].ShouldBe((ushort)(2000 + i));
        }

        Store.Faults.Clear();
        await ReadBackToBack(master, 20);
    }

    [Fact]
    public async Task Serves_a_master_that_pauses_between_reads_longer_than_the_window()
    {
        await using var master = Master(Slave.LocalEndPoint.Port, LongTimeout);
        await ReadBackToBack(master, 20);

        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(30));
            Store.SetRegister(ModbusTable.HoldingRegisters, 1, (ushort)(3000 + i));
            (await master.ReadHoldingRegistersAsync(1, 1, 1))[0].ShouldBe((ushort)(3000 + i));
        }

        await ReadBackToBack(master, 20);
        Slave.RequestsServed.ShouldBe(60);
    }

    [Fact]
    public async Task Serves_several_masters_at_different_paces_at_once()
    {
        await using var quick = Master(Slave.LocalEndPoint.Port, LongTimeout);
        await using var paused = Master(Slave.LocalEndPoint.Port, LongTimeout);
        Store.SetRegisters(ModbusTable.HoldingRegisters, 10, [11, 12]);

        var backToBack = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                (await quick.ReadHoldingRegistersAsync(1, 10, 1))[0].ShouldBe((ushort)11);
            }
        });
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(30));
            (await paused.ReadHoldingRegistersAsync(1, 11, 1))[0].ShouldBe((ushort)12);
        }

        await backToBack.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Stops_promptly_while_a_connection_waits_in_a_quick_receive()
    {
        // The timeout only bounds a hang; a short one could fail the reads before the stop on a loaded machine.
        await using var master = Master(Slave.LocalEndPoint.Port, TimeSpan.FromSeconds(2));
        await ReadBackToBack(master, 20);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reads = 0;
        var polling = Task.Run(async () =>
        {
            try
            {
                while (!giveUp.IsCancellationRequested)
                {
                    await master.ReadHoldingRegistersAsync(1, 0, 1);
                    Interlocked.Increment(ref reads);
                }

                return null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        });

        try
        {
            await Eventually.UntilAsync(() => Volatile.Read(ref reads) >= 100, "the master to poll back to back");

            await Slave.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));

            Slave.ActiveConnections.ShouldBe(0);
            var failure = await polling.WaitAsync(TimeSpan.FromSeconds(5));
            failure.ShouldBeAssignableTo<ModbusCommunicationException>(failure?.ToString());
        }
        finally
        {
            await giveUp.CancelAsync();
            await polling.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Never_receives_quickly_with_a_timeout_under_100_ms_so_a_quick_wait_cannot_outlast_it()
    {
        // A cold first reply (the JIT compiling the slave's path) would miss the window and switch the master to
        // asynchronous receives with or without this rule; warm the path first.
        await using (var warmUp = Master(Slave.LocalEndPoint.Port, LongTimeout))
        {
            await ReadBackToBack(warmUp, 20);
        }

        var budget = new QuickConnectionBudget(1);
        var options = new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = Slave.LocalEndPoint.Port,
            Timeout = TcpMasterTransport.QuickReceivesFromTimeout - TimeSpan.FromMilliseconds(1),
        };
        await using var transport = new TcpMasterTransport(options, budget);
        var response = new byte[256];
        var answered = 0;

        for (var i = 0; i < 20; i++)
        {
            try
            {
                await transport.TransactAsync(1, new byte[] { 3, 0, 0, 0, 1 }, response, CancellationToken.None);
                answered++;
            }
            catch (ModbusTimeoutException)
            {
                // A loaded machine may miss this short timeout now and then; what matters is how the replies were awaited.
            }
        }

        answered.ShouldBeGreaterThan(0);
        budget.Free.ShouldBe(1, "a quick receive would have taken the budget's slot and kept it while the replies came on time");
    }

    [Fact]
    public async Task Connects_and_receives_asynchronously_when_the_slave_does_not_accept_within_the_quick_window()
    {
        // A listener whose accept queue is full drops new connection requests, so a connect waits for the client's
        // retransmission (about a second), far past the quick connect's window.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endPoint = (IPEndPoint)listener.LocalEndPoint!;
        using var queued = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await queued.ConnectAsync(endPoint);
        var budget = new QuickConnectionBudget(1);
        var options = new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = endPoint.Port, Timeout = LongTimeout };
        await using var transport = new TcpMasterTransport(options, budget);
        var response = new byte[256];

        // A quick connect that its window did not cut short would block this call until the queue had room: a hang.
        var transaction = transport.TransactAsync(1, new byte[] { 3, 0, 0, 0, 1 }, response, CancellationToken.None).AsTask();
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        transaction.IsCompleted.ShouldBeFalse(transaction.Exception?.ToString());

        using (await listener.AcceptAsync())
        {
            // The queued connection made room for the master's.
        }

        using var slave = await listener.AcceptAsync().WaitAsync(LongTimeout);
        var request = new byte[MbapHeader.Size + 5];
        for (var read = 0; read < request.Length;)
        {
            read += await slave.ReceiveAsync(request.AsMemory(read));
        }

        await slave.SendAsync(new byte[] { request[0], request[1], 0, 0, 0, 5, 1, 3, 2, 0x04, 0xD2 });
        (await transaction.WaitAsync(LongTimeout)).ShouldBe(4);
        response.AsSpan(0, 4).ToArray().ShouldBe(new byte[] { 3, 2, 0x04, 0xD2 });
        budget.Free.ShouldBe(1, "a connection made asynchronously is on the runtime's engine already and receives asynchronously");
    }

    // Reads until `consecutive` reads in a row answered within the master's short timeout. Master and slave share this
    // process with the tests running beside it, whose blocking receives can starve the thread pool for a few hundred
    // milliseconds on a 2-core machine; a read that times out then starts the count again on a new connection.
    private static async Task ReadUntilBackToBack(ModbusMaster master, int consecutive)
    {
        var inARow = 0;
        for (var attempt = 0; inARow < consecutive; attempt++)
        {
            attempt.ShouldBeLessThan(consecutive * 20, $"only {inARow} reads in a row answered in time");
            try
            {
                (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)1234);
                inARow++;
            }
            catch (ModbusTimeoutException)
            {
                inARow = 0;
            }
        }
    }

    private static async Task ReadBackToBack(ModbusMaster master, int count)
    {
        for (var i = 0; i < count; i++)
        {
            (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)1234);
        }
    }

    private static ModbusMaster Master(int port, TimeSpan timeout) => ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
    {
        Host = "127.0.0.1",
        Port = port,
        Timeout = timeout,
        Retries = 0,
    });
}
