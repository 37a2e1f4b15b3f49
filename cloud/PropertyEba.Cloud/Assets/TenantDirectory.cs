using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Assets;

/// <summary>The property companies the platform serves: created, listed and renamed by the platform operator.</summary>
public sealed class TenantDirectory(IDbContextFactory<EbaDbContext> dbFactory, AuditTrail audit, TimeProvider time)
{
    public async Task<IReadOnlyList<TenantDto>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Set<Tenant>().AsNoTracking().OrderBy(t => t.TenantId).ToListAsync(cancellationToken);
        return rows.ConvertAll(ToDto);
    }

    public async Task<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<Tenant>().AnyAsync(t => t.TenantId == tenantId, cancellationToken);
    }

    public async Task<TenantDto> CreateAsync(CreateTenantRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Id("tenantId", request.TenantId);
        v.Name("name", request.Name, required: true);
        v.Name("nameZh", request.NameZh, required: false);
        if (request.TenantId == AuditTrail.PlatformTenant)
        {
            v.Add("tenantId", $"'{AuditTrail.PlatformTenant}' is reserved for the platform's own audit log.");
        }

        v.ThrowIfAny("Invalid tenant");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Set<Tenant>().AnyAsync(t => t.TenantId == request.TenantId, cancellationToken))
        {
            throw AssetProblemException.Conflict("Tenant", $"A tenant '{request.TenantId}' already exists.");
        }

        var tenant = new Tenant { TenantId = request.TenantId!, Name = request.Name!.Trim(), NameZh = request.NameZh?.Trim(), CreatedUtc = time.GetUtcNow() };
        db.Add(tenant);
        audit.Record(db, AuditTrail.PlatformTenant, "tenant.create", $"tenant/{tenant.TenantId}", ToDto(tenant));
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(tenant);
    }

    public async Task<TenantDto> RenameAsync(string tenantId, RenameTenantRequest request, CancellationToken cancellationToken)
    {
        var v = new AssetValidation();
        v.Name("name", request.Name, required: true);
        v.Name("nameZh", request.NameZh, required: false);
        v.ThrowIfAny("Invalid tenant");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Set<Tenant>().SingleOrDefaultAsync(t => t.TenantId == tenantId, cancellationToken)
            ?? throw AssetProblemException.NotFound("tenant", $"There is no tenant '{tenantId}'.");
        tenant.Name = request.Name!.Trim();
        tenant.NameZh = request.NameZh?.Trim();
        audit.Record(db, AuditTrail.PlatformTenant, "tenant.rename", $"tenant/{tenantId}", new { tenant.Name, tenant.NameZh });
        await db.SaveChangesAsync(cancellationToken);
        return ToDto(tenant);
    }

    /// <summary>Creates the tenant unless it exists (the demo seeds its own at every start).</summary>
    public async Task EnsureAsync(string tenantId, string name, string? nameZh, CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(tenantId, cancellationToken))
        {
            await CreateAsync(new CreateTenantRequest(tenantId, name, nameZh), cancellationToken);
        }
    }

    private static TenantDto ToDto(Tenant t) => new(t.TenantId, t.Name, t.NameZh, t.CreatedUtc);
}
