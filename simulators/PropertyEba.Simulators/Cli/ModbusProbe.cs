using System.Globalization;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;

namespace PropertyEba.Simulators.Cli;

/// <summary>
/// Reads any Modbus slave (TCP, or RTU on a serial device) and formats what it answered: one line per address, then (with decode)
/// every register pair in all four 32-bit orders, so an installer can find a device's word order.
/// </summary>
internal static class ModbusProbe
{
    private static readonly RegisterOrder[] Orders = [RegisterOrder.ABCD, RegisterOrder.CDAB, RegisterOrder.BADC, RegisterOrder.DCBA];

    public static async Task<IReadOnlyList<string>> ReadAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        await using var master = request.Serial is { } serial
            ? ModbusMaster.CreateRtu(new ModbusRtuMasterOptions { Serial = serial, Timeout = TimeSpan.FromSeconds(2) })
            : ModbusMaster.CreateTcp(new ModbusTcpMasterOptions { Host = request.Host, Port = request.Port, Timeout = TimeSpan.FromSeconds(2) });
        var lines = new List<string>();
        if (request.Table is ModbusTable.Coils or ModbusTable.DiscreteInputs)
        {
            var bits = request.Table == ModbusTable.Coils
                ? await master.ReadCoilsAsync(request.Unit, request.Address, request.Count, cancellationToken)
                : await master.ReadDiscreteInputsAsync(request.Unit, request.Address, request.Count, cancellationToken);
            for (var i = 0; i < bits.Length; i++)
            {
                lines.Add($"{request.Show(request.Address + i)} {(bits[i] ? 1 : 0)}");
            }

            return lines;
        }

        var regs = request.Table == ModbusTable.HoldingRegisters
            ? await master.ReadHoldingRegistersAsync(request.Unit, request.Address, request.Count, cancellationToken)
            : await master.ReadInputRegistersAsync(request.Unit, request.Address, request.Count, cancellationToken);
        for (var i = 0; i < regs.Length; i++)
        {
            lines.Add($"{request.Show(request.Address + i)} {regs[i].ToString(CultureInfo.InvariantCulture)}");
        }

        if (request.Decode)
        {
            lines.AddRange(DecodePairs(request, regs));
        }

        return lines;
    }

    /// <summary>Every consecutive register pair as int32, uint32 and float32 in the four orders.</summary>
    public static IEnumerable<string> DecodePairs(ProbeRequest request, ushort[] regs)
    {
        for (var i = 0; i + 1 < regs.Length; i++)
        {
            foreach (var order in Orders)
            {
                var i32 = RegisterCodec.Decode(regs.AsSpan(i, 2), ModbusDataType.Int32, order);
                var u32 = RegisterCodec.Decode(regs.AsSpan(i, 2), ModbusDataType.UInt32, order);
                var f32 = (float)RegisterCodec.Decode(regs.AsSpan(i, 2), ModbusDataType.Float32, order);
                yield return string.Create(CultureInfo.InvariantCulture, $"{request.Show(request.Address + i)}-{request.Show(request.Address + i + 1)} {order} int32={i32:0} uint32={u32:0} float32={f32:G7}");
            }
        }
    }
}
