using System.Diagnostics;
using System.IO.Ports;
using PropertyEba.Modbus.Rtu;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Rtu;

/// <summary>
/// RS-485 direction control on a socat pseudo-terminal pair. A pty carries the bytes but has no RTS pin, so a
/// recording driver-enable stands in for the pin and logs when the master switches it; the line, the framing
/// and the slave are real. In the logged patterns E is enabled, D disabled and R a read of the reply posted.
/// </summary>
[Collection(SerialLineCollection.Name)]
public sealed class Rs485DirectionControlTests : IAsyncLifetime
{
    // 8N1: a pty drops the parity flag, and then System.IO.Ports fails to reopen it with even parity.
    private const int BaudRate = 9600;
    private const int BitsPerCharacter = 10;

    private PseudoTerminalPair _pty = null!;

    public async Task InitializeAsync() => _pty = await PseudoTerminalPair.StartAsync();

    public async Task DisposeAsync() => await _pty.DisposeAsync();

    // Short frames are where timer slack matters most: Task.Delay of 8.3 ms has been seen to return after 4.
    [Theory]
    [InlineData(1, 10)]
    [InlineData(60, 2)]
    public async Task Enables_the_driver_before_the_first_byte_and_releases_it_only_after_the_frame_has_had_time_to_leave(int registers, int frames)
    {
        using var farEnd = OpenFarEnd();
        var log = new BusEventLog();
        await using var master = MasterWithRecordedDriver(log, () => farEnd.BytesToRead);
        var values = Enumerable.Range(1, registers).Select(i => (ushort)i).ToArray();
        var frame = WriteMultipleRegistersFrame(0, 0, values);

        for (var i = 0; i < frames; i++)
        {
            await master.WriteMultipleRegistersAsync(0, 0, values);
        }

        log.Pattern.ShouldBe("D" + string.Concat(Enumerable.Repeat("ED", frames)), "released when the port opened, then enabled and released once per broadcast");
        var switches = log.Events.Skip(1).Chunk(2).ToArray();
        for (var i = 0; i < frames; i++)
        {
            var (enabled, released) = (switches[i][0], switches[i][1]);
            enabled.BytesAtFarEnd.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(i * frame.Length, $"no byte of frame {i} may leave before the driver is enabled");
            Stopwatch.GetElapsedTime(enabled.Timestamp, released.Timestamp).ShouldBeGreaterThanOrEqualTo(
                TransmitTime(frame.Length),
                $"frame {i}: {frame.Length} bytes at {BaudRate} baud 8N1 take that long on the wire");
        }

        var received = await ReadFromFarEndAsync(farEnd, frames * frame.Length);
        Convert.ToHexString(received).ShouldBe(string.Concat(Enumerable.Repeat(Convert.ToHexString(frame), frames)));
    }

    [Fact]
    public async Task Releases_the_driver_before_reading_each_reply_so_the_slave_can_answer()
    {
        var store = new ModbusDataStore();
        store.SetRegisters(ModbusTable.HoldingRegisters, 0, [0x1234, 0x5678, 0x9ABC]);
        await using var slave = new ModbusRtuSlave(Line(_pty.PortB, directionControl: false));
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);
        var log = new BusEventLog();
        await using var master = MasterWithRecordedDriver(log);

        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)0x1234);
        (await master.ReadHoldingRegistersAsync(1, 1, 1))[0].ShouldBe((ushort)0x5678);
        (await master.ReadHoldingRegistersAsync(1, 2, 1))[0].ShouldBe((ushort)0x9ABC);

        log.Pattern.ShouldMatch(
            "^D(EDR+){3}$",
            "released at open, then per request one enable and one release, each before any read of the reply");
    }

    [Fact]
    public async Task Releases_the_driver_when_a_request_is_cancelled_while_the_frame_is_going_out()
    {
        using var farEnd = OpenFarEnd();
        var log = new BusEventLog();
        await using var master = MasterWithRecordedDriver(log);
        var values = new ushort[123];
        var frameLength = WriteMultipleRegistersFrame(1, 0, values).Length;
        using var cancellation = new CancellationTokenSource();

        var request = master.WriteMultipleRegistersAsync(1, 0, values, cancellation.Token);
        await Eventually.UntilAsync(
            _ => Task.FromResult(farEnd.BytesToRead),
            received => received == frameLength,
            "the request to reach the far end",
            TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(5));
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(request);
        log.Pattern.ShouldBe("DED", "the driver is released at once, and no reply is awaited");
        Stopwatch.GetElapsedTime(log.Single(BusEventKind.DriverEnabled).Timestamp, log.Last(BusEventKind.DriverDisabled).Timestamp)
            .ShouldBeLessThan(TransmitTime(frameLength), "the cancellation cut the transmit hold short");
    }

    [Fact]
    public async Task Releases_the_driver_when_the_write_fails()
    {
        var log = new BusEventLog();
        await using var master = MasterWithRecordedDriver(log);
        await master.WriteSingleRegisterAsync(0, 0, 1);

        // socat gone, the pty is hung up: the next write fails in the operating system.
        await _pty.DisposeAsync();

        await Should.ThrowAsync<ModbusCommunicationException>(() => master.WriteSingleRegisterAsync(0, 0, 2));
        log.Pattern.ShouldBe("DEDED", "the failed write releases the driver like a good one");
    }

    [Fact]
    public async Task Master_with_direction_control_on_a_port_without_RTS_fails_with_an_error_naming_the_port()
    {
        await using var master = ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
        {
            Serial = Line(_pty.PortA, directionControl: true),
            Timeout = TimeSpan.FromSeconds(2),
        });

        var ex = await Should.ThrowAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));

        ex.ShouldSatisfyAllConditions(
            () => ex.ShouldBeOfType<ModbusConfigurationException>(),
            () => ex.Message.ShouldContain($"Serial port {_pty.PortA} has no RTS (modem-control) line"),
            () => ex.Message.ShouldContain(nameof(ModbusSerialOptions.Rs485DirectionControl)),
            () => ex.InnerException.ShouldBeOfType<IOException>());
    }

    [Fact]
    public async Task Reports_a_port_without_RTS_at_once_instead_of_retrying_into_another_error()
    {
        // At 8E1 a retry would reopen the pseudo-terminal, which System.IO.Ports refuses with an unrelated
        // message (the kernel drops even parity on a pty): the configuration error must be what is reported.
        await using var master = ModbusMaster.CreateRtu(new ModbusRtuMasterOptions
        {
            Serial = Line(_pty.PortA, directionControl: true, Parity.Even),
            Timeout = TimeSpan.FromSeconds(2),
            Retries = 3,
        });

        var ex = await Should.ThrowAsync<ModbusConfigurationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1));

        ex.Message.ShouldContain($"Serial port {_pty.PortA} has no RTS (modem-control) line");
    }

    [Fact]
    public async Task Slave_with_direction_control_on_a_port_without_RTS_fails_to_start_with_an_error_naming_the_port()
    {
        await using var slave = new ModbusRtuSlave(Line(_pty.PortB, directionControl: true));

        var ex = await Should.ThrowAsync<ModbusCommunicationException>(() => slave.StartAsync(CancellationToken.None));

        ex.Message.ShouldContain($"Serial port {_pty.PortB} has no RTS (modem-control) line");
    }

    private static ModbusSerialOptions Line(string port, bool directionControl, Parity parity = Parity.None) => new()
    {
        PortName = port,
        BaudRate = BaudRate,
        Parity = parity,
        StopBits = StopBits.One,
        Rs485DirectionControl = directionControl,
    };

    private static TimeSpan TransmitTime(int bytes) => TimeSpan.FromSeconds(bytes * BitsPerCharacter / (double)BaudRate);

    private static byte[] WriteMultipleRegistersFrame(byte unitId, ushort address, ushort[] values)
    {
        var frame = new byte[9 + (2 * values.Length)];
        frame[0] = unitId;
        frame[1] = 0x10;
        frame[2] = (byte)(address >> 8);
        frame[3] = (byte)address;
        frame[4] = (byte)(values.Length >> 8);
        frame[5] = (byte)values.Length;
        frame[6] = (byte)(2 * values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            frame[7 + (2 * i)] = (byte)(values[i] >> 8);
            frame[8 + (2 * i)] = (byte)values[i];
        }

        Crc16.Append(frame, frame.Length - 2);
        return frame;
    }

    private static async Task<byte[]> ReadFromFarEndAsync(SerialPort farEnd, int length)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var bytes = new byte[length];
        var count = 0;
        while (count < length)
        {
            count += await farEnd.BaseStream.ReadAsync(bytes.AsMemory(count), deadline.Token);
        }

        return bytes;
    }

    private SerialPort OpenFarEnd()
    {
        var port = new SerialPort(_pty.PortB, BaudRate, Parity.None, 8, StopBits.One) { Handshake = Handshake.None };
        port.Open();
        return port;
    }

    private ModbusMaster MasterWithRecordedDriver(BusEventLog log, Func<int>? bytesAtFarEnd = null)
    {
        var line = Line(_pty.PortA, directionControl: true);
        var channel = new ReadWatchingChannel(new SerialPortChannel(line, _ => new RecordingDriverEnable(log, bytesAtFarEnd)), log);
        var transport = new RtuMasterTransport(channel, line.Timing, TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(20), TimeProvider.System);
        return ModbusMaster.Create(transport, retries: 0, busyRetries: 0, TimeSpan.Zero, TimeProvider.System);
    }
}
