using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Overview;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Dashboard;

/// <summary>
/// The cloud's side of the dashboard's <see cref="IDashboardQueries"/>: the same services the REST API uses, each
/// call run as the session's signed-in person. Live changes reach a page on the ingestion thread, outside any
/// request, so the caller is entered here on every call rather than trusted to flow from somewhere.
/// </summary>
internal sealed class DashboardQueries(AssetQueries assets, AlarmService alarms, TicketService tickets, Commands.EdgeCommands commands, CircuitCaller circuit, CallerAccessor callers) : IDashboardQueries
{
    public Task<IReadOnlyList<SiteDto>> GetSitesAsync(string tenantId, CancellationToken cancellationToken) =>
        AsCaller(tenantId, () => assets.GetSitesAsync(tenantId, cancellationToken), []);

    public Task<IReadOnlyList<DeviceDto>> GetDevicesAsync(string tenantId, string siteId, CancellationToken cancellationToken) =>
        AsCaller(tenantId, () => assets.GetDevicesAsync(tenantId, siteId, cancellationToken), []);

    public Task<IReadOnlyList<AlarmDto>> GetAlarmsAsync(string tenantId, bool activeOnly, CancellationToken cancellationToken) =>
        AsCaller(tenantId, () => alarms.ListAsync(tenantId, activeOnly, 200, cancellationToken), []);

    public Task<IReadOnlyList<TicketDto>> GetTicketsAsync(string tenantId, bool openOnly, CancellationToken cancellationToken) =>
        AsCaller(tenantId, () => tickets.ListAsync(tenantId, openOnly, 200, cancellationToken), []);

    public Task<AlarmDto?> AcknowledgeAlarmAsync(string tenantId, long alarmId, CancellationToken cancellationToken) =>
        circuit.Caller.Roles.Overlaps([Roles.Administrator, Roles.Engineer, Roles.Technician])
            ? AsCaller(tenantId, () => alarms.AcknowledgeAsync(tenantId, alarmId, null, cancellationToken), null)
            : Task.FromResult<AlarmDto?>(null);

    public Task<(AlarmDto? Alarm, string? Error)> ShelveAlarmAsync(string tenantId, long alarmId, int minutes, string reason, CancellationToken cancellationToken) =>
        AsOperator(tenantId, () => alarms.ShelveAsync(tenantId, alarmId, TimeSpan.FromMinutes(minutes), reason, cancellationToken));

    public Task<(AlarmDto? Alarm, string? Error)> UnshelveAlarmAsync(string tenantId, long alarmId, CancellationToken cancellationToken) =>
        AsOperator(tenantId, () => alarms.UnshelveAsync(tenantId, alarmId, cancellationToken));

    public Task<(AlarmDto? Alarm, string? Error)> ResetAlarmAsync(string tenantId, long alarmId, CancellationToken cancellationToken) =>
        AsOperator(tenantId, () => alarms.ResetAsync(tenantId, alarmId, cancellationToken));

    // The roles of Policies.OperateAlarms, as the API's alarm actions.
    private Task<(AlarmDto? Alarm, string? Error)> AsOperator(string tenantId, Func<Task<(AlarmDto?, string?)>> action) =>
        circuit.Caller.Roles.Overlaps([Roles.Administrator, Roles.Engineer, Roles.Technician])
            ? AsCaller(tenantId, action, ((AlarmDto?)null, (string?)null))
            : Task.FromResult<(AlarmDto?, string?)>((null, null));
    public Task<CommandDto?> SendCommandAsync(string tenantId, string siteId, string deviceId, string pointId, double value, CancellationToken cancellationToken) =>
        circuit.Caller.Roles.Overlaps([Roles.Administrator, Roles.Engineer])
            ? AsCaller(tenantId, async () => (await commands.SendAsync(tenantId, siteId, deviceId, new SendCommandRequest(pointId, value), cancellationToken)) switch
            {
                ({ } sent, _) => sent,

                // Refused before it left (a point the profile does not mark writable): shown as a rejection.
                (_, { } problem) => new CommandDto("", siteId, "", deviceId, pointId, value, CommandState.Rejected, problem.Detail, null, null, "", DateTimeOffset.MinValue, DateTimeOffset.MinValue, null),
                _ => null,
            }, null)
            : Task.FromResult<CommandDto?>(null);

    public Task<CommandDto?> GetCommandAsync(string tenantId, string siteId, string deviceId, string commandId, CancellationToken cancellationToken) =>
        AsCaller(tenantId, () => Task.FromResult(commands.Get(tenantId, siteId, deviceId, commandId)), null);

    private async Task<T> AsCaller<T>(string tenantId, Func<Task<T>> query, T nothing)
    {
        var caller = circuit.Caller;
        if (caller.TenantId != tenantId)
        {
            return nothing;
        }

        using (callers.Enter(caller))
        {
            return await query();
        }
    }
}
