using System.IO.Ports;

namespace PropertyEba.Modbus.Rtu;

/// <summary>
/// Character and silence times of an RTU line (Serial Line v1.02 §2.5.1.1). A character is start bit,
/// data bits, parity bit if any and stop bits: 11 bits for 8E1 or 8N2, 10 for 8N1. Above 19200 baud the
/// specification fixes t1.5 at 750 µs and t3.5 at 1.75 ms, because per-character timing becomes too short
/// for UARTs and drivers to honour.
/// </summary>
internal readonly record struct RtuTiming(double CharacterBits, TimeSpan CharacterTime, TimeSpan T15, TimeSpan T35)
{
    public static RtuTiming For(int baudRate, int dataBits, Parity parity, StopBits stopBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baudRate, 1);
        var stop = stopBits switch
        {
            StopBits.OnePointFive => 1.5,
            StopBits.Two => 2.0,
            _ => 1.0,
        };
        var bits = 1 + dataBits + (parity == Parity.None ? 0 : 1) + stop;
        var character = TimeSpan.FromSeconds(bits / baudRate);
        return baudRate > 19200
            ? new RtuTiming(bits, character, TimeSpan.FromMicroseconds(750), TimeSpan.FromMicroseconds(1750))
            : new RtuTiming(bits, character, character * 1.5, character * 3.5);
    }

    /// <summary>How long the bytes take on the wire.</summary>
    public TimeSpan TransmitTime(int bytes) => CharacterTime * bytes;
}
