using System.Net.Sockets;

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
    public async Task Disconnects_clients_beyond_MaxConnections_and_counts_them()
    {
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0, MaxConnections = 2 });
        slave.AddUnit(1, new ModbusDataStore());
        await slave.StartAsync(CancellationToken.None);
        await using var first = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port });
        await using var second = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port });
        await first.ReadHoldingRegistersAsync(1, 0, 1);
        await second.ReadHoldingRegistersAsync(1, 0, 1);

        using var third = new TcpClient();
        await third.ConnectAsync("127.0.0.1", slave.LocalEndPoint.Port);
        (await third.GetStream().ReadAsync(new byte[8])).ShouldBe(0);

        slave.ConnectionsRefused.ShouldBe(1);
        slave.ActiveConnections.ShouldBe(2);
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
