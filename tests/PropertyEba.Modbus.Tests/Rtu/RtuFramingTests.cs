using System.IO.Ports;
using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Tests.Rtu;

public sealed class RtuFramingTests
{
    [Theory]
    [InlineData("01030000000A", 0xCDC5)]
    [InlineData("010400000001", 0xCA31)]
    [InlineData("1103006B0003", 0x8776)]
    public void Computes_the_Modbus_CRC_of_known_frames(string hex, int expected) =>
        Crc16.Compute(Convert.FromHexString(hex)).ShouldBe((ushort)expected);

    [Fact]
    public void Appends_the_CRC_low_byte_first_and_validates_it()
    {
        var frame = new byte[8];
        Convert.FromHexString("01030000000A").CopyTo(frame, 0);

        Crc16.Append(frame, 6).ShouldBe(8);

        Convert.ToHexString(frame).ShouldBe("01030000000AC5CD");
        Crc16.IsValid(frame).ShouldBeTrue();
        frame[3] ^= 1;
        Crc16.IsValid(frame).ShouldBeFalse();
    }

    [Theory]
    [InlineData(9600, Parity.Even, StopBits.One, 11)]
    [InlineData(9600, Parity.None, StopBits.Two, 11)]
    [InlineData(9600, Parity.None, StopBits.One, 10)]
    [InlineData(19200, Parity.Odd, StopBits.One, 11)]
    public void Derives_t15_and_t35_from_the_real_character_size_up_to_19200_baud(int baud, Parity parity, StopBits stopBits, int bits)
    {
        var timing = RtuTiming.For(baud, 8, parity, stopBits);

        timing.CharacterBits.ShouldBe(bits);
        timing.CharacterTime.TotalMicroseconds.ShouldBe(bits * 1e6 / baud, 1);
        timing.T15.TotalMicroseconds.ShouldBe(1.5 * bits * 1e6 / baud, 1);
        timing.T35.TotalMicroseconds.ShouldBe(3.5 * bits * 1e6 / baud, 1);
    }

    [Theory]
    [InlineData(38400)]
    [InlineData(115200)]
    public void Fixes_t15_at_750us_and_t35_at_1750us_above_19200_baud(int baud)
    {
        var timing = RtuTiming.For(baud, 8, Parity.Even, StopBits.One);

        timing.T15.ShouldBe(TimeSpan.FromMicroseconds(750));
        timing.T35.ShouldBe(TimeSpan.FromMicroseconds(1750));
    }

    [Theory]
    [InlineData("01", 0)]
    [InlineData("0103", 8)]
    [InlineData("0106", 8)]
    [InlineData("011000000002", 0)]
    [InlineData("01100000000204", 13)]
    [InlineData("0117000000010000000102", 15)]
    [InlineData("012B0E", 7)]
    [InlineData("012B0D", -1)]
    [InlineData("0141", -1)]
    [InlineData("010F000000FFFF", -1)]
    public void Predicts_request_lengths_from_the_first_bytes(string hex, int expected) =>
        RtuFrameLength.Request(Convert.FromHexString(hex)).ShouldBe(expected);

    [Theory]
    [InlineData("0103", 0)]
    [InlineData("010314", 25)]
    [InlineData("018302", 5)]
    [InlineData("0105", 8)]
    [InlineData("0110", 8)]
    [InlineData("011704", 9)]
    [InlineData("012B0E0181000002", 0)]
    [InlineData("012B0E018100000200034142", 0)]
    [InlineData("012B0E0181000002000341424301014D", 18)]
    [InlineData("0165", -1)]
    public void Predicts_response_lengths_from_the_first_bytes(string hex, int expected) =>
        RtuFrameLength.Response(Convert.FromHexString(hex)).ShouldBe(expected);
}
