namespace PropertyEba.Edge.Polling;

/// <summary>
/// Exponential back-off with jitter: the n-th delay is <c>first × 2^(n-1)</c>, capped at <c>max</c>, then spread
/// by ±<see cref="JitterFraction"/> so that devices (or connections) that failed together do not retry in step.
/// Pure: the random source is given, so tests can pin it.
/// </summary>
internal sealed class BackOff
{
    /// <summary>How far a delay is spread either way (0.2: between 80 % and 120 % of the nominal delay).</summary>
    public const double JitterFraction = 0.2;

    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private readonly Random _random;

    public BackOff(TimeSpan first, TimeSpan max, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        _first = first;
        _max = max;
        _random = random;
    }

    /// <summary>Failures in a row so far (0: not backing off).</summary>
    public int Failures { get; private set; }

    /// <summary>Counts one more failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan Fail()
    {
        Failures++;
        return Delay(Failures);
    }

    /// <summary>An attempt succeeded: the next failure starts again at the first delay.</summary>
    public void Reset() => Failures = 0;

    /// <summary>The delay after <paramref name="failures"/> failures in a row (at least 1), with jitter.</summary>
    public TimeSpan Delay(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);

        // 2^30 × any first delay is past every sensible cap; stop doubling there rather than overflow.
        var nominal = Math.Min(_first.Ticks * Math.Pow(2, Math.Min(failures - 1, 30)), _max.Ticks);
        var jitter = 1 + (((_random.NextDouble() * 2) - 1) * JitterFraction);
        return TimeSpan.FromTicks((long)Math.Min(nominal * jitter, _max.Ticks * (1 + JitterFraction)));
    }
}
