using System.Buffers.Binary;
using PropertyEba.Modbus.Protocol;

namespace PropertyEba.Modbus.Slave;

/// <summary>
/// Executes one request PDU against a unit and writes the response PDU, independent of the transport.
/// Checks follow the order of the specification's state diagrams (§6): function code, then quantity and
/// byte count (IllegalDataValue), then address range (IllegalDataAddress), then the unit's own answer.
/// </summary>
internal static class SlaveRequestProcessor
{
    /// <summary>Processes <paramref name="request"/>; returns the response PDU length written to <paramref name="response"/> (at least 253 bytes).</summary>
    public static int Process(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        if (request.Length == 0)
        {
            return Exception(response, 0, ModbusExceptionCode.IllegalFunction);
        }

        var fc = request[0];
        if (unit.Faults.ExceptionReply is { } injected)
        {
            return Exception(response, fc, injected);
        }

        return fc switch
        {
            FunctionCode.ReadCoils => ReadBits(unit, ModbusTable.Coils, request, response),
            FunctionCode.ReadDiscreteInputs => ReadBits(unit, ModbusTable.DiscreteInputs, request, response),
            FunctionCode.ReadHoldingRegisters => ReadRegisters(unit, ModbusTable.HoldingRegisters, request, response),
            FunctionCode.ReadInputRegisters => ReadRegisters(unit, ModbusTable.InputRegisters, request, response),
            FunctionCode.WriteSingleCoil => WriteSingleCoil(unit, request, response),
            FunctionCode.WriteSingleRegister => WriteSingleRegister(unit, request, response),
            FunctionCode.WriteMultipleCoils => WriteMultipleCoils(unit, request, response),
            FunctionCode.WriteMultipleRegisters => WriteMultipleRegisters(unit, request, response),
            FunctionCode.ReadWriteMultipleRegisters => ReadWriteMultipleRegisters(unit, request, response),
            FunctionCode.EncapsulatedInterface => ReadDeviceIdentification(unit, request, response),
            _ => Exception(response, fc, ModbusExceptionCode.IllegalFunction),
        };
    }

    /// <summary>True for the function codes that change data, which are the only ones a broadcast may carry.</summary>
    public static bool IsWrite(byte functionCode) => functionCode is FunctionCode.WriteSingleCoil or FunctionCode.WriteSingleRegister
        or FunctionCode.WriteMultipleCoils or FunctionCode.WriteMultipleRegisters;

    public static int Exception(Span<byte> response, byte functionCode, ModbusExceptionCode code)
    {
        response[0] = (byte)(functionCode | FunctionCode.ExceptionFlag);
        response[1] = (byte)code;
        return 2;
    }

    private static bool RangeFits(ushort address, int count) => address + count <= 65536;

    private static int ReadBits(IModbusSlaveUnit unit, ModbusTable table, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length != 5)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        if (count is 0 or > ModbusLimits.MaxReadBits)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        if (!RangeFits(address, count))
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataAddress);
        }

        Span<bool> bits = stackalloc bool[count];
        if (unit.ReadBits(table, address, bits) is { } error)
        {
            return Exception(response, fc, error);
        }

        var byteCount = BitPacking.ByteCount(count);
        response[0] = fc;
        response[1] = (byte)byteCount;
        BitPacking.Pack(bits, response.Slice(2, byteCount));
        return 2 + byteCount;
    }

    private static int ReadRegisters(IModbusSlaveUnit unit, ModbusTable table, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length != 5)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        if (count is 0 or > ModbusLimits.MaxReadRegisters)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        if (!RangeFits(address, count))
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataAddress);
        }

        return ReadRegistersInto(unit, table, fc, address, count, response);
    }

    private static int ReadRegistersInto(IModbusSlaveUnit unit, ModbusTable table, byte fc, ushort address, int count, Span<byte> response)
    {
        Span<ushort> registers = stackalloc ushort[count];
        if (unit.ReadRegisters(table, address, registers) is { } error)
        {
            return Exception(response, fc, error);
        }

        response[0] = fc;
        response[1] = (byte)(count * 2);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(response[(2 + 2 * i)..], registers[i]);
        }

        return 2 + count * 2;
    }

    private static int WriteSingleCoil(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length != 5)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var value = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        if (value is not (0x0000 or 0xFF00))
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        ReadOnlySpan<bool> bit = [value == 0xFF00];
        if (unit.WriteBits(address, bit) is { } error)
        {
            return Exception(response, fc, error);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int WriteSingleRegister(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length != 5)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        ReadOnlySpan<ushort> value = [BinaryPrimitives.ReadUInt16BigEndian(request[3..])];
        if (unit.WriteRegisters(address, value) is { } error)
        {
            return Exception(response, fc, error);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int WriteMultipleCoils(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length < 6)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        var byteCount = request[5];
        if (count is 0 or > ModbusLimits.MaxWriteCoils || byteCount != BitPacking.ByteCount(count) || request.Length != 6 + byteCount)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        if (!RangeFits(address, count))
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataAddress);
        }

        Span<bool> bits = stackalloc bool[count];
        BitPacking.Unpack(request.Slice(6, byteCount), bits);
        if (unit.WriteBits(address, bits) is { } error)
        {
            return Exception(response, fc, error);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int WriteMultipleRegisters(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length < 6)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var address = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        var byteCount = request[5];
        if (count is 0 or > ModbusLimits.MaxWriteRegisters || byteCount != count * 2 || request.Length != 6 + byteCount)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        if (!RangeFits(address, count))
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataAddress);
        }

        Span<ushort> values = stackalloc ushort[count];
        ReadRegisterValues(request.Slice(6, byteCount), values);
        if (unit.WriteRegisters(address, values) is { } error)
        {
            return Exception(response, fc, error);
        }

        request[..5].CopyTo(response);
        return 5;
    }

    private static int ReadWriteMultipleRegisters(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length < 10)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        var readAddress = BinaryPrimitives.ReadUInt16BigEndian(request[1..]);
        var readCount = BinaryPrimitives.ReadUInt16BigEndian(request[3..]);
        var writeAddress = BinaryPrimitives.ReadUInt16BigEndian(request[5..]);
        var writeCount = BinaryPrimitives.ReadUInt16BigEndian(request[7..]);
        var byteCount = request[9];
        if (readCount is 0 or > ModbusLimits.MaxReadWriteReadRegisters || writeCount is 0 or > ModbusLimits.MaxReadWriteWriteRegisters
            || byteCount != writeCount * 2 || request.Length != 10 + byteCount)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        if (!RangeFits(readAddress, readCount) || !RangeFits(writeAddress, writeCount))
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataAddress);
        }

        // The specification performs the write before the read, so the reply can show what was written.
        Span<ushort> values = stackalloc ushort[writeCount];
        ReadRegisterValues(request.Slice(10, byteCount), values);
        if (unit.WriteRegisters(writeAddress, values) is { } error)
        {
            return Exception(response, fc, error);
        }

        return ReadRegistersInto(unit, ModbusTable.HoldingRegisters, fc, readAddress, readCount, response);
    }

    private static int ReadDeviceIdentification(IModbusSlaveUnit unit, ReadOnlySpan<byte> request, Span<byte> response)
    {
        var fc = request[0];
        if (request.Length < 2 || request[1] != FunctionCode.MeiReadDeviceIdentification || unit is not IModbusDeviceIdentification identity)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalFunction);
        }

        if (request.Length != 4 || request[2] is 0 or > 4)
        {
            return Exception(response, fc, ModbusExceptionCode.IllegalDataValue);
        }

        return DeviceIdentificationResponse.Write(identity.DeviceIdentification, request[2], request[3], response);
    }

    private static void ReadRegisterValues(ReadOnlySpan<byte> data, Span<ushort> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        }
    }
}
