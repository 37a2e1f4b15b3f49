using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Realtime;

/// <summary>
/// Forwards live events to SignalR clients through a bounded queue, so ingestion never waits for the
/// network; when clients cannot keep up the oldest value updates are dropped (and counted), since
/// newer values supersede them; alarms and tickets are never dropped.
/// </summary>
internal sealed partial class LiveHubForwarder(LiveEvents live, IHubContext<LiveHub> hub, ILogger<LiveHubForwarder> logger) : BackgroundService
{
    private readonly Channel<IReadOnlyList<LiveValueDto>> _values = Channel.CreateBounded<IReadOnlyList<LiveValueDto>>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private long _valueBatchesDropped;

    public long ValueBatchesDropped => Interlocked.Read(ref _valueBatchesDropped);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = live.Subscribe(new LiveSubscription(
            OnValues: v =>
            {
                if (!_values.Writer.TryWrite(v))
                {
                    Interlocked.Increment(ref _valueBatchesDropped);
                }
            },
            OnAlarm: a => _events.Writer.TryWrite(a),
            OnTicket: t => _events.Writer.TryWrite(t)));

        await Task.WhenAll(ForwardValuesAsync(stoppingToken), ForwardEventsAsync(stoppingToken));
    }

    private async Task ForwardValuesAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var batch in _values.Reader.ReadAllAsync(ct))
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push {Method} to {Group}")]
    private partial void LogSendFailed(Exception ex, string method, string group);
}
