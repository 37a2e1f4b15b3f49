namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Once a second, on the <see cref="TimeProvider"/>: lets the <see cref="AlarmEngine"/> judge the conditions whose wait
/// ran out without a further sample, and the <see cref="AlarmService"/> bring back alarms whose shelving ended and
/// re-announce those past their re-alarm time.
/// </summary>
internal sealed partial class AlarmOnDelayTimer(AlarmEngine engine, AlarmService alarms, TimeProvider time, ILogger<AlarmOnDelayTimer> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await engine.RaiseDueAsync(stoppingToken);
                    await alarms.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The waiting alarms stay waiting; the next tick tries again.
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Judging alarms whose wait ran out (delays, shelving, re-alarm) failed; trying again in a second")]
    private partial void LogFailed(Exception ex);
}
