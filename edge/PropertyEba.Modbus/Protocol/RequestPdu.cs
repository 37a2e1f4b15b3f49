using System.Buffers.Binary;

namespace PropertyEba.Modbus.Protocol;

/// <summary>Writes master request PDUs into a caller's buffer; each method returns the PDU length.</summary>
internal static class RequestPdu
{
    public static int Read(Span<byte> pdu, byte functionCode, ushort address, ushort count)
    {
        pdu[0] = functionCode;
        BinaryPrimitives.WriteUInt16BigEndian(pdu[1..], address);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[3..], count);
        return 5;
    }

    public static int WriteSingleCoil(Span<byte> pdu, ushort address, bool value) =>
        Read(pdu, FunctionCode.WriteSingleCoil, address, value ? (ushort)0xFF00 : (ushort)0x0000);

    public static int WriteSingleRegister(Span<byte> pdu, ushort address, ushort value) =>
        Read(pdu, FunctionCode.WriteSingleRegister, address, value);

    public static int WriteMultipleCoils(Span<byte> pdu, ushort address, IReadOnlyList<bool> values)
    {
        Read(pdu, FunctionCode.WriteMultipleCoils, address, (ushort)values.Count);
        var byteCount = BitPacking.ByteCount(values.Count);
        pdu[5] = (byte)byteCount;
        var data = pdu.Slice(6, byteCount);
        data.Clear();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i])
            {
                data[i >> 3] |= (byte)(1 << (i & 7));
            }
        }

        return 6 + byteCount;
    }

    public static int WriteMultipleRegisters(Span<byte> pdu, ushort address, IReadOnlyList<ushort> values)
    {
        Read(pdu, FunctionCode.WriteMultipleRegisters, address, (ushort)values.Count);
        pdu[5] = (byte)(values.Count * 2);
        WriteRegisters(pdu[6..], values);
        return 6 + values.Count * 2;
    }

    public static int ReadWriteMultipleRegisters(Span<byte> pdu, ushort readAddress, ushort readCount, ushort writeAddress, IReadOnlyList<ushort> values)
    {
        Read(pdu, FunctionCode.ReadWriteMultipleRegisters, readAddress, readCount);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[5..], writeAddress);
        BinaryPrimitives.WriteUInt16BigEndian(pdu[7..], (ushort)values.Count);
        pdu[9] = (byte)(values.Count * 2);
        WriteRegisters(pdu[10..], values);
        return 10 + values.Count * 2;
    }

    public static int ReadDeviceIdentification(Span<byte> pdu, byte readDeviceIdCode, byte objectId)
    {
        pdu[0] = FunctionCode.EncapsulatedInterface;
        pdu[1] = FunctionCode.MeiReadDeviceIdentification;
        pdu[2] = readDeviceIdCode;
        pdu[3] = objectId;
        return 4;
    }

    private static void WriteRegisters(Span<byte> data, IReadOnlyList<ushort> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data[(2 * i)..], values[i]);
        }
    }
}
