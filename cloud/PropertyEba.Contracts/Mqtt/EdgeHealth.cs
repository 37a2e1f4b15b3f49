namespace PropertyEba.Contracts.Mqtt;

/// <summary>
/// A snapshot of an edge agent's health: per bus (port) and per device communication statistics, and the
/// process's own use of memory and CPU. Carried in <see cref="EdgeStatus.Health"/> and served by the agent's local page.
/// Counters count since the agent started.
/// </summary>
public sealed record EdgeHealth
{
    /// <summary>When the snapshot was taken (UTC, Unix ms).</summary>
    public required long TimestampUtcMs { get; init; }

    /// <summary>One entry per Modbus connection: a serial port, or a TCP endpoint (host:port).</summary>
    public required IReadOnlyList<PortHealth> Ports { get; init; }

    /// <summary>One entry per configured device.</summary>
    public required IReadOnlyList<DeviceHealth> Devices { get; init; }

    /// <summary>The agent process.</summary>
    public required ProcessHealth Process { get; init; }
}

/// <summary>Transaction counters shared by ports and devices.</summary>
public abstract record CommCounters
{
    /// <summary>Transactions attempted (each read, whatever its outcome).</summary>
    public long Requests { get; init; }

    /// <summary>Transactions without a reply in time (after the configured retries).</summary>
    public long Timeouts { get; init; }

    /// <summary>Replies that were garbled: wrong CRC on RTU, or an invalid frame.</summary>
    public long CrcErrors { get; init; }

    /// <summary>Modbus exception replies (the device answered, refusing the request).</summary>
    public long ExceptionReplies { get; init; }

    /// <summary>Connection failures (cannot connect or open the port, connection closed, reconnect backing off).</summary>
    public long ConnectionErrors { get; init; }

    /// <summary>95th percentile of the response time of the recent answered transactions, in ms; null before the first.</summary>
    public double? P95ResponseMs { get; init; }
}

/// <summary>Health of one Modbus connection.</summary>
public sealed record PortHealth : CommCounters
{
    /// <summary>The connection: <c>tcp://host:port</c>, <c>rtu+tcp://host:port</c> or the serial port with its line settings.</summary>
    public required string Port { get; init; }

    /// <summary>Reconnection attempts after the connection failed.</summary>
    public long Reconnects { get; init; }

    /// <summary>
    /// Share of the bus time the configured polling needs, estimated from the line rate (RTU lines only; 1.0 is the
    /// whole bus); null when not estimated.
    /// </summary>
    public double? BusUtilisation { get; init; }

    /// <summary>Whether the configured polling fits the bus time the line allows; null when not estimated.</summary>
    public bool? PollingFits { get; init; }
}

/// <summary>Health of one device.</summary>
public sealed record DeviceHealth : CommCounters
{
    /// <summary>The device id.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The port the device is reached through (as in <see cref="PortHealth.Port"/>).</summary>
    public required string Port { get; init; }

    /// <summary><c>ok</c>, <c>failing</c> (missed a cycle, not yet lost) or <c>lost</c> (polled less often, backing off).</summary>
    public required string State { get; init; }

    /// <summary>Poll cycles that started later than their interval allowed (the bus or the agent fell behind).</summary>
    public long MissedPollCycles { get; init; }

    /// <summary>Poll cycles completed.</summary>
    public long PollCycles { get; init; }

    /// <summary>Consecutive failed poll cycles right now.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>When the device last answered (UTC, Unix ms); null if it never has.</summary>
    public long? LastAnswerUtcMs { get; init; }

    /// <summary>When the device is polled next, while backing off (UTC, Unix ms); null otherwise.</summary>
    public long? NextPollUtcMs { get; init; }

    /// <summary>Reads the request planner split after the device refused a merged read (illegal data address).</summary>
    public int SplitReads { get; init; }

    /// <summary>Samples left unsent by report by exception (unchanged within the deadband, before the heartbeat).</summary>
    public long SamplesSuppressed { get; init; }
}

/// <summary>The agent process's use of the machine.</summary>
public sealed record ProcessHealth
{
    /// <summary>Resident set size (physical memory in use), bytes.</summary>
    public required long ResidentBytes { get; init; }

    /// <summary>Managed heap size, bytes.</summary>
    public required long ManagedHeapBytes { get; init; }

    /// <summary>CPU used since the previous snapshot, as a percentage of one core.</summary>
    public required double CpuPercentOfCore { get; init; }

    /// <summary>Time since the process started, seconds.</summary>
    public required double UptimeSeconds { get; init; }
}
