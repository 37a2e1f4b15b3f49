using PropertyEba.Modbus.Protocol;

namespace PropertyEba.Modbus.Slave;

/// <summary>
/// Builds the response to function code 43 / MEI 14 (Application Protocol §6.21): stream access by
/// category (1 basic 0x00–0x02, 2 regular up to 0x7F, 3 extended up to 0xFF, each including the ones
/// below) split over several replies when the objects do not fit, or one object by id (code 4).
/// </summary>
internal static class DeviceIdentificationResponse
{
    private const int HeaderLength = 7;

    public static int Write(IReadOnlyDictionary<byte, string> objects, byte readDeviceIdCode, byte objectId, Span<byte> response)
    {
        var highest = 0;
        foreach (var id in objects.Keys)
        {
            highest = Math.Max(highest, id);
        }

        var conformity = (byte)(0x80 | (highest <= 2 ? 1 : highest <= 0x7F ? 2 : 3));
        response[0] = FunctionCode.EncapsulatedInterface;
        response[1] = FunctionCode.MeiReadDeviceIdentification;
        response[2] = readDeviceIdCode;
        response[3] = conformity;
        response[4] = 0;
        response[5] = 0;
        response[6] = 0;

        if (readDeviceIdCode == 4)
        {
            if (!objects.TryGetValue(objectId, out var single))
            {
                return SlaveRequestProcessor.Exception(response, FunctionCode.EncapsulatedInterface, ModbusExceptionCode.IllegalDataAddress);
            }

            response[6] = 1;
            return HeaderLength + WriteObject(objectId, single, response[HeaderLength..]);
        }

        var last = readDeviceIdCode switch { 1 => 0x02, 2 => 0x7F, _ => 0xFF };

        // An object id the slave does not know restarts the stream at object 0 (§6.21).
        if (objectId > last || !objects.ContainsKey(objectId))
        {
            objectId = 0;
        }

        var offset = HeaderLength;
        byte count = 0;
        for (var id = (int)objectId; id <= last; id++)
        {
            if (!objects.TryGetValue((byte)id, out var value))
            {
                continue;
            }

            if (offset + 2 + value.Length > ModbusLimits.MaxPduLength)
            {
                response[4] = 0xFF;
                response[5] = (byte)id;
                break;
            }

            offset += WriteObject((byte)id, value, response[offset..]);
            count++;
        }

        response[6] = count;
        return offset;
    }

    private static int WriteObject(byte id, string value, Span<byte> destination)
    {
        destination[0] = id;
        destination[1] = (byte)value.Length;
        for (var i = 0; i < value.Length; i++)
        {
            destination[2 + i] = value[i] < 0x80 ? (byte)value[i] : (byte)'?';
        }

        return 2 + value.Length;
    }
}
