using Microsoft.AspNetCore.Identity;

namespace PropertyEba.Cloud.Tenancy;

/// <summary>
/// A person who signs in. Belongs to one tenant (none for a platform operator) and, when <see cref="SiteIds"/> is
/// set, only to some of its sites. Not an <c>ITenantOwned</c> row: sign-in looks a user up before anyone is known,
/// so the user administration filters by tenant itself (<see cref="UserAdministration"/>).
/// </summary>
public sealed class EbaUser : IdentityUser
{
    /// <summary>The tenant; null for a platform operator.</summary>
    public string? TenantId { get; set; }

    /// <summary>What the dashboard and the audit log show.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Sites the user is limited to, comma-separated; null = every site of the tenant.</summary>
    public string? SiteIds { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public IReadOnlySet<string>? SiteIdSet() =>
        SiteIds is null ? null : SiteIds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
