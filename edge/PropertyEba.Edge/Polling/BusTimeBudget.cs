using System.Collections.Immutable;
using System.IO.Ports;

namespace PropertyEba.Edge.Polling;

/// <summary>The bus time one serial line's configured polling needs, against what its line rate allows.</summary>
/// <param name="Line">The line, as in messages.</param>
/// <param name="CycleTimePerSecond">Seconds of bus time the devices' polling needs per second of wall time.</param>
/// <param name="Utilisation">The same as a share of the bus (1.0: all of it).</param>
internal sealed record BusTimeEstimate(string Line, TimeSpan CycleTimePerSecond, double Utilisation)
{
    /// <summary>
    /// Above this share the polling does not fit: retries, a slow device and the agent's own scheduling need headroom,
    /// and a bus at 100 % on paper misses cycles in practice.
    /// </summary>
    public const double MaxUtilisation = 0.8;

    /// <summary>Whether the polling fits the bus time the line allows.</summary>
    public bool Fits => Utilisation <= MaxUtilisation;
}

/// <summary>
/// Estimates the bus time of Modbus RTU polling from the line rate. A transaction costs its request and reply frames
/// on the wire (bits per character × bytes / baud), the 3.5-character silence that ends each frame, and the
/// device's turnaround (the time it takes to start answering), for which there is no way to know but to assume.
/// </summary>
internal static class BusTimeBudget
{
    /// <summary>Assumed time a slave takes to start its reply; typical RTU devices answer within 5–50 ms.</summary>
    public static readonly TimeSpan AssumedTurnaround = TimeSpan.FromMilliseconds(20);

    /// <summary>Bus time of one transaction reading <paramref name="request"/> on the given line.</summary>
    public static TimeSpan Transaction(ReadRequest request, int baudRate, int dataBits, Parity parity, StopBits stopBits)
    {
        var stop = stopBits switch
        {
            StopBits.OnePointFive => 1.5,
            StopBits.Two => 2.0,
            _ => 1.0,
        };
        var bitsPerChar = 1 + dataBits + (parity == Parity.None ? 0 : 1) + stop;
        var charTime = bitsPerChar / baudRate;

        // Serial Line v1.02 §2.5.1.1: above 19200 baud the silence is fixed at 1.75 ms.
        var t35 = baudRate > 19200 ? 0.00175 : 3.5 * charTime;

        // Request: address, function, start (2), count (2), CRC (2). Reply: address, function, byte count, data, CRC (2).
        const int requestBytes = 8;
        var dataBytes = request.IsBitRead ? (request.Count + 7) / 8 : request.Count * 2;
        var replyBytes = 5 + dataBytes;
        var seconds = ((requestBytes + replyBytes) * charTime) + (2 * t35) + AssumedTurnaround.TotalSeconds;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The estimate for one line and the devices polled on it.</summary>
    /// <param name="line">The line's description.</param>
    /// <param name="settings">Line settings (any device of the line).</param>
    /// <param name="devices">Each device's planned reads and poll interval.</param>
    public static BusTimeEstimate Estimate(string line, EdgeDeviceOptions settings, IEnumerable<(ImmutableArray<ReadRequest> Plan, TimeSpan Interval)> devices)
    {
        var perSecond = 0.0;
        foreach (var (plan, interval) in devices)
        {
            var cycle = plan.Sum(r => Transaction(r, settings.BaudRate, settings.DataBits, settings.Parity, settings.StopBits).TotalSeconds);
            perSecond += cycle / interval.TotalSeconds;
        }

        return new BusTimeEstimate(line, TimeSpan.FromSeconds(perSecond), perSecond);
    }
}
