namespace PropertyEba.Simulators.Physics;

/// <summary>
/// Turns the passing of real time (from a <see cref="TimeProvider"/>, so tests can fake it) into
/// simulated time: every tick it reports how much simulated time passed since the last one (real time
/// measured, times the speed). A tick that is still running when the next is due is not overlapped.
/// </summary>
internal sealed class EstateClock : IDisposable
{
    private static readonly TimeSpan MaxCatchUp = TimeSpan.FromHours(1);
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

            // Measured, not assumed, so late ticks do not slow simulated time. A process paused for long
            // (debugger, suspended VM) catches up at most an hour.
            if (real > MaxCatchUp)
            {
                real = MaxCatchUp;
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
