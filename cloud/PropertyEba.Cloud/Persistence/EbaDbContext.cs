using System.Linq.Expressions;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Persistence;

/// <summary>
/// The relational store: users, assets, alarms, tickets, audit. Each feature folder contributes its entities
/// through IEntityTypeConfiguration classes, applied here from the assembly.
/// </summary>
/// <remarks>
/// Tenant isolation by construction (docs/adr/0009-tenant-isolation.md): a context is created for the caller of the
/// code that creates it. For a caller, every <see cref="ITenantOwned"/> entity is filtered to the caller's tenant (none
/// for the platform operator or an anonymous caller) and every <see cref="ISiteOwned"/> one to the caller's sites;
/// without a caller (background work) the filters are off.
/// <para>
/// Abstract because each provider has a subclass of its own (<see cref="SqliteEbaDbContext"/>,
/// <see cref="PostgreSqlEbaDbContext"/>): EF Core keeps one migration set per context type, so each provider gets
/// the migrations its SQL needs (docs/adr/0007-schema-migrations.md). Everything else asks for this type.
/// </para>
/// </remarks>
public abstract class EbaDbContext : IdentityDbContext<EbaUser>
{
    public const string TenantFilter = "tenant";
    public const string SiteFilter = "site";

    // Read by the query filters; EF parameterizes them per context instance.
    private readonly bool _seesAllTenants;
    private readonly string? _tenantId;
    private readonly bool _seesAllSites;
    private readonly List<string> _siteIds;

    protected EbaDbContext(DbContextOptions options, CallerAccessor callers)
        : base(options)
    {
        var caller = callers.Current;
        _seesAllTenants = caller is null;
        _tenantId = caller?.TenantId;
        _seesAllSites = caller?.SiteIds is null;
        _siteIds = caller?.SiteIds is { } sites ? [.. sites] : [];
    }

    /// <summary>The caller this context was created for; null for background work.</summary>
    public bool IsFilteredToCaller => !_seesAllTenants;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(EbaDbContext).Assembly);

        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.BaseType is null).ToList())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(TenantFilter, TenantFilterFor(entity.ClrType));
            }

            if (typeof(ISiteOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(SiteFilter, SiteFilterFor(entity.ClrType));
            }
        }
    }

    // e => this._seesAllTenants || EF.Property<string>(e, "TenantId") == this._tenantId
    private LambdaExpression TenantFilterFor(Type clrType)
    {
        var e = Expression.Parameter(clrType, "e");
        var self = Expression.Constant(this, typeof(EbaDbContext));
        var body = Expression.OrElse(
            Expression.Field(self, nameof(_seesAllTenants)),
            Expression.Equal(PropertyOf(e, nameof(ITenantOwned.TenantId)), Expression.Field(self, nameof(_tenantId))));
        return Expression.Lambda(body, e);
    }

    // e => this._seesAllSites || this._siteIds.Contains(EF.Property<string>(e, "SiteId"))
    private LambdaExpression SiteFilterFor(Type clrType)
    {
        var e = Expression.Parameter(clrType, "e");
        var self = Expression.Constant(this, typeof(EbaDbContext));
        var contains = typeof(List<string>).GetMethod(nameof(List<string>.Contains), [typeof(string)])!;
        var body = Expression.OrElse(
            Expression.Field(self, nameof(_seesAllSites)),
            Expression.Call(Expression.Field(self, nameof(_siteIds)), contains, PropertyOf(e, nameof(ISiteOwned.SiteId))));
        return Expression.Lambda(body, e);
    }

    private static MethodCallExpression PropertyOf(ParameterExpression e, string name) =>
        Expression.Call(typeof(EF), nameof(EF.Property), [typeof(string)], e, Expression.Constant(name));
}
