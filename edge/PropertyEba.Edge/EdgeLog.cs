using Microsoft.Extensions.Logging;

namespace PropertyEba.Edge;

/// <summary>Source-generated log messages of the agent (the hot paths and every state change).</summary>
internal static partial class EdgeLog
{
    [LoggerMessage(1000, LogLevel.Information, "Edge agent {EdgeId} of {Tenant}/{Site} starting: {DeviceCount} devices, broker {Host}:{Port}, buffer {BufferDirectory}")]
    public static partial void AgentStarting(ILogger logger, string edgeId, string tenant, string site, int deviceCount, string host, int port, string bufferDirectory);

    [LoggerMessage(1001, LogLevel.Information, "Edge agent {EdgeId} stopped: {Stats}")]
    public static partial void AgentStopped(ILogger logger, string edgeId, EdgeAgentStats stats);

    [LoggerMessage(1002, LogLevel.Information, "Device {DeviceId} ({Model}) at {Connection} unit {UnitId}: {PointCount} points in {RequestCount} reads every {Interval}")]
    public static partial void DevicePlanned(ILogger logger, string deviceId, string model, string connection, int unitId, int pointCount, int requestCount, TimeSpan interval);

    [LoggerMessage(1003, LogLevel.Warning, "Device {DeviceId}: point {PointId} is a String and is not published (telemetry v1 carries numbers)")]
    public static partial void StringPointSkipped(ILogger logger, string deviceId, string pointId);

    [LoggerMessage(1100, LogLevel.Warning, "Device {DeviceId}: reading {Table} {Address}+{Count} failed: {Error}")]
    public static partial void ReadFailed(ILogger logger, string deviceId, PropertyEba.Modbus.ModbusTable table, ushort address, ushort count, string error);

    [LoggerMessage(1101, LogLevel.Debug, "Device {DeviceId}: reading {Table} {Address}+{Count} failed again: {Error}")]
    public static partial void ReadFailedAgain(ILogger logger, string deviceId, PropertyEba.Modbus.ModbusTable table, ushort address, ushort count, string error);

    [LoggerMessage(1102, LogLevel.Warning, "Device {DeviceId}: communication lost after {Failures} failed poll cycles: {Error}")]
    public static partial void CommLost(ILogger logger, string deviceId, int failures, string error);

    [LoggerMessage(1103, LogLevel.Information, "Device {DeviceId}: communication restored")]
    public static partial void CommRestored(ILogger logger, string deviceId);

    [LoggerMessage(1104, LogLevel.Debug, "Device {DeviceId}: point {PointId} decoded to {Value}, which is not a finite number; published as bad")]
    public static partial void NonFiniteValue(ILogger logger, string deviceId, string pointId, double value);

    [LoggerMessage(1105, LogLevel.Warning, "The uplink fell behind: a reading of device {DeviceId} was dropped ({Dropped} so far)")]
    public static partial void ReadingDropped(ILogger logger, string deviceId, long dropped);

    [LoggerMessage(1106, LogLevel.Error, "Device {DeviceId}: the poller failed unexpectedly; it restarts after {Delay}")]
    public static partial void PollerFailed(ILogger logger, Exception exception, string deviceId, TimeSpan delay);

    [LoggerMessage(1200, LogLevel.Information, "Connected to MQTT broker {Host}:{Port} as {ClientId}")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId);

    [LoggerMessage(1201, LogLevel.Warning, "Cannot connect to MQTT broker {Host}:{Port}: {Error}; retrying in {Delay}")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string error, TimeSpan delay);

    [LoggerMessage(1208, LogLevel.Debug, "Still cannot connect to MQTT broker {Host}:{Port} ({Attempts} attempts): {Error}; retrying in {Delay}")]
    public static partial void ConnectFailedAgain(ILogger logger, string host, int port, int attempts, string error, TimeSpan delay);

    [LoggerMessage(1202, LogLevel.Warning, "Lost the connection to the MQTT broker: {Error}; buffering on disk until it is back")]
    public static partial void ConnectionLost(ILogger logger, string error);

    [LoggerMessage(1203, LogLevel.Debug, "Published telemetry batch {Seq} ({SampleCount} samples, replayed {Replayed})")]
    public static partial void BatchPublished(ILogger logger, long seq, int sampleCount, bool replayed);

    [LoggerMessage(1204, LogLevel.Information, "Replaying {Count} buffered messages ({Bytes} bytes) to the broker")]
    public static partial void ReplayStarting(ILogger logger, long count, long bytes);

    [LoggerMessage(1205, LogLevel.Information, "Offline buffer replayed; publishing live again")]
    public static partial void ReplayFinished(ILogger logger);

    [LoggerMessage(1209, LogLevel.Warning, "The broker has not acknowledged for {Waited}; moving {Queued} queued readings to the offline buffer (published from there in order once it acknowledges again)")]
    public static partial void SpillingWhileAwaitingPuback(ILogger logger, int queued, TimeSpan waited);

    [LoggerMessage(1206, LogLevel.Warning, "Could not publish the offline status while stopping: {Error}")]
    public static partial void OfflineStatusFailed(ILogger logger, string error);

    [LoggerMessage(1207, LogLevel.Error, "The broker refused message {Topic}: {Reason}; it is kept in the offline buffer and retried")]
    public static partial void PublishRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(1300, LogLevel.Warning, "Offline buffer full ({MaxBytes} bytes): dropped the oldest {Batches} telemetry batches and {Events} events ({TotalBatches} batches so far)")]
    public static partial void BufferOverflow(ILogger logger, long maxBytes, long batches, long events, long totalBatches);

    [LoggerMessage(1301, LogLevel.Warning, "Offline buffer: {Segment} is damaged at byte {Offset} ({Reason}); the rest of that file is skipped")]
    public static partial void BufferDamaged(ILogger logger, string segment, long offset, string reason);

    [LoggerMessage(1304, LogLevel.Error, "Cannot write the offline buffer ({Error}); the message is lost ({TotalBatches} batches dropped so far)")]
    public static partial void BufferWriteFailed(ILogger logger, string error, long totalBatches);

    [LoggerMessage(1305, LogLevel.Error, "Cannot read the offline buffer ({Error}); its oldest file is given up: {Batches} telemetry batches and {Events} events lost")]
    public static partial void BufferReadFailed(ILogger logger, string error, long batches, long events);

    [LoggerMessage(1302, LogLevel.Information, "Offline buffer opened at {Directory}: {Count} messages ({Bytes} bytes) waiting")]
    public static partial void BufferOpened(ILogger logger, string directory, long count, long bytes);

    [LoggerMessage(1303, LogLevel.Error, "A buffered telemetry batch cannot be read ({Error}); it is skipped and counted as dropped")]
    public static partial void BufferedMessageUnreadable(ILogger logger, string error);

    [LoggerMessage(1306, LogLevel.Warning, "The agent did not stop cleanly: it resumes after the numbers it had reserved, and announces {FromSeq}..{ToSeq} as never used, so the cloud counts no gap for them")]
    public static partial void SequenceResumed(ILogger logger, long fromSeq, long toSeq);

    [LoggerMessage(1307, LogLevel.Warning, "The agent did not stop cleanly and the machine restarted since: batch numbers {FromSeq}..{ToSeq} may have gone to batches lost with the power, so they are not announced and the cloud reports them as a gap")]
    public static partial void SequenceResumedUncertain(ILogger logger, long fromSeq, long toSeq);

    [LoggerMessage(1310, LogLevel.Warning, "Offline buffer: dropped {Batches} telemetry batches and {Events} events buffered more than {MaxAge} ago (Edge:BufferMaxAge; {TotalBatches} batches expired so far)")]
    public static partial void BufferExpired(ILogger logger, TimeSpan maxAge, long batches, long events, long totalBatches);

    [LoggerMessage(1311, LogLevel.Warning, "Offline buffer: flushing to the storage device failed ({Error}); retried at the next append or at stop")]
    public static partial void BufferSyncFailed(ILogger logger, string error);
}
