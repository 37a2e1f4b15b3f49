using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Realtime;

/// <summary>
/// SignalR hub for live values, alarms and tickets (<c>values</c>, <c>alarm</c> and <c>ticket</c> messages). Only a
/// signed-in tenant user connects (cookie, or bearer token in <c>access_token</c>), and is put at once into the groups
/// of what they may see: their tenant, or only their sites when limited to some. Nothing else can be joined.
/// </summary>
[Authorize]
public sealed class LiveHub : Hub
{
    public const string Path = "/hubs/live";

    public override async Task OnConnectedAsync()
    {
        var caller = EbaClaims.CallerOf(Context.User!);
        if (caller.TenantId is not { } tenant)
        {
            // A platform operator sees no tenant's live data.
            Context.Abort();
            return;
        }

        foreach (var group in GroupsOf(tenant, caller.SiteIds))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        }

        await base.OnConnectedAsync();
    }

    /// <summary>
    /// Kept for clients written before groups were joined on connect: accepts only the caller's own tenant (already
    /// joined), and says so for any other.
    /// </summary>
    public Task JoinTenant(string tenantId)
    {
        var caller = EbaClaims.CallerOf(Context.User!);
        if (!MqttTopics.IsId(tenantId))
        {
            throw new HubException($"'{tenantId}' is not a tenant id.");
        }

        return caller.TenantId == tenantId
            ? Task.CompletedTask
            : throw new HubException($"You are not a user of tenant '{tenantId}'.");
    }

    /// <summary>The groups a caller joins: the whole tenant's, or one per site they are limited to.</summary>
    public static IEnumerable<string> GroupsOf(string tenantId, IReadOnlySet<string>? siteIds) =>
        siteIds is null ? [TenantGroup(tenantId)] : siteIds.Select(s => SiteGroup(tenantId, s));

    public static string TenantGroup(string tenantId) => $"tenant:{tenantId}";

    public static string SiteGroup(string tenantId, string siteId) => $"site:{tenantId}/{siteId}";
}
