using PropertyEba.Modbus.Rtu;

namespace PropertyEba.Modbus.Tests.Rtu;

/// <summary>
/// Stands in for the RTS pin, which a pseudo-terminal does not have: logs each switch, with how many bytes
/// of the frame the far end of the line had received at that moment when <paramref name="bytesAtFarEnd"/> is given.
/// </summary>
internal sealed class RecordingDriverEnable(BusEventLog log, Func<int>? bytesAtFarEnd = null) : IRs485DriverEnable
{
    public void Enable() => log.Add(BusEventKind.DriverEnabled, bytesAtFarEnd?.Invoke());

    public void Disable() => log.Add(BusEventKind.DriverDisabled, bytesAtFarEnd?.Invoke());
}
