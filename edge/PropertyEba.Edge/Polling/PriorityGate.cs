namespace PropertyEba.Edge.Polling;

/// <summary>
/// An async lock whose waiters enter by priority (highest first), then in arrival order. One per Modbus connection:
/// a bus carries one transaction at a time, and when a fire panel and a meter both wait for it, the fire panel goes
/// first. A cancelled waiter leaves the queue without taking the lock.
/// </summary>
internal sealed class PriorityGate
{
    private readonly object _sync = new();
    private readonly PriorityQueue<TaskCompletionSource, (int NegPriority, long Order)> _waiters = new();
    private long _arrivals;
    private bool _held;

    /// <summary>Waits for the gate; dispose the result to leave it.</summary>
    public async ValueTask<Releaser> EnterAsync(int priority, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return new Releaser(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, (-priority, _arrivals++));
        }

        using (cancellationToken.Register(static w => ((TaskCompletionSource)w!).TrySetCanceled(), waiter))
        {
            try
            {
                await waiter.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Cancelled before it was handed the gate: Release skips cancelled waiters. If the hand-over won the
                // race (the task completed), the await would not have thrown, so there is nothing to give back here.
                throw new OperationCanceledException(cancellationToken);
            }
        }

        return new Releaser(this);
    }

    /// <summary>Number of callers waiting (for tests and health).</summary>
    public int Waiting
    {
        get
        {
            lock (_sync)
            {
                return _waiters.Count;
            }
        }
    }

    private void Release()
    {
        lock (_sync)
        {
            while (_waiters.TryDequeue(out var next, out _))
            {
                // A waiter cancelled meanwhile cannot take the gate; hand it to the next one.
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _held = false;
        }
    }

    /// <summary>Leaves the gate when disposed.</summary>
    public readonly struct Releaser(PriorityGate gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
