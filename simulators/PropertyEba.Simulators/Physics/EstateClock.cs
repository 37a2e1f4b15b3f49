namespace PropertyEba.Simulators.Physics;

/// <summary>
/// Turns the passing of real time (from a <see cref="TimeProvider"/>, so tests can fake it) into
/// simulated time: every tick it reports how much simulated time passed since the last one, at the
/// configured speed. A tick that is still running when the next is due is not overlapped.
/// </summary>
internal sealed class EstateClock : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly double _speed;
    private readonly TimeSpan _interval;
    private readonly Action<TimeSpan> _onTick;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private long _last;

    public EstateClock(TimeProvider timeProvider, double speed, TimeSpan interval, Action<TimeSpan> onTick)
    {
        _timeProvider = timeProvider;
        _speed = speed;
        _interval = interval;
        _onTick = onTick;
    }

    public void Start()
    {
        _last = _timeProvider.GetTimestamp();
        _timer = _timeProvider.CreateTimer(_ => Tick(), null, _interval, _interval);
    }

    private void Tick()
    {
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            var now = _timeProvider.GetTimestamp();
            var real = _timeProvider.GetElapsedTime(_last, now);
            _last = now;

            // A process paused for minutes (debugger, suspended VM) resumes with at most ten ticks' worth.
            if (real > _interval * 10)
            {
                real = _interval * 10;
            }

            _onTick(real * _speed);
        }
        finally
        {
            _gate.Exit();
        }
    }

    public void Dispose() => _timer?.Dispose();
}
