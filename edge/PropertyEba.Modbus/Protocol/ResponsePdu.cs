using System.Buffers.Binary;

namespace PropertyEba.Modbus.Protocol;

/// <summary>
/// Checks a slave's response PDU against the request it answers and extracts the data. Anything
/// that does not answer the request exactly is a <see cref="ModbusProtocolException"/>.
/// </summary>
internal static class ResponsePdu
{
    /// <summary>True if the PDU is the response or exception response to this function code.</summary>
    public static bool Answers(ReadOnlySpan<byte> pdu, byte functionCode) =>
        pdu.Length > 0 && (pdu[0] == functionCode || pdu[0] == (functionCode | FunctionCode.ExceptionFlag));

    /// <summary>Throws the typed <see cref="ModbusException"/> if the PDU is an exception response.</summary>
    public static void ThrowIfException(ReadOnlySpan<byte> pdu, byte unitId, byte functionCode)
    {
        if (pdu.Length == 0 || pdu[0] != (functionCode | FunctionCode.ExceptionFlag))
        {
            return;
        }

        if (pdu.Length != 2)
        {
            throw new ModbusProtocolException($"Exception response to function code {functionCode} has {pdu.Length} bytes; expected 2.");
        }

        throw new ModbusException(unitId, functionCode, (ModbusExceptionCode)pdu[1]);
    }

    public static void ReadBits(ReadOnlySpan<byte> pdu, byte functionCode, Span<bool> destination)
    {
        var byteCount = BitPacking.ByteCount(destination.Length);
        CheckHeader(pdu, functionCode, byteCount);
        BitPacking.Unpack(pdu.Slice(2, byteCount), destination);
    }

    public static void ReadRegisters(ReadOnlySpan<byte> pdu, byte functionCode, Span<ushort> destination)
    {
        CheckHeader(pdu, functionCode, destination.Length * 2);
        var data = pdu[2..];
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }
    }

    /// <summary>Write responses echo the first five bytes of the request (function, address, value or quantity).</summary>
    public static void Echo(ReadOnlySpan<byte> pdu, ReadOnlySpan<byte> request)
    {
        if (pdu.Length != 5 || !pdu.SequenceEqual(request[..5]))
        {
            throw new ModbusProtocolException(
                $"Reply to function code {request[0]} does not echo the request: got {Convert.ToHexString(pdu)}, expected {Convert.ToHexString(request[..5])}.");
        }
    }

    /// <summary>
    /// Parses one Read Device Identification response into <paramref name="objects"/>; returns the next
    /// object id to ask for when the slave has more to send, or null when it is done.
    /// </summary>
    public static byte? ReadDeviceIdentification(ReadOnlySpan<byte> pdu, byte readDeviceIdCode, Dictionary<byte, string> objects)
    {
        if (pdu.Length < 7 || pdu[0] != FunctionCode.EncapsulatedInterface || pdu[1] != FunctionCode.MeiReadDeviceIdentification || pdu[2] != readDeviceIdCode)
        {
            throw new ModbusProtocolException($"Reply is not a Read Device Identification response for code {readDeviceIdCode}: {Convert.ToHexString(pdu)}.");
        }

        var moreFollows = pdu[4];
        var nextObjectId = pdu[5];
        var count = pdu[6];
        var offset = 7;
        for (var i = 0; i < count; i++)
        {
            if (offset + 2 > pdu.Length || offset + 2 + pdu[offset + 1] > pdu.Length)
            {
                throw new ModbusProtocolException($"Read Device Identification response announces {count} objects but ends after {i}.");
            }

            var id = pdu[offset];
            var length = pdu[offset + 1];
            objects[id] = System.Text.Encoding.ASCII.GetString(pdu.Slice(offset + 2, length));
            offset += 2 + length;
        }

        if (offset != pdu.Length)
        {
            throw new ModbusProtocolException($"Read Device Identification response has {pdu.Length - offset} bytes after its last object.");
        }

        return moreFollows == 0xFF ? nextObjectId : null;
    }

    private static void CheckHeader(ReadOnlySpan<byte> pdu, byte functionCode, int expectedByteCount)
    {
        if (pdu.Length < 2 || pdu[0] != functionCode || pdu[1] != expectedByteCount || pdu.Length != 2 + expectedByteCount)
        {
            throw new ModbusProtocolException(
                $"Reply to function code {functionCode} should carry {expectedByteCount} data bytes; got {Convert.ToHexString(pdu)}.");
        }
    }
}
