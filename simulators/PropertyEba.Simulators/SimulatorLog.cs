using Microsoft.Extensions.Logging;

namespace PropertyEba.Simulators;

/// <summary>The simulators' log messages (source-generated).</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Estate {Estate} serving {DeviceCount} devices on {SlaveCount} Modbus TCP ports and serial lines (seed {Seed}, speed {Speed})")]
    public static partial void EstateStarted(ILogger logger, string estate, int deviceCount, int slaveCount, int seed, double speed);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Device {DeviceId} ({Model}) on {Host}:{Port} unit {UnitId}")]
    public static partial void DeviceServed(ILogger logger, string deviceId, string model, string host, int port, byte unitId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Fault {Fault} injected into {DeviceId} of estate {Estate}")]
    public static partial void FaultInjected(ILogger logger, string fault, string deviceId, string estate);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "All faults cleared in estate {Estate}")]
    public static partial void FaultsCleared(ILogger logger, string estate);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Physics step of estate {Estate} failed; the estate keeps serving its last values")]
    public static partial void StepFailed(ILogger logger, Exception exception, string estate);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Estate {Estate} stopped")]
    public static partial void EstateStopped(ILogger logger, string estate);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "Fault script step at {At} of estate {Estate} failed")]
    public static partial void ScriptStepFailed(ILogger logger, Exception exception, TimeSpan at, string estate);
}
