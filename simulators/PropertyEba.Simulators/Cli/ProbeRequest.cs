using System.Globalization;
using PropertyEba.Modbus;

namespace PropertyEba.Simulators.Cli;

/// <summary>What <c>probe</c> reads: from which slave, which table and which addresses.</summary>
internal sealed record ProbeRequest(string Host, int Port, byte Unit, ModbusTable Table, ushort Address, ushort Count, bool Decode, bool OneBased)
{
    /// <summary>Parses <c>probe tcp://host:port --unit N --table hr|ir|coil|di --address A --count C [--decode] [--one-based]</c>.</summary>
    public static ProbeRequest Parse(CommandLine cmd)
    {
        var target = cmd.Positional(0, "target (tcp://host:port)");
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme != "tcp" || uri.Port <= 0)
        {
            throw new UsageException($"probe target '{target}' is not tcp://host:port (serial RTU needs the Modbus library's RTU master, which is not available yet)");
        }

        var table = cmd.Option("--table") switch
        {
            "hr" => ModbusTable.HoldingRegisters,
            "ir" => ModbusTable.InputRegisters,
            "coil" => ModbusTable.Coils,
            "di" => ModbusTable.DiscreteInputs,
            var other => throw new UsageException($"--table is '{other}'; allowed: hr, ir, coil, di"),
        };
        var oneBased = cmd.Flag("--one-based");
        var address = cmd.IntOption("--address", 0, oneBased ? 1 : 0, oneBased ? 65536 : 65535);
        var count = cmd.IntOption("--count", 1, 1, table is ModbusTable.Coils or ModbusTable.DiscreteInputs ? 2000 : 125);
        var unit = cmd.IntOption("--unit", 1, 0, 255);
        return new ProbeRequest(uri.Host, uri.Port, (byte)unit, table, (ushort)(oneBased ? address - 1 : address), (ushort)count, cmd.Flag("--decode"), oneBased);
    }

    /// <summary>Formats an address as the user counts.</summary>
    public string Show(int wireAddress) => (OneBased ? wireAddress + 1 : wireAddress).ToString(CultureInfo.InvariantCulture);
}
