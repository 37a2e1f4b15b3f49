using System.Buffers.Binary;

namespace PropertyEba.Modbus.Codecs;

/// <summary>
/// Converts between engineering values and the 16-bit registers that carry them, for every
/// <see cref="ModbusDataType"/> and <see cref="RegisterOrder"/>, with scale and offset
/// (engineering value = raw × scale + offset). Allocation-free.
/// </summary>
public static class RegisterCodec
{
    /// <summary>How many registers a value of the type occupies (strings: characters rounded up to whole registers).</summary>
    public static int RegisterCount(ModbusDataType type, int stringLength = 0) => type switch
    {
        ModbusDataType.Bool => 1,
        ModbusDataType.Bit or ModbusDataType.Int16 or ModbusDataType.UInt16 => 1,
        ModbusDataType.Int32 or ModbusDataType.UInt32 or ModbusDataType.Float32 => 2,
        ModbusDataType.Int64 or ModbusDataType.UInt64 or ModbusDataType.Float64 => 4,
        ModbusDataType.String => (stringLength + 1) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown Modbus data type."),
    };

    /// <summary>Decodes a numeric value from registers and applies scale and offset.</summary>
    /// <param name="registers">The registers, first register first, as read from the wire.</param>
    /// <param name="type">The encoding; not <see cref="ModbusDataType.String"/>.</param>
    /// <param name="order">Byte and word order.</param>
    /// <param name="bit">For <see cref="ModbusDataType.Bit"/>: the bit index 0..15 (0 = least significant).</param>
    /// <param name="scale">Multiplier applied to the raw value.</param>
    /// <param name="offset">Added after scaling.</param>
    public static double Decode(ReadOnlySpan<ushort> registers, ModbusDataType type, RegisterOrder order = RegisterOrder.ABCD, int bit = 0, double scale = 1, double offset = 0)
    {
        var count = RegisterCount(type);
        if (registers.Length < count)
        {
            throw new ArgumentException($"{type} needs {count} registers, got {registers.Length}.", nameof(registers));
        }

        Span<byte> bytes = stackalloc byte[8];
        ToBigEndianBytes(registers[..count], order, bytes);
        double raw = type switch
        {
            ModbusDataType.Bool => registers[0] != 0 ? 1 : 0,
            ModbusDataType.Bit => (registers[0] >> CheckBit(bit)) & 1,
            ModbusDataType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            ModbusDataType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            ModbusDataType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            ModbusDataType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            ModbusDataType.Int64 => BinaryPrimitives.ReadInt64BigEndian(bytes),
            ModbusDataType.UInt64 => BinaryPrimitives.ReadUInt64BigEndian(bytes),
            ModbusDataType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            ModbusDataType.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Strings are decoded with DecodeString."),
        };
        return type is ModbusDataType.Bool or ModbusDataType.Bit ? raw : raw * scale + offset;
    }

    /// <summary>
    /// Encodes an engineering value into registers (the inverse of <see cref="Decode"/>). Integers are
    /// rounded to nearest and clamped to the type's range. For <see cref="ModbusDataType.Bit"/> only the
    /// given bit of <paramref name="registers"/>[0] changes, so several bits can share one register.
    /// </summary>
    public static void Encode(double value, Span<ushort> registers, ModbusDataType type, RegisterOrder order = RegisterOrder.ABCD, int bit = 0, double scale = 1, double offset = 0)
    {
        var count = RegisterCount(type);
        if (registers.Length < count)
        {
            throw new ArgumentException($"{type} needs {count} registers, got {registers.Length}.", nameof(registers));
        }

        if (type == ModbusDataType.Bool)
        {
            registers[0] = value != 0 ? (ushort)1 : (ushort)0;
            return;
        }

        if (type == ModbusDataType.Bit)
        {
            var mask = (ushort)(1 << CheckBit(bit));
            registers[0] = value != 0 ? (ushort)(registers[0] | mask) : (ushort)(registers[0] & ~mask);
            return;
        }

        var raw = scale == 0 ? 0 : (value - offset) / scale;
        Span<byte> bytes = stackalloc byte[8];
        switch (type)
        {
            case ModbusDataType.Int16: BinaryPrimitives.WriteInt16BigEndian(bytes, (short)Math.Clamp(Math.Round(raw), short.MinValue, short.MaxValue)); break;
            case ModbusDataType.UInt16: BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)Math.Clamp(Math.Round(raw), ushort.MinValue, ushort.MaxValue)); break;
            case ModbusDataType.Int32: BinaryPrimitives.WriteInt32BigEndian(bytes, (int)Math.Clamp(Math.Round(raw), int.MinValue, int.MaxValue)); break;
            case ModbusDataType.UInt32: BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Math.Clamp(Math.Round(raw), uint.MinValue, uint.MaxValue)); break;
            case ModbusDataType.Int64: BinaryPrimitives.WriteInt64BigEndian(bytes, (long)Math.Clamp(Math.Round(raw), long.MinValue, long.MaxValue)); break;
            case ModbusDataType.UInt64: BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)Math.Clamp(Math.Round(raw), 0, ulong.MaxValue)); break;
            case ModbusDataType.Float32: BinaryPrimitives.WriteSingleBigEndian(bytes, (float)raw); break;
            case ModbusDataType.Float64: BinaryPrimitives.WriteDoubleBigEndian(bytes, raw); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Strings are encoded with EncodeString.");
        }

        FromBigEndianBytes(bytes[..(count * 2)], order, registers[..count]);
    }

    /// <summary>Decodes ASCII text, two characters per register, high byte first (BADC/DCBA: low byte first); trailing NULs and spaces are trimmed.</summary>
    public static string DecodeString(ReadOnlySpan<ushort> registers, RegisterOrder order = RegisterOrder.ABCD)
    {
        var swapBytes = order is RegisterOrder.BADC or RegisterOrder.DCBA;
        Span<char> chars = registers.Length <= 128 ? stackalloc char[registers.Length * 2] : new char[registers.Length * 2];
        for (var i = 0; i < registers.Length; i++)
        {
            var hi = (char)(registers[i] >> 8);
            var lo = (char)(registers[i] & 0xFF);
            chars[2 * i] = swapBytes ? lo : hi;
            chars[2 * i + 1] = swapBytes ? hi : lo;
        }

        return new string(chars.TrimEnd(['\0', ' ']));
    }

    /// <summary>Encodes ASCII text into registers, padding with NULs.</summary>
    public static void EncodeString(string text, Span<ushort> registers, RegisterOrder order = RegisterOrder.ABCD)
    {
        var swapBytes = order is RegisterOrder.BADC or RegisterOrder.DCBA;
        for (var i = 0; i < registers.Length; i++)
        {
            var hi = 2 * i < text.Length ? (byte)text[2 * i] : (byte)0;
            var lo = 2 * i + 1 < text.Length ? (byte)text[2 * i + 1] : (byte)0;
            registers[i] = swapBytes ? (ushort)(lo << 8 | hi) : (ushort)(hi << 8 | lo);
        }
    }

    private static int CheckBit(int bit) =>
        bit is >= 0 and <= 15 ? bit : throw new ArgumentOutOfRangeException(nameof(bit), bit, "A register bit index is 0..15.");

    // Reassembles the big-endian byte sequence of the value from registers laid out in the given order.
    private static void ToBigEndianBytes(ReadOnlySpan<ushort> registers, RegisterOrder order, Span<byte> bytes)
    {
        var swapWords = order is RegisterOrder.CDAB or RegisterOrder.DCBA;
        var swapBytes = order is RegisterOrder.BADC or RegisterOrder.DCBA;
        var n = registers.Length;
        for (var i = 0; i < n; i++)
        {
            var reg = registers[swapWords ? n - 1 - i : i];
            if (swapBytes)
            {
                reg = BinaryPrimitives.ReverseEndianness(reg);
            }

            bytes[2 * i] = (byte)(reg >> 8);
            bytes[2 * i + 1] = (byte)reg;
        }
    }

    private static void FromBigEndianBytes(ReadOnlySpan<byte> bytes, RegisterOrder order, Span<ushort> registers)
    {
        var swapWords = order is RegisterOrder.CDAB or RegisterOrder.DCBA;
        var swapBytes = order is RegisterOrder.BADC or RegisterOrder.DCBA;
        var n = registers.Length;
        for (var i = 0; i < n; i++)
        {
            var reg = (ushort)(bytes[2 * i] << 8 | bytes[2 * i + 1]);
            if (swapBytes)
            {
                reg = BinaryPrimitives.ReverseEndianness(reg);
            }

            registers[swapWords ? n - 1 - i : i] = reg;
        }
    }
}
