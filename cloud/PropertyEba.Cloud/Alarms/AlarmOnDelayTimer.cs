namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// Once a second, lets the <see cref="AlarmEngine"/> raise the alarms whose on-delay ran out without a further sample.
/// </summary>
internal sealed partial class AlarmOnDelayTimer(AlarmEngine engine, TimeProvider time, ILogger<AlarmOnDelayTimer> logger) : BackgroundService
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Raising alarms whose on-delay ran out failed; trying again in a second")]
    private partial void LogFailed(Exception ex);
}
