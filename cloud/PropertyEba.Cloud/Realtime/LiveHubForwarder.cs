using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Realtime;

/// <summary>
/// Forwards live events to SignalR clients through bounded queues, so ingestion never waits for the
/// network. When clients cannot keep up the oldest value updates are dropped (and counted), since
/// newer values supersede them. Alarm and ticket changes get a much deeper queue; only if that fills
/// (the hub stalled for thousands of changes) is a change dropped, counted and logged, because
/// memory must not grow without a cap.
/// </summary>
internal sealed partial class LiveHubForwarder(LiveEvents live, IHubContext<LiveHub> hub, ILogger<LiveHubForwarder> logger) : BackgroundService
{
    /// <summary>Value batches that may wait for the hub before the oldest is dropped.</summary>
    public const int ValueCapacity = 1024;

    /// <summary>Alarm and ticket changes that may wait for the hub before new ones are dropped.</summary>
    public const int EventCapacity = 10_000;

    private readonly Channel<object> _events = Channel.CreateBounded<object>(
        new BoundedChannelOptions(EventCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private long _valueBatchesDropped;
    private long _eventsDropped;

    public long ValueBatchesDropped => Interlocked.Read(ref _valueBatchesDropped);

    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In DropOldest mode TryWrite always succeeds; only the channel's itemDropped callback sees
        // an eviction, so that is where drops are counted.
        var values = Channel.CreateBounded<IReadOnlyList<LiveValueDto>>(
            new BoundedChannelOptions(ValueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _valueBatchesDropped));
        using var subscription = live.Subscribe(new LiveSubscription(
            OnValues: v => values.Writer.TryWrite(v),
            OnAlarm: a => Enqueue(a, "alarm"),
            OnTicket: t => Enqueue(t, "ticket")));

        await Task.WhenAll(ForwardValuesAsync(values.Reader, stoppingToken), ForwardEventsAsync(stoppingToken));
    }

    // Called on the ingestion path: never waits. A full queue (Wait mode makes TryWrite refuse
    // rather than evict) drops the newest change, counted and logged.
    private void Enqueue(object change, string kind)
    {
        if (!_events.Writer.TryWrite(change))
        {
            LogEventDropped(kind, EventCapacity, Interlocked.Increment(ref _eventsDropped));
        }
    }

    private async Task ForwardValuesAsync(ChannelReader<IReadOnlyList<LiveValueDto>> values, CancellationToken ct)
    {
        try
        {
            await foreach (var batch in values.ReadAllAsync(ct))
            {
                foreach (var group in batch.GroupBy(v => v.TenantId))
                {
                    await SendSafelyAsync(LiveHub.GroupOf(group.Key), "values", group.ToArray(), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task ForwardEventsAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var item in _events.Reader.ReadAllAsync(ct))
            {
                switch (item)
                {
                    case AlarmDto a: await SendSafelyAsync(LiveHub.GroupOf(a.TenantId), "alarm", a, ct); break;
                    case TicketDto t: await SendSafelyAsync(LiveHub.GroupOf(t.TenantId), "ticket", t, ct); break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task SendSafelyAsync(string group, string method, object payload, CancellationToken ct)
    {
        try
        {
            await hub.Clients.Group(group).SendAsync(method, payload, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(ex, method, group);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live {Kind} change not pushed to hub clients: the queue of {Capacity} is full (dropped so far: {DroppedTotal})")]
    private partial void LogEventDropped(string kind, int capacity, long droppedTotal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Method} to {Group}")]
    private partial void LogSendFailed(Exception ex, string method, string group);
}
