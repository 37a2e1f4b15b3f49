namespace PropertyEba.Modbus;

/// <summary>
/// One reusable timeout per transport, linked to the caller's token. Re-arming a timer for every
/// transaction would wake the runtime's timer thread twice per transaction (a context switch each on a
/// small machine); instead the timer stays armed across transactions and, when it fires, either cancels
/// the transaction still running past its deadline or re-arms itself for the current one.
/// </summary>
internal sealed class TransactionDeadline : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private CancellationTokenSource _cts = new();
    private CancellationTokenRegistration _callerRegistration;
    private long _deadline;
    private bool _active;
    private bool _armed;

    public TransactionDeadline(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((TransactionDeadline)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Arms the deadline; the token fires when it passes or when the caller cancels.</summary>
    public CancellationToken Start(TimeSpan timeout, CancellationToken callerToken)
    {
        CancellationTokenSource cts;
        lock (_lock)
        {
            if (_cts.IsCancellationRequested)
            {
                _cts.Dispose();
                _cts = new CancellationTokenSource();
            }

            cts = _cts;
            _deadline = _timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * _timeProvider.TimestampFrequency);
            _active = true;
            if (!_armed)
            {
                _armed = true;
                _timer.Change(timeout, Timeout.InfiniteTimeSpan);
            }
        }

        _callerRegistration = callerToken.CanBeCanceled
            ? callerToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), cts)
            : default;
        return cts.Token;
    }

    /// <summary>Ends the transaction; the timer is left as it is and goes idle when it next fires.</summary>
    public void Stop()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        lock (_lock)
        {
            _active = false;
        }
    }

    public void Dispose()
    {
        _callerRegistration.Dispose();
        _timer.Dispose();
        _cts.Dispose();
    }

    private void OnTimer()
    {
        CancellationTokenSource? expired = null;
        lock (_lock)
        {
            _armed = false;
            if (!_active)
            {
                return;
            }

            var remaining = _deadline - _timeProvider.GetTimestamp();
            if (remaining <= 0)
            {
                expired = _cts;
            }
            else
            {
                _armed = true;
                _timer.Change(TimeSpan.FromSeconds((double)remaining / _timeProvider.TimestampFrequency), Timeout.InfiniteTimeSpan);
            }
        }

        expired?.Cancel();
    }
}
