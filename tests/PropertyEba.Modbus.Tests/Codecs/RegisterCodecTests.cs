using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Modbus.Tests.Codecs;

public sealed class RegisterCodecTests
{
    public static TheoryData<ModbusDataType, RegisterOrder, double, ushort[]> KnownLayouts => new()
    {
        { ModbusDataType.Int16, RegisterOrder.ABCD, -2, [0xFFFE] },
        { ModbusDataType.Int16, RegisterOrder.BADC, 0x1234, [0x3412] },
        { ModbusDataType.UInt16, RegisterOrder.ABCD, 65535, [0xFFFF] },
        { ModbusDataType.Int32, RegisterOrder.ABCD, 0x12345678, [0x1234, 0x5678] },
        { ModbusDataType.Int32, RegisterOrder.CDAB, 0x12345678, [0x5678, 0x1234] },
        { ModbusDataType.Int32, RegisterOrder.BADC, 0x12345678, [0x3412, 0x7856] },
        { ModbusDataType.Int32, RegisterOrder.DCBA, 0x12345678, [0x7856, 0x3412] },
        { ModbusDataType.Int32, RegisterOrder.ABCD, -1, [0xFFFF, 0xFFFF] },
        { ModbusDataType.UInt32, RegisterOrder.ABCD, 4_000_000_000, [0xEE6B, 0x2800] },
        { ModbusDataType.UInt32, RegisterOrder.CDAB, 4_000_000_000, [0x2800, 0xEE6B] },
        { ModbusDataType.Float32, RegisterOrder.ABCD, 1.0, [0x3F80, 0x0000] },
        { ModbusDataType.Float32, RegisterOrder.CDAB, 1.0, [0x0000, 0x3F80] },
        { ModbusDataType.Float32, RegisterOrder.BADC, 1.0, [0x803F, 0x0000] },
        { ModbusDataType.Float32, RegisterOrder.DCBA, 1.0, [0x0000, 0x803F] },
        { ModbusDataType.Float32, RegisterOrder.ABCD, -2.5, [0xC020, 0x0000] },
        // Values travel as double: 64-bit integers are exact up to 2^53, so the vectors stay within it.
        { ModbusDataType.Int64, RegisterOrder.ABCD, 0x0102030405060000, [0x0102, 0x0304, 0x0506, 0x0000] },
        { ModbusDataType.Int64, RegisterOrder.CDAB, 0x0102030405060000, [0x0000, 0x0506, 0x0304, 0x0102] },
        { ModbusDataType.Int64, RegisterOrder.BADC, 0x0102030405060000, [0x0201, 0x0403, 0x0605, 0x0000] },
        { ModbusDataType.Int64, RegisterOrder.DCBA, 0x0102030405060000, [0x0000, 0x0605, 0x0403, 0x0201] },
        { ModbusDataType.Int64, RegisterOrder.ABCD, -2, [0xFFFF, 0xFFFF, 0xFFFF, 0xFFFE] },
        { ModbusDataType.UInt64, RegisterOrder.ABCD, 1, [0, 0, 0, 1] },
        { ModbusDataType.Float64, RegisterOrder.ABCD, 1.0, [0x3FF0, 0, 0, 0] },
        { ModbusDataType.Float64, RegisterOrder.DCBA, 1.0, [0, 0, 0, 0xF03F] },
    };

    [Theory]
    [MemberData(nameof(KnownLayouts))]
    public void Decodes_the_known_register_layout(ModbusDataType type, RegisterOrder order, double value, ushort[] registers) =>
        RegisterCodec.Decode(registers, type, order).ShouldBe(value);

    [Theory]
    [MemberData(nameof(KnownLayouts))]
    public void Encodes_to_the_known_register_layout(ModbusDataType type, RegisterOrder order, double value, ushort[] registers)
    {
        var encoded = new ushort[registers.Length];

        RegisterCodec.Encode(value, encoded, type, order);

        encoded.ShouldBe(registers);
    }

    [Fact]
    public void Applies_scale_then_offset_when_decoding_and_inverts_them_when_encoding()
    {
        ushort[] registers = [2305];

        RegisterCodec.Decode(registers, ModbusDataType.UInt16, scale: 0.1, offset: -10).ShouldBe(220.5, 1e-9);
        var encoded = new ushort[1];
        RegisterCodec.Encode(220.5, encoded, ModbusDataType.UInt16, scale: 0.1, offset: -10);
        encoded[0].ShouldBe((ushort)2305);
    }

    [Theory]
    [InlineData(ModbusDataType.Int16, 40000, 0x7FFF)]
    [InlineData(ModbusDataType.Int16, -40000, 0x8000)]
    [InlineData(ModbusDataType.UInt16, -5, 0)]
    [InlineData(ModbusDataType.UInt16, 70000, 0xFFFF)]
    [InlineData(ModbusDataType.UInt16, 2.5, 2)]
    [InlineData(ModbusDataType.UInt16, 3.5, 4)]
    public void Clamps_and_rounds_integers_to_the_type_range(ModbusDataType type, double value, int expectedRegister)
    {
        var encoded = new ushort[1];

        RegisterCodec.Encode(value, encoded, type);

        encoded[0].ShouldBe((ushort)expectedRegister);
    }

    [Fact]
    public void Reads_one_bit_of_a_status_word_and_sets_it_without_touching_the_others()
    {
        ushort[] status = [0b1010_0000_0000_0101];

        RegisterCodec.Decode(status, ModbusDataType.Bit, bit: 0).ShouldBe(1);
        RegisterCodec.Decode(status, ModbusDataType.Bit, bit: 1).ShouldBe(0);
        RegisterCodec.Decode(status, ModbusDataType.Bit, bit: 15).ShouldBe(1);
        RegisterCodec.Encode(1, status, ModbusDataType.Bit, bit: 1);
        RegisterCodec.Encode(0, status, ModbusDataType.Bit, bit: 15);
        status[0].ShouldBe((ushort)0b0010_0000_0000_0111);
    }

    [Fact]
    public void Ignores_scale_for_bits_and_bools()
    {
        RegisterCodec.Decode([5], ModbusDataType.Bool, scale: 10, offset: 3).ShouldBe(1);
        RegisterCodec.Decode([0], ModbusDataType.Bool).ShouldBe(0);
    }

    [Fact]
    public void Rejects_a_bit_index_outside_0_to_15() =>
        Should.Throw<ArgumentOutOfRangeException>(() => RegisterCodec.Decode([1], ModbusDataType.Bit, bit: 16));

    [Fact]
    public void Rejects_too_few_registers_for_the_type() =>
        Should.Throw<ArgumentException>(() => RegisterCodec.Decode([1], ModbusDataType.Float32));

    [Theory]
    [InlineData(RegisterOrder.ABCD, new ushort[] { 0x4142, 0x4300 })]
    [InlineData(RegisterOrder.BADC, new ushort[] { 0x4241, 0x0043 })]
    public void Encodes_strings_two_characters_per_register_padded_with_NUL(RegisterOrder order, ushort[] expected)
    {
        var registers = new ushort[2];

        RegisterCodec.EncodeString("ABC", registers, order);

        registers.ShouldBe(expected);
        RegisterCodec.DecodeString(registers, order).ShouldBe("ABC");
    }

    [Fact]
    public void Trims_trailing_spaces_and_NULs_from_strings() =>
        RegisterCodec.DecodeString([0x4F4B, 0x2020, 0x0000]).ShouldBe("OK");

    [Fact]
    public void Counts_registers_per_type()
    {
        RegisterCodec.RegisterCount(ModbusDataType.Int16).ShouldBe(1);
        RegisterCodec.RegisterCount(ModbusDataType.Float32).ShouldBe(2);
        RegisterCodec.RegisterCount(ModbusDataType.Float64).ShouldBe(4);
        RegisterCodec.RegisterCount(ModbusDataType.String, 5).ShouldBe(3);
    }

    [Fact]
    public void Round_trips_random_values_of_every_type_and_order()
    {
        const int seed = 20261124;
        var random = new Random(seed);
        var registers = new ushort[4];
        foreach (var order in Enum.GetValues<RegisterOrder>())
        {
            for (var i = 0; i < 2000; i++)
            {
                var int32 = random.Next(int.MinValue, int.MaxValue);
                RegisterCodec.Encode(int32, registers, ModbusDataType.Int32, order);
                RegisterCodec.Decode(registers, ModbusDataType.Int32, order).ShouldBe(int32, $"seed {seed}, {order}");

                var int64 = random.NextInt64(-(1L << 52), 1L << 52);
                RegisterCodec.Encode(int64, registers, ModbusDataType.Int64, order);
                RegisterCodec.Decode(registers, ModbusDataType.Int64, order).ShouldBe(int64, $"seed {seed}, {order}");

                var single = (float)((random.NextDouble() - 0.5) * 1e6);
                RegisterCodec.Encode(single, registers, ModbusDataType.Float32, order);
                RegisterCodec.Decode(registers, ModbusDataType.Float32, order).ShouldBe(single, $"seed {seed}, {order}");

                var dbl = (random.NextDouble() - 0.5) * 1e12;
                RegisterCodec.Encode(dbl, registers, ModbusDataType.Float64, order);
                RegisterCodec.Decode(registers, ModbusDataType.Float64, order).ShouldBe(dbl, $"seed {seed}, {order}");
            }
        }
    }
}
