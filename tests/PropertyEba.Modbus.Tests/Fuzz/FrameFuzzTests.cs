using System.Buffers.Binary;
using System.IO.Ports;
using System.Net.Sockets;
using PropertyEba.Modbus.Protocol;
using PropertyEba.Modbus.Rtu;
using PropertyEba.Modbus.Slave;
using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Fuzz;

/// <summary>
/// Random, truncated, oversized and wrong-CRC frames into the parsers of both sides, from a fixed seed
/// (printed in every failure). Nothing may throw anything but the library's typed errors, hang, or grow.
/// </summary>
public sealed class FrameFuzzTests
{
    private const int Seed = 7_2026;
    private static readonly byte[] KnownFunctionCodes = [1, 2, 3, 4, 5, 6, 15, 16, 23, 43];

    [Fact]
    public void Slave_answers_100000_random_request_PDUs_with_a_reply_or_a_standard_exception()
    {
        var random = new Random(Seed);
        var unit = new ModbusDataStore();
        var request = new byte[300];
        var response = new byte[ModbusLimits.MaxPduLength];
        for (var i = 0; i < 100_000; i++)
        {
            var length = RandomPdu(random, request);
            var pdu = request.AsSpan(0, length);

            var n = SlaveRequestProcessor.Process(unit, pdu, response);

            var context = $"seed {Seed}, case {i}, request {Convert.ToHexString(pdu)}";
            n.ShouldBeInRange(2, ModbusLimits.MaxPduLength, context);
            var fc = length == 0 ? (byte)0 : pdu[0];
            if (response[0] == (fc | 0x80))
            {
                n.ShouldBe(2, context);
                response[1].ShouldBeInRange((byte)1, (byte)4, context);
            }
            else
            {
                response[0].ShouldBe(fc, context);
            }
        }
    }

    [Fact]
    public void Master_reply_parsers_accept_or_reject_100000_random_replies_with_typed_errors_only()
    {
        var random = new Random(Seed + 1);
        var reply = new byte[300];
        var request = new byte[ModbusLimits.MaxPduLength];
        var registers = new ushort[125];
        var bits = new bool[2000];
        var objects = new Dictionary<byte, string>();
        for (var i = 0; i < 100_000; i++)
        {
            var length = RandomPdu(random, reply);
            var pdu = reply.AsSpan(0, length);
            var fc = KnownFunctionCodes[random.Next(KnownFunctionCodes.Length)];
            var count = random.Next(1, 126);
            try
            {
                ResponsePdu.ThrowIfException(pdu, 1, fc);
                switch (fc)
                {
                    case 1 or 2:
                        ResponsePdu.ReadBits(pdu, fc, bits.AsSpan(0, random.Next(1, 2001)));
                        break;
                    case 3 or 4 or 23:
                        ResponsePdu.ReadRegisters(pdu, fc, registers.AsSpan(0, count));
                        break;
                    case 43:
                        objects.Clear();
                        ResponsePdu.ReadDeviceIdentification(pdu, (byte)random.Next(1, 5), objects);
                        break;
                    default:
                        random.NextBytes(request.AsSpan(0, 5));
                        request[0] = fc;
                        ResponsePdu.Echo(pdu, request);
                        break;
                }
            }
            catch (Exception ex) when (ex is ModbusProtocolException or ModbusException)
            {
                ex.Message.ShouldNotBeNullOrWhiteSpace($"seed {Seed + 1}, case {i}");
            }
        }
    }

    [Fact]
    public void Rtu_frame_length_predictions_stay_within_one_frame_for_100000_random_prefixes()
    {
        var random = new Random(Seed + 2);
        var bytes = new byte[300];
        for (var i = 0; i < 100_000; i++)
        {
            var length = random.Next(0, bytes.Length);
            random.NextBytes(bytes.AsSpan(0, length));
            if (length > 1 && random.Next(2) == 0)
            {
                bytes[1] = KnownFunctionCodes[random.Next(KnownFunctionCodes.Length)];
            }

            RtuFrameLength.Request(bytes.AsSpan(0, length)).ShouldBeInRange(-1, RtuFrameLength.MaxFrameLength, $"seed {Seed + 2}, case {i}");
            RtuFrameLength.Response(bytes.AsSpan(0, length)).ShouldBeInRange(-1, RtuFrameLength.MaxFrameLength, $"seed {Seed + 2}, case {i}");
        }
    }

    [Fact]
    public async Task Rtu_master_survives_100000_mangled_replies_and_reads_the_good_ones()
    {
        var random = new Random(Seed + 3);
        var channel = new ScriptedRtuChannel(silentWhenEmpty: false);
        // No line timing: the t3.5 pause between cases would only slow the fuzzing down.
        var transport = new RtuMasterTransport(channel, timing: null, TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeProvider.System);
        await using var master = ModbusMaster.Create(transport, retries: 0, busyRetries: 0, TimeSpan.Zero, TimeProvider.System);
        var destination = new ushort[10];
        var good = 0;
        var correct = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var reply = ValidRtuReply(random, unitId: 1, registers: 10, out var values);
            var mangled = random.Next(4) != 0;
            if (mangled)
            {
                reply = Mangle(random, reply);
            }

            channel.Clear();
            channel.Enqueue(reply);
            try
            {
                await master.ReadHoldingRegistersAsync(1, 0, destination.AsMemory());
                good++;
                if (destination.AsSpan().SequenceEqual(values))
                {
                    correct++;
                }
            }
            catch (Exception ex) when (ex is ModbusCommunicationException or ModbusException)
            {
                mangled.ShouldBeTrue($"seed {Seed + 3}, case {i}: an intact reply failed with {ex.Message}");
            }
        }

        good.ShouldBeGreaterThan(20_000, $"seed {Seed + 3}");
        correct.ShouldBe(good, $"seed {Seed + 3}: a mangled reply was accepted with wrong values");
    }

    [Fact]
    public async Task Rtu_slave_serves_valid_requests_hidden_in_a_stream_of_100000_garbage_frames()
    {
        var random = new Random(Seed + 4);
        var channel = new ScriptedRtuChannel(silentWhenEmpty: true);
        var store = new ModbusDataStore();
        var slave = new ModbusRtuSlave(channel, RtuTiming.For(115200, 8, Parity.Even, StopBits.One), TimeProvider.System);
        slave.AddUnit(1, store);
        var stream = new List<byte>();
        var valid = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var garbage = Mangle(random, ValidRtuRequest(random, (byte)random.Next(0, 4)));
            stream.AddRange(garbage);
            if (i % 10 == 0)
            {
                stream.AddRange(ValidRtuRequest(random, 1, functionCode: 3));
                valid++;
            }
        }

        for (var offset = 0; offset < stream.Count;)
        {
            var n = Math.Min(random.Next(1, 64), stream.Count - offset);
            channel.Enqueue(stream.GetRange(offset, n).ToArray());
            offset += n;
        }

        await slave.StartAsync(CancellationToken.None);
        await Eventually.UntilAsync(() => channel.Pending == 0, $"the slave to consume the stream (seed {Seed + 4})", TimeSpan.FromSeconds(60));
        await slave.DisposeAsync();

        var answeredReads = channel.Written.Count(f => f.Length == 7 && f[0] == 1 && f[1] == 3 && Crc16.IsValid(f));
        answeredReads.ShouldBeGreaterThanOrEqualTo(valid * 99 / 100, $"seed {Seed + 4}: {valid} valid requests, {slave.FramesRejected} frames rejected");
        channel.Written.ShouldAllBe(f => Crc16.IsValid(f) && f.Length <= RtuFrameLength.MaxFrameLength);
    }

    [Fact]
    public async Task Tcp_slave_survives_2000_random_frames_and_still_answers()
    {
        var random = new Random(Seed + 5);
        var store = new ModbusDataStore();
        store.SetRegister(ModbusTable.HoldingRegisters, 0, 99);
        await using var slave = new ModbusTcpSlave(new ModbusTcpSlaveOptions { Port = 0 });
        slave.AddUnit(1, store);
        await slave.StartAsync(CancellationToken.None);
        var buffer = new byte[400];
        for (var connection = 0; connection < 20; connection++)
        {
            using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync("127.0.0.1", slave.LocalEndPoint.Port);
            for (var i = 0; i < 100; i++)
            {
                var pduLength = RandomPdu(random, buffer.AsSpan(7));
                BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)i);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), random.Next(20) == 0 ? (ushort)random.Next() : (ushort)0);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(4), (ushort)(pduLength + 1));
                buffer[6] = (byte)random.Next(0, 3);
                var total = 7 + pduLength;
                if (random.Next(10) == 0)
                {
                    total = random.Next(1, total);
                }

                try
                {
                    await client.SendAsync(buffer.AsMemory(0, total));
                }
                catch (SocketException)
                {
                    break;
                }
            }
        }

        await using var master = ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = "127.0.0.1", Port = slave.LocalEndPoint.Port });
        (await master.ReadHoldingRegistersAsync(1, 0, 1))[0].ShouldBe((ushort)99);
        slave.FramesRejected.ShouldBeGreaterThan(0);
    }

    // A PDU that is random, or a plausible request with random fields, sometimes truncated or oversized.
    private static int RandomPdu(Random random, Span<byte> pdu)
    {
        var kind = random.Next(4);
        var length = kind switch
        {
            0 => random.Next(0, 8),
            1 => random.Next(0, 254),
            2 => random.Next(254, Math.Min(pdu.Length, 300)),
            _ => random.Next(1, 40),
        };
        length = Math.Min(length, pdu.Length);
        random.NextBytes(pdu[..length]);
        if (length > 0 && kind != 1)
        {
            pdu[0] = KnownFunctionCodes[random.Next(KnownFunctionCodes.Length)];
        }

        return length;
    }

    private static byte[] ValidRtuRequest(Random random, byte unitId, byte? functionCode = null)
    {
        var fc = functionCode ?? KnownFunctionCodes[random.Next(KnownFunctionCodes.Length)];
        var frame = new byte[260];
        frame[0] = unitId;
        frame[1] = fc;
        int length;
        switch (fc)
        {
            case 15 or 16:
                var count = random.Next(1, 20);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)random.Next(0, 1000));
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)count);
                frame[6] = (byte)(fc == 15 ? (count + 7) / 8 : count * 2);
                length = 7 + frame[6];
                break;
            case 43:
                frame[2] = 0x0E;
                frame[3] = 1;
                length = 5;
                break;
            case 23:
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 1);
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1);
                frame[10] = 2;
                length = 13;
                break;
            default:
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)random.Next(0, 1000));
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), fc is 5 ? (ushort)0xFF00 : (ushort)1);
                length = 6;
                break;
        }

        length = Crc16.Append(frame, length);
        return frame[..length];
    }

    private static byte[] ValidRtuReply(Random random, byte unitId, int registers, out ushort[] values)
    {
        values = new ushort[registers];
        var frame = new byte[5 + 2 * registers];
        frame[0] = unitId;
        frame[1] = 3;
        frame[2] = (byte)(2 * registers);
        for (var i = 0; i < registers; i++)
        {
            values[i] = (ushort)random.Next(0, 65536);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(3 + 2 * i), values[i]);
        }

        Crc16.Append(frame, frame.Length - 2);
        return frame;
    }

    // Truncates, flips a bit, breaks the CRC, pads, changes the unit, or replaces the frame with noise.
    private static byte[] Mangle(Random random, byte[] frame)
    {
        var copy = (byte[])frame.Clone();
        switch (random.Next(6))
        {
            case 0:
                return copy[..random.Next(0, copy.Length)];
            case 1:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 2:
                copy[^1] ^= 0xFF;
                return copy;
            case 3:
                var longer = new byte[copy.Length + random.Next(1, 300)];
                copy.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(copy.Length));
                return longer;
            case 4:
                copy[0] ^= (byte)random.Next(1, 256);
                return copy;
            default:
                var noise = new byte[random.Next(1, 64)];
                random.NextBytes(noise);
                return noise;
        }
    }
}
