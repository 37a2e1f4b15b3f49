using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Edge.LocalPage;

/// <summary>One register of a probe, decoded as 16-bit values.</summary>
public sealed record ProbeWord(int Offset, int Address, string Hex, int UInt16, int Int16);

/// <summary>Two registers of a probe starting at <see cref="Offset"/>, decoded in one word order.</summary>
public sealed record ProbePair(int Offset, int Address, string Order, long UInt32, int Int32, double? Float32);

/// <summary>What a probe read and every way of reading it.</summary>
/// <param name="Registers">The raw registers (null for a bit read).</param>
/// <param name="Bits">The raw bits (null for a register read).</param>
/// <param name="Words">Each register as uint16 and int16.</param>
/// <param name="Pairs">Each pair of neighbouring registers as uint32, int32 and float32 in ABCD, CDAB, BADC and DCBA.</param>
public sealed record ProbeResult(IReadOnlyList<int>? Registers, IReadOnlyList<bool>? Bits, IReadOnlyList<ProbeWord> Words, IReadOnlyList<ProbePair> Pairs);

/// <summary>
/// Decodes a probe in every word order: commissioning a meter whose sheet does not say (or says wrongly) whether its
/// 32-bit values are big- or little-endian, the installer picks the row that shows the value on the display.
/// </summary>
public static class ProbeDecoder
{
    /// <summary>The orders shown: big-endian, word-swapped, byte-swapped, and both swapped.</summary>
    public static readonly IReadOnlyList<RegisterOrder> Orders = [RegisterOrder.ABCD, RegisterOrder.CDAB, RegisterOrder.BADC, RegisterOrder.DCBA];

    /// <summary>Decodes registers read from <paramref name="address"/>.</summary>
    public static ProbeResult Decode(ushort address, ushort[]? registers, bool[]? bits)
    {
        if (registers is null)
        {
            return new ProbeResult(null, bits, [], []);
        }

        var words = new List<ProbeWord>(registers.Length);
        var pairs = new List<ProbePair>(Math.Max(0, registers.Length - 1) * Orders.Count);
        for (var i = 0; i < registers.Length; i++)
        {
            words.Add(new ProbeWord(i, address + i, registers[i].ToString("X4", System.Globalization.CultureInfo.InvariantCulture), registers[i], unchecked((short)registers[i])));
            if (i + 1 >= registers.Length)
            {
                continue;
            }

            var pair = registers.AsSpan(i, 2);
            foreach (var order in Orders)
            {
                var f = RegisterCodec.Decode(pair, ModbusDataType.Float32, order);
                pairs.Add(new ProbePair(
                    i,
                    address + i,
                    order.ToString(),
                    (long)RegisterCodec.Decode(pair, ModbusDataType.UInt32, order),
                    (int)RegisterCodec.Decode(pair, ModbusDataType.Int32, order),
                    double.IsFinite(f) ? f : null));
            }
        }

        return new ProbeResult([.. registers.Select(r => (int)r)], null, words, pairs);
    }
}
