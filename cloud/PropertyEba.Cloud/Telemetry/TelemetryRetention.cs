using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Telemetry;

/// <summary>Section <c>Telemetry:Retention</c>: how long raw samples are kept, by default and per tenant. Hourly rollups are kept for ever.</summary>
public sealed class TelemetryRetentionOptions
{
    public const string SectionName = "Telemetry:Retention";

    /// <summary>Days raw samples are kept (after their day is rolled up); 0 keeps them for ever.</summary>
    public int RawDays { get; set; } = 90;

    /// <summary>Per-tenant overrides of <see cref="RawDays"/>, by tenant id.</summary>
    public Dictionary<string, int> TenantRawDays { get; set; } = [];

    /// <summary>How often rollups and retention run.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int RawDaysOf(string tenantId) => TenantRawDays.TryGetValue(tenantId, out var days) ? days : RawDays;
}

internal sealed class TelemetryRetentionOptionsValidator : IValidateOptions<TelemetryRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryRetentionOptions options)
    {
        var failures = new List<string>();
        if (options.RawDays is < 0 or > 36_500)
        {
            failures.Add($"{TelemetryRetentionOptions.SectionName}:RawDays is {options.RawDays}; allowed 0 (for ever) or 1..36500.");
        }

        foreach (var (tenant, days) in options.TenantRawDays.Where(t => t.Value is < 0 or > 36_500))
        {
            failures.Add($"{TelemetryRetentionOptions.SectionName}:TenantRawDays:{tenant} is {days}; allowed 0 (for ever) or 1..36500.");
        }

        if (options.Interval < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{TelemetryRetentionOptions.SectionName}:Interval is {options.Interval}; at least 00:01:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Downsampling and retention on a timer (TimeProvider, so tests can drive it): every interval, the day-file engine
/// rolls up every finished UTC day into hourly aggregates, then drops the raw samples each tenant no longer keeps.
/// A hosted service rather than a Quartz job: one job, one schedule, no persistence of its own needed (the watermark
/// lives with the data). Engines with their own retention (InfluxDB retention policies) are left alone.
/// </summary>
public sealed partial class TelemetryRetentionService(ITelemetryStore store, IOptions<TelemetryRetentionOptions> options, TimeProvider time, ILogger<TelemetryRetentionService> logger) : BackgroundService
{
    /// <summary>One round: roll up through yesterday (UTC), then apply retention; returns (days rolled up, samples dropped).</summary>
    public async Task<(int RolledUp, long Dropped)> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (store is not EmbeddedTelemetryStore days)
        {
            return (0, 0);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var rolled = await days.RollUpAsync(today.AddDays(-1), cancellationToken);
        var o = options.Value;
        var dropped = await days.DeleteExpiredRawAsync(t => o.RawDaysOf(t) is var d && d == 0 ? 36_500 : d, today, cancellationToken);
        if (rolled > 0 || dropped > 0)
        {
            LogRound(rolled, dropped);
        }

        return (rolled, dropped);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Raw samples stay until a round succeeds: nothing is lost by waiting.
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telemetry rollup and retention: {RolledUp} days rolled up to hourly aggregates, {Dropped} expired raw samples dropped")]
    private partial void LogRound(int rolledUp, long dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry rollup or retention failed; raw samples are kept and the next round tries again")]
    private partial void LogFailed(Exception exception);
}
