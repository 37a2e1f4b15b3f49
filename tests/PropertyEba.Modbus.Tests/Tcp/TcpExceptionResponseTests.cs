using System.Net.Sockets;

namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>Exception responses: which code the slave picks, and how the master surfaces them.</summary>
public sealed class TcpExceptionResponseTests : IAsyncLifetime
{
    private readonly ModbusDataStore _store = new();
    private readonly ModbusTcpSlave _slave = new(new ModbusTcpSlaveOptions { Port = 0 });
    private ModbusMaster _master = null!;

    public async Task InitializeAsync()
    {
        _slave.AddUnit(1, _store);
        await _slave.StartAsync(CancellationToken.None);
        _master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions
        {
            Host = "127.0.0.1",
            Port = _slave.LocalEndPoint.Port,
            BusyRetries = 2,
            BusyRetryDelay = TimeSpan.FromMilliseconds(5),
        });
    }

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        await _slave.DisposeAsync();
    }

    [Fact]
    public async Task Answers_a_range_past_65535_with_illegal_data_address()
    {
        var ex = await Should.ThrowAsync<ModbusException>(() => _master.ReadHoldingRegistersAsync(1, 65530, 10));

        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress);
        ex.FunctionCode.ShouldBe((byte)3);
        ex.UnitId.ShouldBe((byte)1);
    }

    [Fact]
    public async Task Answers_a_range_the_simulator_rejects_with_its_exception_code()
    {
        _store.BeforeRead = (table, address, _) => table == ModbusTable.InputRegisters && address >= 100 ? ModbusExceptionCode.IllegalDataAddress : null;

        (await _master.ReadInputRegistersAsync(1, 0, 2)).Length.ShouldBe(2);
        var ex = await Should.ThrowAsync<ModbusException>(() => _master.ReadInputRegistersAsync(1, 100, 2));
        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress);
        ex.FunctionCode.ShouldBe((byte)4);
    }

    [Fact]
    public async Task Answers_an_unknown_unit_as_a_gateway_whose_target_did_not_respond()
    {
        var ex = await Should.ThrowAsync<ModbusException>(() => _master.ReadHoldingRegistersAsync(9, 0, 1));

        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.GatewayTargetFailedToRespond);
    }

    [Fact]
    public async Task Answers_an_unsupported_function_code_with_illegal_function()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _slave.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0, 1, 0, 0, 0, 2, 1, 0x07 });
        var reply = new byte[9];
        await stream.ReadExactlyAsync(reply);

        reply.ShouldBe(new byte[] { 0, 1, 0, 0, 0, 3, 1, 0x87, 0x01 });
    }

    [Fact]
    public async Task Answers_a_quantity_of_zero_with_illegal_data_value()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _slave.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0, 5, 0, 0, 0, 6, 1, 0x03, 0, 0, 0, 0 });
        var reply = new byte[9];
        await stream.ReadExactlyAsync(reply);

        reply.ShouldBe(new byte[] { 0, 5, 0, 0, 0, 3, 1, 0x83, 0x03 });
    }

    [Fact]
    public async Task Answers_a_coil_value_other_than_FF00_or_0000_with_illegal_data_value()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _slave.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0, 6, 0, 0, 0, 6, 1, 0x05, 0, 1, 0x12, 0x34 });
        var reply = new byte[9];
        await stream.ReadExactlyAsync(reply);

        reply.ShouldBe(new byte[] { 0, 6, 0, 0, 0, 3, 1, 0x85, 0x03 });
    }

    [Fact]
    public async Task Closes_a_connection_that_sends_a_bad_MBAP_header_and_counts_it()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _slave.LocalEndPoint.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[] { 0, 1, 0x12, 0x34, 0, 6, 1, 3, 0, 0, 0, 1 });

        (await stream.ReadAsync(new byte[16])).ShouldBe(0, "the slave should hang up on a non-Modbus protocol id");
        _slave.FramesRejected.ShouldBe(1);
    }

    [Fact]
    public async Task Retries_a_busy_slave_and_then_succeeds()
    {
        var reads = 0;
        _store.BeforeRead = (_, _, _) => Interlocked.Increment(ref reads) <= 2 ? ModbusExceptionCode.SlaveDeviceBusy : null;

        (await _master.ReadHoldingRegistersAsync(1, 0, 1)).Length.ShouldBe(1);
        reads.ShouldBe(3);
    }

    [Fact]
    public async Task Gives_up_on_a_slave_that_stays_busy_after_the_busy_retries()
    {
        _store.Faults.ExceptionReply = ModbusExceptionCode.SlaveDeviceBusy;

        var ex = await Should.ThrowAsync<ModbusException>(() => _master.ReadHoldingRegistersAsync(1, 0, 1));

        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.SlaveDeviceBusy);
        _slave.RequestsServed.ShouldBe(3);
    }

    [Fact]
    public async Task Rejects_a_quantity_outside_the_specification_before_sending()
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegistersAsync(1, 0, 126));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _master.ReadCoilsAsync(1, 0, 0));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _master.WriteMultipleRegistersAsync(1, 0, new ushort[124]));
        _slave.RequestsServed.ShouldBe(0);
    }
}
