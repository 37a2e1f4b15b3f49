namespace PropertyEba.Modbus.Rtu;

/// <summary>
/// Predicts the length of an RTU frame (address through CRC) from its first bytes, so a frame is cut
/// as soon as it is complete instead of after a silence the operating system cannot time reliably.
/// Each method returns the total length, 0 when more bytes are needed to tell, or -1 when the bytes
/// cannot start a frame this library understands.
/// </summary>
internal static class RtuFrameLength
{
    public const int MaxFrameLength = 256;

    public static int Request(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return 0;
        }

        return bytes[1] switch
        {
            >= 1 and <= 6 => 8,
            15 or 16 => bytes.Length < 7 ? 0 : Checked(9 + bytes[6]),
            23 => bytes.Length < 11 ? 0 : Checked(13 + bytes[10]),
            43 => bytes.Length < 3 ? 0 : bytes[2] == 0x0E ? 7 : -1,
            _ => -1,
        };
    }

    public static int Response(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 2)
        {
            return 0;
        }

        var fc = bytes[1];
        if ((fc & 0x80) != 0)
        {
            return 5;
        }

        return fc switch
        {
            1 or 2 or 3 or 4 or 23 => bytes.Length < 3 ? 0 : Checked(5 + bytes[2]),
            5 or 6 or 15 or 16 => 8,
            43 => DeviceIdentificationResponse(bytes),
            _ => -1,
        };
    }

    private static int Checked(int length) => length <= MaxFrameLength ? length : -1;

    // address, 0x2B, 0x0E, code, conformity, more, next id, object count, then (id, length, value)*, CRC.
    private static int DeviceIdentificationResponse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            return 0;
        }

        if (bytes[2] != 0x0E)
        {
            return -1;
        }

        var offset = 8;
        for (var i = 0; i < bytes[7]; i++)
        {
            if (bytes.Length < offset + 2)
            {
                return 0;
            }

            offset += 2 + bytes[offset + 1];
            if (offset + 2 > MaxFrameLength)
            {
                return -1;
            }
        }

        return offset + 2;
    }
}
