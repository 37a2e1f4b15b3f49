using Microsoft.AspNetCore.SignalR;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Realtime;

/// <summary>
/// SignalR hub for live values, alarms and tickets. Clients join a tenant's group (and optionally a
/// site's) and receive <c>values</c>, <c>alarm</c> and <c>ticket</c> messages.
/// </summary>
public sealed class LiveHub : Hub
{
    public const string Path = "/hubs/live";

    public Task JoinTenant(string tenantId) =>
        MqttTopics.IsId(tenantId)
            ? Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(tenantId), Context.ConnectionAborted)
            : throw new HubException($"'{tenantId}' is not a tenant id.");

    public static string GroupOf(string tenantId) => $"tenant:{tenantId}";
}
