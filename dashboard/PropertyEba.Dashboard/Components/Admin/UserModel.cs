using PropertyEba.Contracts.Api;

namespace PropertyEba.Dashboard.Components.Admin;

/// <summary>A user form's values; no site ticked means every site of the tenant.</summary>
public sealed class UserModel
{
    public string UserName { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string Password { get; set; } = "";

    public HashSet<string> Roles { get; } = new(StringComparer.Ordinal);

    public HashSet<string> SiteIds { get; } = new(StringComparer.Ordinal);

    public bool Locked { get; set; }

    public static UserModel From(UserDto u, DateTimeOffset now)
    {
        var model = new UserModel { UserName = u.UserName, DisplayName = u.DisplayName, Locked = u.LockedUntil is { } until && until > now };
        model.Roles.UnionWith(u.Roles);
        model.SiteIds.UnionWith(u.SiteIds ?? []);
        return model;
    }

    public CreateUserRequest ToCreateRequest() => new(UserName.Trim(), SiteModel.Text(Password), [.. Roles], SiteModel.Text(DisplayName), Sites());

    public UpdateUserRequest ToUpdateRequest() => new([.. Roles], Sites(), SiteModel.Text(DisplayName), Locked);

    private List<string>? Sites() => SiteIds.Count == 0 ? null : [.. SiteIds];
}
