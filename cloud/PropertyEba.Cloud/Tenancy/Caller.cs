namespace PropertyEba.Cloud.Tenancy;

/// <summary>
/// Who is asking: a signed-in user, an authenticated program, or nobody. Resolved once per request, hub call or
/// dashboard action from the claims (never from a request body) and read by the query filters and the audit trail.
/// </summary>
/// <param name="UserId">The Identity user id; empty for an anonymous caller.</param>
/// <param name="UserName">What the audit log shows.</param>
/// <param name="TenantId">The caller's tenant; null for the platform operator and for anonymous callers, who see no tenant's rows.</param>
/// <param name="Roles">The caller's roles.</param>
/// <param name="SiteIds">The sites the caller is limited to; null = every site of the tenant.</param>
public sealed record Caller(string UserId, string UserName, string? TenantId, IReadOnlySet<string> Roles, IReadOnlySet<string>? SiteIds)
{
    public static readonly Caller Anonymous = new("", "anonymous", null, new HashSet<string>(), null);

    public bool IsAuthenticated => UserId.Length > 0;

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>Whether the caller may see the site (belongs to the tenant and, when limited to sites, to one of them).</summary>
    public bool CanSeeSite(string tenantId, string siteId) =>
        TenantId == tenantId && (SiteIds is null || SiteIds.Contains(siteId));
}

/// <summary>
/// The caller of the code running now, carried through awaits (as IHttpContextAccessor does). Null when no person or
/// program asked — background work: ingestion, the alarm engine, timers — which sees every tenant's rows.
/// Every entrance a caller can reach (HTTP requests, hub calls, dashboard circuits) sets it, so the tenant query
/// filter is on by construction wherever a caller is.
/// </summary>
public sealed class CallerAccessor
{
    private static readonly AsyncLocal<Caller?> CurrentCaller = new();

    public Caller? Current => CurrentCaller.Value;

    /// <summary>Runs the rest of this flow (until disposed) as <paramref name="caller"/>.</summary>
    public IDisposable Enter(Caller caller)
    {
        var previous = CurrentCaller.Value;
        CurrentCaller.Value = caller;
        return new Restore(previous);
    }

    private sealed class Restore(Caller? previous) : IDisposable
    {
        public void Dispose() => CurrentCaller.Value = previous;
    }
}
