using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Realtime;

/// <summary>Whose live changes a subscriber receives: everything (the hub forwarder, which routes by group), or one caller's tenant and sites.</summary>
public sealed record LiveAudience(bool SeesEverything, string? TenantId, IReadOnlySet<string>? SiteIds)
{
    public static readonly LiveAudience Everything = new(true, null, null);

    /// <summary>What a caller may see; an anonymous caller or a platform operator sees nothing.</summary>
    public static LiveAudience Of(Caller caller) => new(false, caller.TenantId, caller.SiteIds);

    public bool Sees(string tenantId, string siteId) =>
        SeesEverything || (TenantId is not null && TenantId == tenantId && (SiteIds is null || SiteIds.Contains(siteId)));
}
