using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Services;

/// <summary>
/// What the dashboard reads and does; implemented by the cloud over its stores, as the signed-in person: another
/// tenant's id answers nothing.
/// </summary>
public interface IDashboardQueries
{
    Task<IReadOnlyList<SiteDto>> GetSitesAsync(string tenantId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceDto>> GetDevicesAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlarmDto>> GetAlarmsAsync(string tenantId, bool activeOnly, CancellationToken cancellationToken);

    Task<IReadOnlyList<TicketDto>> GetTicketsAsync(string tenantId, bool openOnly, CancellationToken cancellationToken);

    /// <summary>Acknowledges as the signed-in person.</summary>
    Task<AlarmDto?> AcknowledgeAlarmAsync(string tenantId, long alarmId, CancellationToken cancellationToken);

    /// <summary>Shelves an alarm for <paramref name="minutes"/> with a reason; the error says why not (null alarm and error: not allowed or not found).</summary>
    Task<(AlarmDto? Alarm, string? Error)> ShelveAlarmAsync(string tenantId, long alarmId, int minutes, string reason, CancellationToken cancellationToken);

    Task<(AlarmDto? Alarm, string? Error)> UnshelveAlarmAsync(string tenantId, long alarmId, CancellationToken cancellationToken);

    /// <summary>Resets a latched alarm whose condition has cleared.</summary>
    Task<(AlarmDto? Alarm, string? Error)> ResetAlarmAsync(string tenantId, long alarmId, CancellationToken cancellationToken);
    /// <summary>Sends a command to a writable point (administrators and engineers; others get null); the command, pending or how it ended.</summary>
    Task<CommandDto?> SendCommandAsync(string tenantId, string siteId, string deviceId, string pointId, double value, CancellationToken cancellationToken);

    /// <summary>A command sent earlier, with its outcome so far.</summary>
    Task<CommandDto?> GetCommandAsync(string tenantId, string siteId, string deviceId, string commandId, CancellationToken cancellationToken);
}
