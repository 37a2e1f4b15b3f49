namespace PropertyEba.Modbus;

/// <summary>Where a Modbus TCP master connects and how patient it is.</summary>
public sealed class ModbusTcpMasterOptions
{
    /// <summary>Host name or IP address of the slave or gateway.</summary>
    public required string Host { get; init; }

    /// <summary>TCP port; 502 is the registered Modbus port.</summary>
    public int Port { get; init; } = 502;

    /// <summary>How long one attempt (connect, send, reply) may take before it counts as lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Further attempts after a timeout or communication failure (0: none).</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Further attempts after a "slave device busy" exception response.</summary>
    public int BusyRetries { get; init; } = 3;

    /// <summary>Pause before retrying a busy slave.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The clock for timeouts and delays; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
