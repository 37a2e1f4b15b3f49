namespace PropertyEba.Modbus.Codecs;

/// <summary>
/// How a multi-byte value is laid out across 16-bit registers, named by where the bytes of the
/// big-endian value A B C D land on the wire. Byte order (within a register) and word order
/// (between registers) are independent: <see cref="CDAB"/> swaps words, <see cref="BADC"/> swaps
/// bytes, <see cref="DCBA"/> swaps both. 64-bit values extend the pattern to four registers.
/// </summary>
public enum RegisterOrder
{
    /// <summary>Big-endian bytes, high word first (the Modbus default).</summary>
    ABCD,

    /// <summary>Big-endian bytes, low word first (common on meters and PLCs).</summary>
    CDAB,

    /// <summary>Bytes swapped within each register, high word first.</summary>
    BADC,

    /// <summary>Fully little-endian: bytes swapped, low word first.</summary>
    DCBA,
}
