using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Services;

/// <summary>Callbacks for live changes; any may be null.</summary>
public sealed record LiveSubscription(
    Action<IReadOnlyList<LiveValueDto>>? OnValues = null,
    Action<AlarmDto>? OnAlarm = null,
    Action<TicketDto>? OnTicket = null);

/// <summary>Live changes of values, alarms and tickets, pushed as they happen. Dispose the subscription to stop.</summary>
public interface ILiveFeed
{
    IDisposable Subscribe(LiveSubscription subscription);
}
