using System.Security.Claims;

namespace PropertyEba.Cloud.Tenancy;

/// <summary>The claims PropertyEba adds to a signed-in user's identity, and how a <see cref="Caller"/> is read from them.</summary>
public static class EbaClaims
{
    public const string Tenant = "eba:tenant";

    /// <summary>One claim per site the user is limited to; none = every site of the tenant.</summary>
    public const string Site = "eba:site";

    /// <summary>Set when the user is limited to sites, so "limited to no site at all" differs from "every site".</summary>
    public const string SiteLimited = "eba:site-limited";

    public const string DisplayName = "eba:display-name";

    public static Caller CallerOf(ClaimsPrincipal user)
    {
        if (user.Identity is not { IsAuthenticated: true })
        {
            return Caller.Anonymous;
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var name = user.FindFirstValue(DisplayName) is { Length: > 0 } display ? $"{display} ({user.Identity.Name})" : user.Identity.Name ?? id;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        IReadOnlySet<string>? sites = user.HasClaim(c => c.Type == SiteLimited)
            ? user.FindAll(Site).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)
            : null;
        return new Caller(id, name, user.FindFirstValue(Tenant), roles, sites);
    }
}
