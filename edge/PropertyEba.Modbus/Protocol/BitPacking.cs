namespace PropertyEba.Modbus.Protocol;

/// <summary>Coils and discrete inputs travel eight to a byte, first bit in the least significant position.</summary>
internal static class BitPacking
{
    public static int ByteCount(int bits) => (bits + 7) / 8;

    public static void Pack(ReadOnlySpan<bool> bits, Span<byte> bytes)
    {
        var n = ByteCount(bits.Length);
        bytes[..n].Clear();
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                bytes[i >> 3] |= (byte)(1 << (i & 7));
            }
        }
    }

    public static void Unpack(ReadOnlySpan<byte> bytes, Span<bool> bits)
    {
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = (bytes[i >> 3] & (1 << (i & 7))) != 0;
        }
    }
}
