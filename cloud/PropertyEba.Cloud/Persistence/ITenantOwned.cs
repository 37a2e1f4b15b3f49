namespace PropertyEba.Cloud.Persistence;

/// <summary>
/// A row that belongs to one tenant. <see cref="EbaDbContext"/> puts a query filter on every entity that implements
/// it: a context created for a caller sees only the caller's tenant's rows, whatever a query forgets to say.
/// </summary>
public interface ITenantOwned
{
    string TenantId { get; }
}

/// <summary>
/// A row that belongs to one site of a tenant. A caller limited to some sites sees only those sites' rows (a second
/// query filter, beside the tenant's).
/// </summary>
public interface ISiteOwned : ITenantOwned
{
    string SiteId { get; }
}
