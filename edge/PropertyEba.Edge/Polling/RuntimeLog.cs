using Microsoft.Extensions.Logging;
using PropertyEba.Modbus;

namespace PropertyEba.Edge.Polling;

/// <summary>Log messages of bus scheduling, request planning and back-off (event ids 1400–1449).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(1400, LogLevel.Warning, "Device {DeviceId}: reading {Table} {Address}+{Count} was refused ({Error}); reading its points one by one from now on ({Reads} reads)")]
    public static partial void ReadSplit(ILogger logger, string deviceId, ModbusTable table, ushort address, ushort count, int reads, string error);

    [LoggerMessage(1401, LogLevel.Information, "Bus {Line}: the configured polling needs {Percent:0.#} % of the bus time the line rate allows; it fits")]
    public static partial void BusFits(ILogger logger, string line, double percent);

    [LoggerMessage(1402, LogLevel.Warning, "Bus {Line}: the configured polling needs {Percent:0.#} % of the bus time the line rate allows (more than {MaxPercent:0} %): polls will be late and cycles missed; poll less often, use fewer reads, or a faster baud rate")]
    public static partial void BusDoesNotFit(ILogger logger, string line, double percent, double maxPercent);

    [LoggerMessage(1403, LogLevel.Information, "Device {DeviceId}: bus priority {Priority}")]
    public static partial void DevicePriority(ILogger logger, string deviceId, int priority);
}
