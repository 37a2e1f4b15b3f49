using System.Buffers.Binary;

namespace PropertyEba.Modbus.Tcp;

/// <summary>
/// The 7-byte MODBUS Application Protocol header that precedes every PDU on TCP (Messaging on
/// TCP/IP v1.0b §3.1.3): transaction id, protocol id (0), length of what follows, unit id.
/// </summary>
internal readonly record struct MbapHeader(ushort TransactionId, ushort ProtocolId, ushort Length, byte UnitId)
{
    public const int Size = 7;

    /// <summary>Largest legal length field: the unit id plus a 253-byte PDU.</summary>
    public const int MaxLength = 254;

    /// <summary>Smallest legal length field: the unit id plus a function code and one byte.</summary>
    public const int MinLength = 2;

    public static MbapHeader Read(ReadOnlySpan<byte> frame) => new(
        BinaryPrimitives.ReadUInt16BigEndian(frame),
        BinaryPrimitives.ReadUInt16BigEndian(frame[2..]),
        BinaryPrimitives.ReadUInt16BigEndian(frame[4..]),
        frame[6]);

    public static void Write(Span<byte> frame, ushort transactionId, byte unitId, int pduLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(frame[4..], (ushort)(pduLength + 1));
        frame[6] = unitId;
    }

    /// <summary>The reason a header is unacceptable, or null; a bad header means the byte stream lost its framing.</summary>
    public string? Problem => ProtocolId != 0
        ? $"MBAP protocol id is {ProtocolId}, not 0 (Modbus)"
        : Length is < MinLength or > MaxLength
            ? $"MBAP length field is {Length}, outside {MinLength}..{MaxLength}"
            : null;
}
