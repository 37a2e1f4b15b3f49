using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Identity;

/// <summary>Adds the tenant, the sites and the display name to the identity a sign-in issues (cookie or bearer token).</summary>
internal sealed class EbaClaimsPrincipalFactory(UserManager<EbaUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<EbaUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(EbaUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.TenantId is { } tenant)
        {
            identity.AddClaim(new Claim(EbaClaims.Tenant, tenant));
        }

        if (user.SiteIdSet() is { } sites)
        {
            identity.AddClaim(new Claim(EbaClaims.SiteLimited, "true"));
            identity.AddClaims(sites.Select(s => new Claim(EbaClaims.Site, s)));
        }

        identity.AddClaim(new Claim(EbaClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
