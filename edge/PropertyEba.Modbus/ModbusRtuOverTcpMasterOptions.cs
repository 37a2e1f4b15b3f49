namespace PropertyEba.Modbus;

/// <summary>
/// A master that sends RTU frames (with CRC, without MBAP header) over a TCP connection to a serial
/// device server, which puts them on its RS-485 line unchanged.
/// </summary>
public sealed class ModbusRtuOverTcpMasterOptions
{
    /// <summary>Host name or IP address of the device server.</summary>
    public required string Host { get; init; }

    /// <summary>The device server's TCP port for the serial line.</summary>
    public required int Port { get; init; }

    /// <summary>How long one attempt may take; include the serial line time behind the server.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Further attempts after a timeout, corrupted reply or broken connection (0: none).</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Further attempts after a "slave device busy" exception response.</summary>
    public int BusyRetries { get; init; } = 3;

    /// <summary>Pause before retrying a busy slave.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Pause after a broadcast (unit 0) so every slave behind the server has processed it.</summary>
    public TimeSpan TurnaroundDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The clock for timeouts; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
