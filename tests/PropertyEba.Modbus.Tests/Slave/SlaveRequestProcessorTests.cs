using PropertyEba.Modbus.Slave;

namespace PropertyEba.Modbus.Tests.Slave;

/// <summary>The slave's PDU handling against the specification's examples and exception rules.</summary>
public sealed class SlaveRequestProcessorTests
{
    private readonly ModbusDataStore _store = new();
    private readonly byte[] _response = new byte[253];

    [Theory]
    [InlineData("0100000000", "8103")]
    [InlineData("01000007D1", "8103")]
    [InlineData("0300000000", "8303")]
    [InlineData("030000007E", "8303")]
    [InlineData("03FFFF0002", "8302")]
    [InlineData("0300", "8303")]
    [InlineData("0500011234", "8503")]
    [InlineData("0F0000000A01FF", "8F03")]
    [InlineData("0F0000000A02FF", "8F03")]
    [InlineData("100000000102", "9003")]
    [InlineData("10FFFF00020400010002", "9002")]
    [InlineData("1700000001000000010200", "9703")]
    [InlineData("2B0E0500", "AB03")]
    [InlineData("2B0D0100", "AB01")]
    [InlineData("2B0E0405", "AB02")]
    [InlineData("08000000", "8801")]
    [InlineData("41", "C101")]
    public void Answers_malformed_requests_with_the_specified_exception(string requestHex, string expectedHex)
    {
        var n = SlaveRequestProcessor.Process(_store, Convert.FromHexString(requestHex), _response);

        Convert.ToHexString(_response, 0, n).ShouldBe(expectedHex);
    }

    [Fact]
    public void Answers_the_specification_example_for_read_coils()
    {
        // MODBUS Application Protocol v1.1b3 §6.1: coils 20..38 read as CD 6B 05.
        bool[] coils = [true, false, true, true, false, false, true, true, true, true, false, true, false, true, true, false, true, false, true];
        for (var i = 0; i < coils.Length; i++)
        {
            _store.SetBit(ModbusTable.Coils, (ushort)(19 + i), coils[i]);
        }

        var n = SlaveRequestProcessor.Process(_store, Convert.FromHexString("0100130013"), _response);

        Convert.ToHexString(_response, 0, n).ShouldBe("0103CD6B05");
    }

    [Fact]
    public void Answers_the_specification_example_for_write_multiple_registers()
    {
        var n = SlaveRequestProcessor.Process(_store, Convert.FromHexString("100001000204000A0102"), _response);

        Convert.ToHexString(_response, 0, n).ShouldBe("1000010002");
        var registers = new ushort[2];
        _store.GetRegisters(ModbusTable.HoldingRegisters, 1, registers);
        registers.ShouldBe(new ushort[] { 0x000A, 0x0102 });
    }

    [Fact]
    public void Answers_every_request_with_an_injected_exception()
    {
        _store.Faults.ExceptionReply = ModbusExceptionCode.SlaveDeviceFailure;

        var n = SlaveRequestProcessor.Process(_store, Convert.FromHexString("0300000001"), _response);

        Convert.ToHexString(_response, 0, n).ShouldBe("8304");
    }

    [Fact]
    public void Restarts_a_device_identification_stream_at_object_0_for_an_unknown_object_id()
    {
        var n = SlaveRequestProcessor.Process(_store, Convert.FromHexString("2B0E0150"), _response);

        _response.AsSpan(0, 7).ToArray().ShouldBe(new byte[] { 0x2B, 0x0E, 0x01, 0x81, 0x00, 0x00, 0x03 });
        _response[7].ShouldBe((byte)0);
        n.ShouldBeGreaterThan(7);
    }
}
