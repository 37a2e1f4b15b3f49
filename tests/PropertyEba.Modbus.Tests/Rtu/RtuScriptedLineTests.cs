using System.IO.Ports;
using PropertyEba.Modbus.Rtu;
using PropertyEba.Modbus.Tests.Fuzz;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Rtu;

/// <summary>RTU master and slave on an in-memory line, where exactly what crosses it is under the test's control.</summary>
public sealed class RtuScriptedLineTests
{
    [Fact]
    public async Task Master_skips_a_valid_reply_from_another_unit_and_takes_the_addressed_one()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: false);
        await using var master = Master(line);
        line.Enqueue(Frame("02030200FF"));
        line.Enqueue(Frame("0103020042"));

        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)0x42);
        ((RtuMasterTransport)master.Transport).DiscardedFrames.ShouldBe(1);
    }

    [Fact]
    public async Task Master_skips_the_echo_of_its_own_request_on_a_two_wire_bus()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: false);
        await using var master = Master(line);
        line.Enqueue(Frame("010300070001"));
        line.Enqueue(Frame("0103020007"));

        (await master.ReadHoldingRegistersAsync(1, 7, 1))[0].ShouldBe((ushort)7);
    }

    [Fact]
    public async Task Master_reports_a_reply_with_a_wrong_CRC_as_a_protocol_error()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: false);
        await using var master = Master(line);
        var frame = Frame("0103020042");
        frame[^1] ^= 1;
        line.Enqueue(frame);

        await Should.ThrowAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));
    }

    [Fact]
    public async Task Master_surfaces_an_exception_reply_with_unit_and_codes()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: false);
        await using var master = Master(line);
        line.Enqueue(Frame("018402"));

        var ex = await Should.ThrowAsync<ModbusException>(() => master.ReadInputRegistersAsync(1, 0, 1));

        ex.UnitId.ShouldBe((byte)1);
        ex.FunctionCode.ShouldBe((byte)4);
        ex.ExceptionCode.ShouldBe(ModbusExceptionCode.IllegalDataAddress);
    }

    [Fact]
    public async Task Master_sends_a_broadcast_with_CRC_and_waits_for_no_reply()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: false);
        await using var master = Master(line);

        await master.WriteSingleCoilAsync(0, 3, true);

        Convert.ToHexString(line.Written.ShouldHaveSingleItem()).ShouldBe(Convert.ToHexString(Frame("00050003FF00")));
    }

    [Fact]
    public async Task Slave_answers_an_unknown_function_for_its_unit_with_illegal_function()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: true);
        await using var slave = Slave(line, out _);
        line.Enqueue(Frame("0141"));
        await slave.StartAsync(CancellationToken.None);

        await Eventually.UntilAsync(() => line.Written.Count == 1, "the slave's reply");
        Convert.ToHexString(line.Written.Single()).ShouldBe(Convert.ToHexString(Frame("01C101")));
    }

    [Fact]
    public async Task Slave_executes_a_broadcast_write_without_replying_and_ignores_other_units()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: true);
        await using var slave = Slave(line, out var store);
        line.Enqueue(Frame("000600090007"));
        line.Enqueue(Frame("090300000001"));
        line.Enqueue(Frame("010300090001"));
        await slave.StartAsync(CancellationToken.None);

        await Eventually.UntilAsync(() => line.Written.Count == 1, "the reply to unit 1");
        Convert.ToHexString(line.Written.Single()).ShouldBe(Convert.ToHexString(Frame("0103020007")));
        slave.RequestsServed.ShouldBe(2);
    }

    [Fact]
    public async Task Slave_drops_a_frame_with_a_wrong_CRC_and_serves_the_next()
    {
        var line = new ScriptedRtuChannel(silentWhenEmpty: true);
        await using var slave = Slave(line, out _);
        var bad = Frame("010300000001");
        bad[^2] ^= 0xFF;
        line.Enqueue(bad);
        line.Enqueue(Frame("010300000001"));
        await slave.StartAsync(CancellationToken.None);

        await Eventually.UntilAsync(() => line.Written.Count == 1, "the reply to the good frame");
        slave.FramesRejected.ShouldBeGreaterThan(0);
    }

    private static byte[] Frame(string hex)
    {
        var body = Convert.FromHexString(hex);
        var frame = new byte[body.Length + 2];
        body.CopyTo(frame, 0);
        Crc16.Append(frame, body.Length);
        return frame;
    }

    private static ModbusMaster Master(ScriptedRtuChannel line) => ModbusMaster.Create(
        new RtuMasterTransport(line, RtuTiming.For(115200, 8, Parity.Even, StopBits.One), TimeSpan.FromSeconds(2), TimeSpan.Zero, TimeProvider.System),
        retries: 0, busyRetries: 0, TimeSpan.Zero, TimeProvider.System);

    private static ModbusRtuSlave Slave(ScriptedRtuChannel line, out ModbusDataStore store)
    {
        var slave = new ModbusRtuSlave(line, RtuTiming.For(115200, 8, Parity.Even, StopBits.One), TimeProvider.System);
        store = new ModbusDataStore();
        slave.AddUnit(1, store);
        slave.AddUnit(2, new ModbusDataStore());
        return slave;
    }
}
