using System.IO.Ports;

namespace PropertyEba.Modbus;

/// <summary>The serial line an RTU master or slave uses. Defaults are the specification's: 19200 baud, 8 data bits, even parity, 1 stop bit.</summary>
public sealed class ModbusSerialOptions
{
    /// <summary>The port, e.g. <c>/dev/ttyUSB0</c>, <c>/dev/ttyAMA0</c> or <c>COM3</c>.</summary>
    public required string PortName { get; init; }

    /// <summary>Bits per second.</summary>
    public int BaudRate { get; init; } = 19200;

    /// <summary>Parity; the specification requires even parity by default and two stop bits when there is none.</summary>
    public Parity Parity { get; init; } = Parity.Even;

    /// <summary>Data bits per character; RTU uses 8.</summary>
    public int DataBits { get; init; } = 8;

    /// <summary>Stop bits.</summary>
    public StopBits StopBits { get; init; } = StopBits.One;

    /// <summary>
    /// Drive RTS high while transmitting, for RS-485 adapters whose driver-enable pin is wired to RTS and
    /// that do not switch direction by themselves. RTS goes high before the first byte of a frame and low
    /// once the frame's transmit time at <see cref="BaudRate"/> has passed, so the bus is free when the slave
    /// answers; it also goes low when a write fails or is cancelled. On a port without an RTS line (a
    /// pseudo-terminal, some virtual ports) opening fails with a <see cref="ModbusCommunicationException"/>
    /// that says so.
    /// </summary>
    public bool Rs485DirectionControl { get; init; }

    internal Rtu.RtuTiming Timing => Rtu.RtuTiming.For(BaudRate, DataBits, Parity, StopBits);
}
