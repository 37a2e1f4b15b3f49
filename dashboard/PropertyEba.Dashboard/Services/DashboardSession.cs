namespace PropertyEba.Dashboard.Services;

/// <summary>
/// The signed-in person of this dashboard session (one per browser tab), filled by the cloud from the sign-in. Pages
/// read their tenant from here; the services behind the pages check the caller themselves, so a page cannot widen
/// what the person sees.
/// </summary>
public sealed class DashboardSession
{
    public string TenantId { get; set; } = "";

    public string UserName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public IReadOnlySet<string> Roles { get; set; } = new HashSet<string>();

    public bool IsSignedIn => UserName.Length > 0;

    public bool IsInRole(string role) => Roles.Contains(role);
}
