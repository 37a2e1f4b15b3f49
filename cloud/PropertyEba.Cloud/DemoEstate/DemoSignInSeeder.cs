using System.Text;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>
/// The demo company's people: one user per role, each with a new random password at every start, printed once
/// (as Grafana prints its first admin) with the generated platform operator's. No password ships with the product.
/// </summary>
internal sealed partial class DemoSignInSeeder(
    IOptions<DemoEstateOptions> options,
    UserAdministration users,
    InitialSignIns signIns,
    ILogger<DemoSignInSeeder> logger) : IHostedService
{
    public static readonly IReadOnlyList<(string Role, string UserName, string DisplayName)> People =
    [
        (Roles.Administrator, "demo-admin", "管理员 Administrator"),
        (Roles.Engineer, "demo-engineer", "值班工程师 Engineer"),
        (Roles.Technician, "demo-technician", "维修技工 Technician"),
        (Roles.EnergyManager, "demo-energy", "能源管理 Energy manager"),
        (Roles.Installer, "demo-installer", "安装调试 Installer"),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return;
        }

        foreach (var (role, userName, displayName) in People)
        {
            var password = UserAdministration.GeneratePassword();
            await users.EnsureAsync(o.TenantId, userName, displayName, password, [role], cancellationToken);
            signIns.Add(new GeneratedSignIn(role, userName, password, o.TenantId));
        }

        var text = new StringBuilder();
        foreach (var s in signIns.Items)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Environment.NewLine}    {s.Role,-18} {s.UserName,-16} {s.Password}");
        }

        LogSignIns(o.TenantId, text.ToString());
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo sign-ins for tenant {TenantId}, new at every start and shown only now (role, user name, password):{SignIns}")]
    private partial void LogSignIns(string tenantId, string signIns);
}
