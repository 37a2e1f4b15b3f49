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
        using var subscription = live.Subscribe(LiveAudience.Everything, new LiveSubscription(
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
                // Each site's values go to the tenant's group and to the site's (users limited to some sites).
                foreach (var site in batch.GroupBy(v => (v.TenantId, v.SiteId)))
                {
                    var siteValues = site.ToArray();
                    await SendSafelyAsync([LiveHub.TenantGroup(site.Key.TenantId), LiveHub.SiteGroup(site.Key.TenantId, site.Key.SiteId)], "values", siteValues, ct);
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
                    case AlarmDto a: await SendSafelyAsync([LiveHub.TenantGroup(a.TenantId), LiveHub.SiteGroup(a.TenantId, a.SiteId)], "alarm", a, ct); break;
                    case TicketDto t: await SendSafelyAsync([LiveHub.TenantGroup(t.TenantId), LiveHub.SiteGroup(t.TenantId, t.SiteId)], "ticket", t, ct); break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    // One send to both groups: a connection in both (none today) would still get the message once.
    private async Task SendSafelyAsync(string[] groups, string method, object payload, CancellationToken ct)
    {
        try
        {
            await hub.Clients.Groups(groups).SendAsync(method, payload, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(ex, method, string.Join(", ", groups));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live {Kind} change not pushed to hub clients: the queue of {Capacity} is full (dropped so far: {DroppedTotal})")]
    private partial void LogEventDropped(string kind, int capacity, long droppedTotal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Method} to {Group}")]
    private partial void LogSendFailed(Exception ex, string method, string group);
}
