using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Realtime;

/// <summary>
/// The in-process fan-out of live changes (values, alarms, tickets). The dashboard's circuits and the
/// SignalR hub forwarder subscribe; a slow or failing subscriber is logged and never blocks ingestion.
/// </summary>
public sealed partial class LiveEvents(ILogger<LiveEvents> logger)
{
    private readonly Lock _gate = new();
    private ImmutableSubscribers _subscribers = ImmutableSubscribers.Empty;
    private long _subscriberFailures;

    /// <summary>How many times a subscriber threw while handling a change (each is logged).</summary>
    public long SubscriberFailures => Interlocked.Read(ref _subscriberFailures);

    /// <summary>How many subscribers are listening now (hosted services subscribe when they start).</summary>
    internal int SubscriberCount => _subscribers.Items.Length;

    /// <summary>Delivers to <paramref name="subscription"/> only what <paramref name="audience"/> may see.</summary>
    public IDisposable Subscribe(LiveAudience audience, LiveSubscription subscription)
    {
        var filtered = new Subscriber(audience, subscription);
        lock (_gate)
        {
            _subscribers = _subscribers.Add(filtered);
        }

        return new Unsubscriber(this, filtered);
    }

    public void PublishValues(IReadOnlyList<LiveValueDto> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        foreach (var s in _subscribers.Items)
        {
            if (s.Audience.SeesEverything)
            {
                Invoke(s.Subscription.OnValues, values);
            }
            else if (s.Subscription.OnValues is not null)
            {
                // Filtered here, once per subscriber, so no page ever holds another tenant's values.
                var visible = values.Where(v => s.Audience.Sees(v.TenantId, v.SiteId)).ToList();
                if (visible.Count > 0)
                {
                    Invoke(s.Subscription.OnValues, visible);
                }
            }
        }
    }

    public void PublishAlarm(AlarmDto alarm)
    {
        foreach (var s in _subscribers.Items)
        {
            if (s.Audience.Sees(alarm.TenantId, alarm.SiteId))
            {
                Invoke(s.Subscription.OnAlarm, alarm);
            }
        }
    }

    public void PublishTicket(TicketDto ticket)
    {
        foreach (var s in _subscribers.Items)
        {
            if (s.Audience.Sees(ticket.TenantId, ticket.SiteId))
            {
                Invoke(s.Subscription.OnTicket, ticket);
            }
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

    private void Remove(Subscriber subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Remove(subscription);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live-update subscriber failed; the update was skipped for it (failures so far: {FailuresTotal})")]
    private partial void LogSubscriberFailed(Exception ex, long failuresTotal);

    // Copy-on-write list: publishing iterates a snapshot without locks.
    private sealed record ImmutableSubscribers(Subscriber[] Items)
    {
        public static readonly ImmutableSubscribers Empty = new([]);

        public ImmutableSubscribers Add(Subscriber s) => new([.. Items, s]);

        public ImmutableSubscribers Remove(Subscriber s) => new(Array.FindAll(Items, x => !ReferenceEquals(x, s)));
    }

    private sealed class Subscriber(LiveAudience audience, LiveSubscription subscription)
    {
        public LiveAudience Audience { get; } = audience;

        public LiveSubscription Subscription { get; } = subscription;
    }

    private sealed class Unsubscriber(LiveEvents owner, Subscriber subscription) : IDisposable
    {
        public void Dispose() => owner.Remove(subscription);
    }
}
