using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Edge.Health;

/// <summary>How one Modbus transaction ended.</summary>
internal enum TransactionOutcome
{
    /// <summary>A normal reply.</summary>
    Answered,

    /// <summary>An exception reply (the device answered, refusing).</summary>
    ExceptionReply,

    /// <summary>No reply in time.</summary>
    Timeout,

    /// <summary>A garbled reply (CRC, framing).</summary>
    Garbled,

    /// <summary>No connection (cannot connect or open, closed, or the reconnect is backing off).</summary>
    ConnectionFailed,
}

/// <summary>
/// Thread-safe transaction counters and a window of recent response times (for the 95th percentile) of one port or
/// one device. Fixed-size: health must never be a source of memory growth on a Pi that runs for years.
/// </summary>
internal sealed class CommStats
{
    private const int Window = 256;
    private readonly object _sync = new();
    private readonly double[] _responseMs = new double[Window];
    private int _count;
    private int _next;
    private long _requests;
    private long _timeouts;
    private long _garbled;
    private long _exceptions;
    private long _connectionErrors;

    public void Record(TransactionOutcome outcome, TimeSpan elapsed)
    {
        lock (_sync)
        {
            _requests++;
            switch (outcome)
            {
                case TransactionOutcome.Timeout:
                    _timeouts++;
                    return;
                case TransactionOutcome.Garbled:
                    _garbled++;
                    return;
                case TransactionOutcome.ConnectionFailed:
                    _connectionErrors++;
                    return;
                case TransactionOutcome.ExceptionReply:
                    _exceptions++;
                    break;
            }

            // Answered, normally or with an exception: the device's response time.
            _responseMs[_next] = elapsed.TotalMilliseconds;
            _next = (_next + 1) % Window;
            _count = Math.Min(_count + 1, Window);
        }
    }

    public long Requests
    {
        get
        {
            lock (_sync)
            {
                return _requests;
            }
        }
    }

    /// <summary>Copies the counters into a health record.</summary>
    public T Fill<T>(T record)
        where T : CommCounters
    {
        lock (_sync)
        {
            double? p95 = null;
            if (_count > 0)
            {
                var sorted = _responseMs[.._count];
                Array.Sort(sorted);
                p95 = Math.Round(sorted[Math.Min(_count - 1, (int)Math.Ceiling(0.95 * _count) - 1)], 2);
            }

            return record with
            {
                Requests = _requests,
                Timeouts = _timeouts,
                CrcErrors = _garbled,
                ExceptionReplies = _exceptions,
                ConnectionErrors = _connectionErrors,
                P95ResponseMs = p95,
            };
        }
    }
}
