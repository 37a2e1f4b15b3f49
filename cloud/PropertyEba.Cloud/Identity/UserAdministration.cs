using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Identity;

/// <summary>
/// Creates users and changes their roles and sites, each change audited. Users are not tenant-filtered rows (sign-in
/// must find them before anyone is known), so every method here names the tenant it works in and touches no other.
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    private const string PasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A random password that satisfies the password rules (lower, upper, digit, length).</summary>
    public static string GeneratePassword(int length = 20)
    {
        while (true)
        {
            var password = RandomNumberGenerator.GetString(PasswordAlphabet, length);
            if (password.Any(char.IsLower) && password.Any(char.IsUpper) && password.Any(char.IsDigit))
            {
                return password;
            }
        }
    }

    /// <summary>Creates a user of <paramref name="tenantId"/> (null: a platform operator); the errors say what was wrong.</summary>
    public async Task<(UserDto? User, IReadOnlyDictionary<string, string[]>? Errors)> CreateAsync(string? tenantId, CreateUserRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(tenantId, request.Roles, request.SiteIds);
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["'userName' is required."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EbaUser>>();
        var user = new EbaUser
        {
            UserName = request.UserName,
            DisplayName = request.DisplayName ?? request.UserName,
            TenantId = tenantId,
            SiteIds = request.SiteIds is null ? null : string.Join(',', request.SiteIds),
            CreatedUtc = time.GetUtcNow(),
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            return (null, IdentityErrors(created, "password"));
        }

        var roles = await users.AddToRolesAsync(user, request.Roles);
        if (!roles.Succeeded)
        {
            await users.DeleteAsync(user);
            return (null, IdentityErrors(roles, "roles"));
        }

        var dto = ToDto(user, request.Roles, null);
        await RecordAsync(tenantId, "user.create", user, new { dto.UserName, dto.Roles, dto.SiteIds }, cancellationToken);
        return (dto, null);
    }

    /// <summary>Sets the password of an existing user, or creates it with these roles; returns whether it was created.</summary>
    public async Task<bool> EnsureAsync(string? tenantId, string userName, string displayName, string password, IReadOnlyList<string> roles, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EbaUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            var (_, errors) = await CreateAsync(tenantId, new CreateUserRequest(userName, password, roles, displayName), cancellationToken);
            return errors is null ? true : throw new InvalidOperationException($"Cannot create user '{userName}': {string.Join(" ", errors.SelectMany(e => e.Value))}");
        }

        if (user.TenantId != tenantId)
        {
            throw new InvalidOperationException($"User '{userName}' exists in another tenant ('{user.TenantId ?? "platform"}'); choose another user name.");
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        if (!reset.Succeeded)
        {
            throw new InvalidOperationException($"Cannot set the password of '{userName}': {string.Join(" ", reset.Errors.Select(e => e.Description))}");
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        return false;
    }

    public async Task<IReadOnlyList<UserDto>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.TenantId == tenantId).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           join u in db.Users on ur.UserId equals u.Id
                           where u.TenantId == tenantId
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var byUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(r => r.Name!).Order(StringComparer.Ordinal)]);
        var now = time.GetUtcNow();
        return users.ConvertAll(u => ToDto(u, byUser.GetValueOrDefault(u.Id, []), u.LockoutEnd > now ? u.LockoutEnd : null));
    }

    /// <summary>Replaces a user's roles and sites; null when the tenant has no such user.</summary>
    public async Task<(UserDto? User, IReadOnlyDictionary<string, string[]>? Errors)> UpdateAsync(string tenantId, string userName, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(tenantId, request.Roles, request.SiteIds);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<EbaUser>>();
        var user = await users.FindByNameAsync(userName);
        if (user is null || user.TenantId != tenantId)
        {
            return (null, null);
        }

        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current.Except(request.Roles));
        await users.AddToRolesAsync(user, request.Roles.Except(current));
        user.SiteIds = request.SiteIds is null ? null : string.Join(',', request.SiteIds);
        user.DisplayName = request.DisplayName ?? user.DisplayName;
        if (request.Locked is { } locked)
        {
            await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        }

        await users.UpdateAsync(user);
        // Roles and sites are in the claims of tokens already issued: a new security stamp ends those sessions.
        await users.UpdateSecurityStampAsync(user);
        var dto = ToDto(user, request.Roles, request.Locked == true ? DateTimeOffset.MaxValue : null);
        await RecordAsync(tenantId, "user.update", user, new { dto.Roles, dto.SiteIds, request.Locked, request.DisplayName }, cancellationToken);
        return (dto, null);
    }

    private static Dictionary<string, string[]> Validate(string? tenantId, IReadOnlyList<string>? roles, IReadOnlyList<string>? siteIds)
    {
        var errors = new Dictionary<string, string[]>();
        var allowed = tenantId is null ? [Roles.PlatformOperator] : Roles.TenantRoles;
        if (roles is null || roles.Count == 0)
        {
            errors["roles"] = [$"'roles' needs at least one of {string.Join(", ", allowed)}."];
        }
        else if (roles.FirstOrDefault(r => !allowed.Contains(r)) is { } bad)
        {
            errors["roles"] = [$"Role '{bad}' is not one a {(tenantId is null ? "platform" : "tenant")} user can hold; allowed: {string.Join(", ", allowed)}."];
        }

        if (siteIds?.FirstOrDefault(s => !MqttTopics.IsId(s)) is { } badSite)
        {
            errors["siteIds"] = [$"'{badSite}' is not a site id: use 1..64 letters, digits, '-' or '_'."];
        }

        return errors;
    }

    private static Dictionary<string, string[]> IdentityErrors(IdentityResult result, string field) =>
        result.Errors.GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("UserName", StringComparison.Ordinal) ? "userName" : field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());

    private static UserDto ToDto(EbaUser user, IReadOnlyList<string> roles, DateTimeOffset? lockedUntil) =>
        new(user.UserName!, user.DisplayName, user.TenantId, [.. roles], user.SiteIdSet() is { } sites ? [.. sites.Order(StringComparer.Ordinal)] : null, lockedUntil);

    private async Task RecordAsync(string? tenantId, string action, EbaUser user, object detail, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        audit.Record(db, tenantId ?? AuditTrail.PlatformTenant, action, $"user/{user.UserName}", detail);
        await db.SaveChangesAsync(cancellationToken);
    }
}
