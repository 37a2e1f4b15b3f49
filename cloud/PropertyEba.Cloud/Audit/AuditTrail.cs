using System.Text.Json;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Audit;

/// <summary>
/// Adds audit entries to the context that makes the change, so the entry and the change are saved in one transaction:
/// no change without its entry, no entry for a change that failed. The user is the current <see cref="Caller"/>;
/// without one (background work) it is <c>system</c>.
/// </summary>
public sealed class AuditTrail(CallerAccessor callers, TimeProvider time)
{
    public const string SystemUser = "system";

    /// <summary>Where the platform operator's own actions (tenants, their first administrators) are recorded.</summary>
    public const string PlatformTenant = "_platform";

    private static readonly JsonSerializerOptions DetailJson = new(JsonSerializerDefaults.Web);

    /// <summary>Records <paramref name="action"/> on <paramref name="target"/>; saved with the context's next SaveChanges.</summary>
    public AuditEntry Record(EbaDbContext db, string tenantId, string action, string target, object? detail = null)
    {
        var caller = callers.Current;
        var entry = new AuditEntry
        {
            TenantId = tenantId,
            AtUtc = time.GetUtcNow(),
            UserId = caller is { IsAuthenticated: true } ? caller.UserId : SystemUser,
            UserName = caller is { IsAuthenticated: true } ? caller.UserName : SystemUser,
            Action = action,
            Target = target,
            Detail = detail switch
            {
                null => null,
                string text => text,
                _ => JsonSerializer.Serialize(detail, detail.GetType(), DetailJson),
            },
        };
        db.Add(entry);
        return entry;
    }
}
