using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Realtime;

/// <summary>
/// The in-process fan-out of live changes (values, alarms, tickets). The dashboard's circuits and the
/// SignalR hub forwarder subscribe; a slow or failing subscriber is logged and never blocks ingestion.
/// </summary>
public sealed partial class LiveEvents(ILogger<LiveEvents> logger) : ILiveFeed
{
    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = ImmutableSubscribers.Empty;
    private long _subscriberFailures;

    /// <summary>How many times a subscriber threw while handling a change (each is logged).</summary>
    public long SubscriberFailures => Interlocked.Read(ref _subscriberFailures);

    /// <summary>How many subscribers are listening now (hosted services subscribe when they start).</summary>
    internal int SubscriberCount => _subscribers.Items.Length;

    public IDisposable Subscribe(LiveSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Add(subscription);
        }

        return new Unsubscriber(this, subscription);
    }

    public void PublishValues(IReadOnlyList<LiveValueDto> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        foreach (var s in _subscribers.Items)
        {
            Invoke(s.OnValues, values);
        }
    }

    public void PublishAlarm(AlarmDto alarm)
    {
        foreach (var s in _subscribers.Items)
        {
            Invoke(s.OnAlarm, alarm);
        }
    }

    public void PublishTicket(TicketDto ticket)
    {
        foreach (var s in _subscribers.Items)
        {
            Invoke(s.OnTicket, ticket);
        }
    }

    private void Invoke<T>(Action<T>? handler, T item)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(item);
        }
        catch (Exception ex)
        {
            LogSubscriberFailed(ex, Interlocked.Increment(ref _subscriberFailures));
        }
    }

    private void Remove(LiveSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(subscription);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-update subscriber failed; the update was skipped for it (failures so far: {FailuresTotal})")]
    private partial void LogSubscriberFailed(Exception ex, long failuresTotal);

    // Copy-on-write list: publishing iterates a snapshot without locks.
    private sealed record ImmutableSubscribers(LiveSubscription[] Items)
    {
        public static readonly ImmutableSubscribers Empty = new([]);

        public ImmutableSubscribers Add(LiveSubscription s) => new([.. Items, s]);

        public ImmutableSubscribers Remove(LiveSubscription s) => new(Array.FindAll(Items, x => !ReferenceEquals(x, s)));
    }

    private sealed class Unsubscriber(LiveEvents owner, LiveSubscription subscription) : IDisposable
    {
        public void Dispose() => owner.Remove(subscription);
    }
}
