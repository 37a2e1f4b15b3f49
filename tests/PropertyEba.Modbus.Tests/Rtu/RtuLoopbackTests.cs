using System.IO.Ports;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Rtu;

/// <summary>Our RTU master against our RTU slave over a socat pseudo-terminal pair.</summary>
[Collection(SerialLineCollection.Name)]
public sealed class RtuLoopbackTests : IAsyncLifetime
{
    private readonly ModbusDataStore _unit1 = new();
    private readonly ModbusDataStore _unit2 = new();
    private PseudoTerminalPair _pty = null!;
    private ModbusRtuSlave _slave = null!;
    private ModbusMaster _master = null!;

    public async Task InitializeAsync()
    {
        _pty = await PseudoTerminalPair.StartAsync();
        _slave = new ModbusRtuSlave(Serial(_pty.PortB));
        _slave.AddUnit(1, _unit1);
        _slave.AddUnit(2, _unit2);
        await _slave.StartAsync(CancellationToken.None);
        _master = CreateMaster(TimeSpan.FromSeconds(2));
    }

    public async Task DisposeAsync()
    {
        await _master.DisposeAsync();
        await _slave.DisposeAsync();
        await _pty.DisposeAsync();
    }

    [Fact]
    public async Task Reads_and_writes_every_function_code_over_a_serial_line()
    {
        _unit1.SetRegisters(ModbusTable.HoldingRegisters, 10, [1, 2, 3]);
        _unit1.SetRegisters(ModbusTable.InputRegisters, 20, [4, 5]);
        _unit1.SetBit(ModbusTable.DiscreteInputs, 3, true);

        (await _master.ReadHoldingRegistersAsync(1, 10, 3)).ShouldBe(new ushort[] { 1, 2, 3 });
        (await _master.ReadInputRegistersAsync(1, 20, 2)).ShouldBe(new ushort[] { 4, 5 });
        (await _master.ReadDiscreteInputsAsync(1, 0, 5)).ShouldBe(new[] { false, false, false, true, false });
        await _master.WriteSingleCoilAsync(1, 9, true);
        await _master.WriteMultipleCoilsAsync(1, 10, [true, true, false, true]);
        (await _master.ReadCoilsAsync(1, 9, 5)).ShouldBe(new[] { true, true, true, false, true });
        await _master.WriteSingleRegisterAsync(1, 100, 0xABCD);
        await _master.WriteMultipleRegistersAsync(1, 101, [7, 8]);
        (await _master.ReadHoldingRegistersAsync(1, 100, 3)).ShouldBe(new ushort[] { 0xABCD, 7, 8 });
        (await _master.ReadWriteMultipleRegistersAsync(1, 200, 2, 201, [9])).ShouldBe(new ushort[] { 0, 9 });
        (await _master.ReadDeviceIdentificationAsync(1))[1].ShouldBe("PropertyEba.Modbus");
    }

    [Fact]
    public async Task Surfaces_an_exception_response_with_its_codes()
    {
        var ex = await Should.ThrowAsync<ModbusException>(() => _master.ReadHoldingRegistersAsync(2, 65535, 2));

        ex.ShouldSatisfyAllConditions(
            () => ex.UnitId.ShouldBe((byte)2),
            () => ex.FunctionCode.ShouldBe((byte)3),
            () => ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress));
    }

    [Fact]
    public async Task Broadcast_write_reaches_every_unit_without_a_reply()
    {
        await _master.WriteSingleRegisterAsync(0, 300, 55);

        // A broadcast has no reply, so the master cannot know when the slaves have acted on it: wait for them.
        await Eventually.UntilAsync(() => Register(_unit1, 300) == 55 && Register(_unit2, 300) == 55, "both units to take the broadcast", TimeSpan.FromSeconds(5));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => _master.ReadHoldingRegistersAsync(0, 0, 1));
    }

    [Fact]
    public async Task Times_out_on_a_silent_unit_and_recovers()
    {
        await using var master = CreateMaster(TimeSpan.FromMilliseconds(300));
        _unit1.Faults.NoReply = true;

        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        _unit1.Faults.Clear();

        (await master.ReadHoldingRegistersAsync(1, 0, 1)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Ignores_a_unit_nobody_serves_until_the_timeout()
    {
        await using var master = CreateMaster(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(77, 0, 1));
        (await master.ReadHoldingRegistersAsync(2, 0, 1)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Rejects_a_reply_with_a_wrong_CRC_and_recovers()
    {
        await using var master = CreateMaster(TimeSpan.FromMilliseconds(300), retries: 0);
        _unit1.Faults.GarbageReply = true;

        await Should.ThrowAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        _unit1.Faults.Clear();

        (await master.ReadHoldingRegistersAsync(1, 0, 1)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Discards_a_late_reply_so_the_next_request_gets_its_own()
    {
        await using var master = CreateMaster(TimeSpan.FromMilliseconds(200), retries: 0);
        _unit1.SetRegister(ModbusTable.HoldingRegisters, 0, 1);
        _unit1.SetRegister(ModbusTable.HoldingRegisters, 1, 2);
        _unit1.Faults.ReplyDelay = TimeSpan.FromMilliseconds(400);

        var servedBefore = _slave.RequestsServed;
        await Should.ThrowAsync<ModbusTimeoutException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
        _unit1.Faults.Clear();

        // RTU replies carry no transaction id: the late reply must be on the line before the next request,
        // which clears the receive buffer. Wait until the slave has sent it, then the few bytes' line time.
        await Eventually.UntilAsync(() => _slave.RequestsServed > servedBefore, "the slave to send its late reply", TimeSpan.FromSeconds(5));
        await Task.Delay(50);

        (await master.ReadHoldingRegistersAsync(1, 1, 1))[0].ShouldBe((ushort)2);
    }

    private static ushort Register(ModbusDataStore unit, ushort address)
    {
        var value = new ushort[1];
        unit.GetRegisters(ModbusTable.HoldingRegisters, address, value);
        return value[0];
    }

    private static ModbusSerialOptions Serial(string port) => new() { PortName = port, BaudRate = 115200 };

    private ModbusMaster CreateMaster(TimeSpan timeout, int retries = 1) => ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
    {
        Serial = Serial(_pty.PortA),
        Timeout = timeout,
        Retries = retries,
        TurnaroundDelay = TimeSpan.FromMilliseconds(20),
    });
}
