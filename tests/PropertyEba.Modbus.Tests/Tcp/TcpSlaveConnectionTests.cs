using System.Net.Sockets;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Tcp;

public sealed class TcpSlaveConnectionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    public async Task Answers_unit_0_and_255_with_its_only_unit(byte unitId)
    {
        var store = new ModbusDataStore();
        store.SetRegister(ModbusTable.HoldingRegisters, 3, 33);
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(7, store);
        await slave.StartAsync(CancellationToken.None);
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port });

        (await master.ReadHoldingRegistersAsync(unitId, 3, 1))[0].ShouldBe((ushort)33);
    }

    [Fact]
    public async Task Closes_the_least_recently_used_connection_to_admit_a_client_beyond_MaxConnections()
    {
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0, MaxConnections = 2 });
        slave.AddUnit(1, new ModbusDataStore());
        await slave.StartAsync(CancellationToken.None);
        using var first = await ConnectedClientAsync(slave);
        using var second = await ConnectedClientAsync(slave);
        await ReadOneRegisterAsync(first, transactionId: 1);
        await ReadOneRegisterAsync(second, transactionId: 1);
        await ReadOneRegisterAsync(first, transactionId: 2);

        using var third = await ConnectedClientAsync(slave);
        await ReadOneRegisterAsync(third, transactionId: 1);

        (await IsClosedAsync(second)).ShouldBeTrue("the least recently used connection is closed");
        await ReadOneRegisterAsync(first, transactionId: 3);
        slave.ConnectionsEvicted.ShouldBe(1);
        await Eventually.UntilAsync(() => slave.ActiveConnections == 2, "the evicted connection to leave the table", TimeSpan.FromSeconds(5));
    }

    private static async Task<bool> IsClosedAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            return await client.GetStream().ReadAsync(new byte[8], timeout.Token) == 0;
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    private static async Task<TcpClient> ConnectedClientAsync(ModbusTcpSlave slave)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", slave.LocalEndPoint.Port);
        return client;
    }

    private static async Task ReadOneRegisterAsync(TcpClient client, byte transactionId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.GetStream().WriteAsync(Convert.FromHexString($"00{transactionId:X2}00000006010300000001"), timeout.Token);
        var reply = new byte[11];
        await client.GetStream().ReadExactlyAsync(reply, timeout.Token);
        Convert.ToHexString(reply).ShouldBe($"00{transactionId:X2}000000050103020000");
    }

    [Fact]
    public async Task Serves_pipelined_requests_on_one_connection_in_order()
    {
        var store = new ModbusDataStore();
        store.SetRegisters(ModbusTable.HoldingRegisters, 0, [5, 6]);
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", slave.LocalEndPoint.Port);

        await client.GetStream().WriteAsync(Convert.FromHexString("000100000006010300000001" + "000200000006010300010001"));
        var replies = new byte[22];
        await client.GetStream().ReadExactlyAsync(replies);

        Convert.ToHexString(replies).ShouldBe("00010000000501030200050002000000050103020006");
    }

    [Fact]
    public async Task Stops_with_clients_still_connected()
    {
        var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, new ModbusDataStore());
        await slave.StartAsync(CancellationToken.None);
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port, Retries = 0, Timeout = TimeSpan.FromMilliseconds(500) });
        await master.ReadHoldingRegistersAsync(1, 0, 1);

        await slave.DisposeAsync();

        await Should.ThrowAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
    }
}
