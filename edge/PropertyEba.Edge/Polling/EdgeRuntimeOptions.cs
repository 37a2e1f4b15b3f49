namespace PropertyEba.Edge.Polling;

/// <summary>
/// How the agent behaves when devices fail and what it sends (section <c>Edge:Runtime</c>): back-off of lost devices
/// and of reconnections, the parallel limit of TCP polling, and report by exception.
/// </summary>
public sealed class EdgeRuntimeOptions
{
    /// <summary>Longest interval between polls of a lost device (it is polled at 2×, 4×, 8×… its interval, with jitter, up to this).</summary>
    public TimeSpan DeviceMaxBackOff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting a failed connection (TCP endpoint or serial port); doubles, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most Modbus TCP transactions in flight at once over all endpoints (each endpoint still carries one at a time).</summary>
    public int MaxParallelTcp { get; set; } = 16;

    /// <summary>
    /// Report by exception: a point unchanged (within its deadband) is sent again after at most this silence. Null
    /// (the default) sends every point in every cycle.
    /// </summary>
    public TimeSpan? ReportHeartbeat { get; set; }

    /// <summary>Every problem of these options, each naming the setting under <paramref name="section"/>.</summary>
    public static IEnumerable<string> Validate(EdgeRuntimeOptions? options, string section)
    {
        if (options is null)
        {
            yield break;
        }

        if (options.DeviceMaxBackOff < TimeSpan.FromSeconds(1) || options.DeviceMaxBackOff > TimeSpan.FromHours(1))
        {
            yield return $"{section}:DeviceMaxBackOff = {options.DeviceMaxBackOff}: allowed 00:00:01 to 01:00:00";
        }

        if (options.ReconnectDelay < TimeSpan.FromMilliseconds(10) || options.ReconnectDelay > options.MaxReconnectDelay)
        {
            yield return $"{section}:ReconnectDelay = {options.ReconnectDelay}: must be at least 00:00:00.010 and at most MaxReconnectDelay ({options.MaxReconnectDelay})";
        }

        if (options.MaxReconnectDelay > TimeSpan.FromHours(1))
        {
            yield return $"{section}:MaxReconnectDelay = {options.MaxReconnectDelay}: allowed up to 01:00:00";
        }

        if (options.MaxParallelTcp is < 1 or > 1024)
        {
            yield return $"{section}:MaxParallelTcp = {options.MaxParallelTcp}: allowed 1..1024";
        }

        if (options.ReportHeartbeat is { } heartbeat && (heartbeat < TimeSpan.FromSeconds(1) || heartbeat > TimeSpan.FromDays(1)))
        {
            yield return $"{section}:ReportHeartbeat = {heartbeat}: allowed 00:00:01 to 1.00:00:00, or leave it out to send every cycle";
        }
    }
}
