using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Services;

/// <summary>What the dashboard reads and does; implemented by the cloud over its stores.</summary>
public interface IDashboardQueries
{
    Task<IReadOnlyList<SiteDto>> GetSitesAsync(string tenantId, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceDto>> GetDevicesAsync(string tenantId, string siteId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AlarmDto>> GetAlarmsAsync(string tenantId, bool activeOnly, CancellationToken cancellationToken);

    Task<IReadOnlyList<TicketDto>> GetTicketsAsync(string tenantId, bool openOnly, CancellationToken cancellationToken);

    Task<AlarmDto?> AcknowledgeAlarmAsync(string tenantId, long alarmId, string by, CancellationToken cancellationToken);
}

/// <summary>Which tenant the dashboard shows until sign-in chooses it (Identity is a later feature).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public string TenantId { get; set; } = "demo";
}
