using System.Text.Json;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Keeps the ingestion counters across restarts in <c>{DataDirectory}/ingestion-counters.json</c>: an operator who
/// sees "3 sequence gaps" must still see them after the service restarts. Written every
/// <see cref="SaveInterval"/> and at a clean stop; a crash loses at most that interval of increments, never the
/// counts before it.
/// </summary>
internal sealed partial class IngestionCounterFile(
    IngestionStats stats,
    IOptions<PersistenceOptions> persistence,
    TimeProvider time,
    ILogger<IngestionCounterFile> logger) : BackgroundService
{
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(10);

    private string Path => System.IO.Path.Combine(System.IO.Path.GetFullPath(persistence.Value.DataDirectory), "ingestion-counters.json");

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path))
        {
            try
            {
                await using var file = File.OpenRead(Path);
                if (await JsonSerializer.DeserializeAsync(file, CounterJsonContext.Default.IngestionStatsDto, cancellationToken) is { } saved)
                {
                    stats.Restore(saved);
                    LogRestored(saved.SamplesAccepted, saved.SequenceGaps, saved.MessagesRefused, saved.SamplesDropped);
                }
            }
            catch (JsonException ex)
            {
                // A torn file (power cut during a write of an old version) must not stop the service; counting
                // starts again from zero and the operator is told.
                LogUnreadable(ex, Path);
            }
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SaveInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SaveAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await SaveAsync(cancellationToken);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Written beside and renamed over the old file, so a reader never sees half of one.
            var temp = Path + ".tmp";
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using (var file = File.Create(temp))
            {
                await JsonSerializer.SerializeAsync(file, stats.Snapshot(), CounterJsonContext.Default.IngestionStatsDto, cancellationToken);
            }

            File.Move(temp, Path, overwrite: true);
        }
        catch (IOException ex)
        {
            LogSaveFailed(ex, Path);
        }
        catch (UnauthorizedAccessException ex)
        {
            LogSaveFailed(ex, Path);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingestion counters restored: {SamplesAccepted} samples stored, {SequenceGaps} sequence gaps, {MessagesRefused} refusals, {SamplesDropped} dropped so far")]
    private partial void LogRestored(long samplesAccepted, long sequenceGaps, long messagesRefused, long samplesDropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ingestion counters in {Path} cannot be read; counting starts from zero")]
    private partial void LogUnreadable(Exception ex, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the ingestion counters to {Path}")]
    private partial void LogSaveFailed(Exception ex, string path);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IngestionStatsDto))]
internal sealed partial class CounterJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
