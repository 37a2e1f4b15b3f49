namespace PropertyEba.Modbus;

/// <summary>How a Modbus RTU master uses its serial line and how patient it is.</summary>
public sealed class ModbusRtuMasterOptions
{
    /// <summary>The serial line.</summary>
    public required ModbusSerialOptions Serial { get; init; }

    /// <summary>How long one attempt (request on the wire, reply) may take before it counts as lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Further attempts after a timeout or a corrupted reply (0: none).</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Further attempts after a "slave device busy" exception response.</summary>
    public int BusyRetries { get; init; } = 3;

    /// <summary>Pause before retrying a busy slave.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Pause after a broadcast (unit 0) so every slave has processed it before the next request (Serial Line §2.4.1).</summary>
    public TimeSpan TurnaroundDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The clock for timeouts and line silences; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
