namespace PropertyEba.Modbus;

/// <summary>
/// One reusable timeout per transport, linked to the caller's token without allocating per
/// transaction (a linked token source would cost two objects each time).
/// </summary>
internal sealed class TransactionDeadline : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private CancellationTokenSource _cts;
    private CancellationTokenRegistration _callerRegistration;

    public TransactionDeadline(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
    }

    /// <summary>Arms the deadline; the token fires when it passes or when the caller cancels.</summary>
    public CancellationToken Start(TimeSpan timeout, CancellationToken callerToken)
    {
        if (!_cts.TryReset())
        {
            _cts.Dispose();
            _cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        }

        _cts.CancelAfter(timeout);
        _callerRegistration = callerToken.CanBeCanceled
            ? callerToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _cts)
            : default;
        return _cts.Token;
    }

    /// <summary>Disarms the deadline after the transaction ended.</summary>
    public void Stop()
    {
        _callerRegistration.Dispose();
        _callerRegistration = default;
        _cts.CancelAfter(Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _callerRegistration.Dispose();
        _cts.Dispose();
    }
}
