using System.Globalization;
using PropertyEba.Modbus;

namespace PropertyEba.Simulators.Cli;

/// <summary>What <c>probe</c> reads: from which slave, which table and which addresses.</summary>
internal sealed record ProbeRequest(string Host, int Port, byte Unit, ModbusTable Table, ushort Address, ushort Count, bool Decode, bool OneBased)
{
    /// <summary>For a serial target: the line settings (<see cref="Host"/> is then the serial device).</summary>
    public ModbusSerialOptions? Serial { get; init; }

    /// <summary>
    /// Parses <c>probe tcp://host:port|/dev/ttyX --unit N --table hr|ir|coil|di --address A --count C [--decode] [--one-based]</c>
    /// (serial: <c>[--baud 9600] [--parity none|even|odd] [--stop-bits 1|2]</c>).
    /// </summary>
    public static ProbeRequest Parse(CommandLine cmd)
    {
        var target = cmd.Positional(0, "target (tcp://host:port or a serial device)");
        ModbusSerialOptions? serial = null;
        if (target.StartsWith('/') || target.StartsWith("COM", StringComparison.OrdinalIgnoreCase))
        {
            serial = new ModbusSerialOptions
            {
                PortName = target,
                BaudRate = cmd.IntOption("--baud", 9600, 300, 921_600),
                Parity = cmd.Option("--parity") switch
                {
                    null or "none" => System.IO.Ports.Parity.None,
                    "even" => System.IO.Ports.Parity.Even,
                    "odd" => System.IO.Ports.Parity.Odd,
                    var other => throw new UsageException($"--parity is '{other}'; allowed: none, even, odd"),
                },
                StopBits = cmd.IntOption("--stop-bits", 1, 1, 2) == 2 ? System.IO.Ports.StopBits.Two : System.IO.Ports.StopBits.One,
            };
        }
        else if (!Uri.TryCreate(target, UriKind.Absolute, out var parsed) || parsed.Scheme != "tcp" || parsed.Port <= 0)
        {
            throw new UsageException($"probe target '{target}' is neither tcp://host:port nor a serial device (/dev/ttyUSB0, COM3)");
        }

        var uri = serial is null ? new Uri(target) : null;

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
        return new ProbeRequest(uri?.Host ?? target, uri?.Port ?? 0, (byte)unit, table, (ushort)(oneBased ? address - 1 : address), (ushort)count, cmd.Flag("--decode"), oneBased)
        {
            Serial = serial,
        };
    }

    /// <summary>Formats an address as the user counts.</summary>
    public string Show(int wireAddress) => (OneBased ? wireAddress + 1 : wireAddress).ToString(CultureInfo.InvariantCulture);
}
