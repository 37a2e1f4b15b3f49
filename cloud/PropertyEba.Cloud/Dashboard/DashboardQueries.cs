using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>The cloud's side of the dashboard's <see cref="IDashboardQueries"/>: the same services the REST API uses.</summary>
internal sealed class DashboardQueries(AssetQueries assets, AlarmService alarms, TicketService tickets) : IDashboardQueries
{
    public Task<IReadOnlyList<SiteDto>> GetSitesAsync(string tenantId, CancellationToken cancellationToken) => assets.GetSitesAsync(tenantId, cancellationToken);

    public Task<IReadOnlyList<DeviceDto>> GetDevicesAsync(string tenantId, string siteId, CancellationToken cancellationToken) => assets.GetDevicesAsync(tenantId, siteId, cancellationToken);

    public Task<IReadOnlyList<AlarmDto>> GetAlarmsAsync(string tenantId, bool activeOnly, CancellationToken cancellationToken) => alarms.ListAsync(tenantId, activeOnly, 200, cancellationToken);

    public Task<IReadOnlyList<TicketDto>> GetTicketsAsync(string tenantId, bool openOnly, CancellationToken cancellationToken) => tickets.ListAsync(tenantId, openOnly, 200, cancellationToken);

    public Task<AlarmDto?> AcknowledgeAlarmAsync(string tenantId, long alarmId, string by, CancellationToken cancellationToken) => alarms.AcknowledgeAsync(tenantId, alarmId, by, cancellationToken);
}
