using System.Globalization;
using PropertyEba.Modbus.Tests.Interop;

namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>The slave's opt-in blocking mode (a thread per connection) serves like the asynchronous one.</summary>
public sealed class TcpBlockingSlaveTests : IAsyncLifetime
{
    private readonly ModbusDataStore _store = new();
    private readonly ModbusTcpSlave _slave = new(new ModbusTcpSlaveOptions { Port = 0, BlockingIo = true, MaxConnections = 4 });

    public async Task InitializeAsync()
    {
        _store.SetRegisters(ModbusTable.HoldingRegisters, 0, [1, 2, 3]);
        _slave.AddUnit(1, _store);
        await _slave.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await _slave.DisposeAsync();

    [Fact]
    public async Task Serves_reads_writes_and_exceptions_on_blocking_threads()
    {
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = _slave.LocalEndPoint.Port });

        (await master.ReadHoldingRegistersAsync(1, 0, 3)).ShouldBe(new ushort[] { 1, 2, 3 });
        await master.WriteSingleCoilAsync(1, 4, true);
        _store.GetBit(ModbusTable.Coils, 4).ShouldBeTrue();
        (await Should.ThrowAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(1, 65535, 2))).ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress);
    }

    [Fact]
    public async Task Passes_the_libmodbus_client_check_in_blocking_mode()
    {
        var client = await LibmodbusReference.ClientAsync();
        _store.SetRegisters(ModbusTable.HoldingRegisters, 399, [399, 400, 401, 402]);

        var (exit, output) = await ExternalProgram.RunAsync(client, ["127.0.0.1", _slave.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture), "check"]);

        exit.ShouldBe(0, output);
        output.ShouldContain("fc23 399 7 8 402");
    }

    [Fact]
    public async Task Applies_injected_faults_in_blocking_mode()
    {
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = _slave.LocalEndPoint.Port, Timeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
        _store.Faults.NoReply = true;
        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        _store.Faults.Clear();
        _store.Faults.ExceptionReply = ModbusExceptionCode.SlaveDeviceFailure;

        (await Should.ThrowAsync<ModbusException>(() => master.ReadHoldingRegistersAsync(1, 0, 1))).ExceptionCode.ShouldBe(ModbusExceptionCode.SlaveDeviceFailure);
    }

    [Fact]
    public async Task Stops_with_blocked_connection_threads()
    {
        var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0, BlockingIo = true });
        slave.AddUnit(1, new ModbusDataStore());
        await slave.StartAsync(CancellationToken.None);
        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port });
        await master.ReadHoldingRegistersAsync(1, 0, 1);

        await slave.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        slave.ActiveConnections.ShouldBe(0);
        await slave.DisposeAsync();
    }
}
