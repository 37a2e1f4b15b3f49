using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Audit;

public static class AuditEndpoints
{
    public const int MaxListLimit = 1000;

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapTenantGroup("/audit", "Audit").RequireAuthorization(Policies.ReadAudit)
            .MapGet("/", ListAuditEntries).WithName("ListAuditEntries")
            .WithSummary("The tenant's audit log, newest first: who changed what, and every alarm and ticket action.");

        // Tenant creation and renaming, and users made outside any tenant, are the platform's own log (tenant
        // "_platform"), which no tenant route reaches: the operator belongs to no tenant.
        app.MapGroup("/api/platform/audit").WithTags("Platform").RequireAuthorization(Policies.OperatePlatform)
            .MapGet("/", ListPlatformAuditEntries).WithName("ListPlatformAuditEntries")
            .WithSummary("The platform's audit log, newest first: tenants created and renamed, by which operator.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    public static Task<Results<Ok<IReadOnlyList<AuditEntryDto>>, ProblemHttpResult>> ListPlatformAuditEntries(
        string? action, int? limit, IDbContextFactory<EbaDbContext> dbFactory, CancellationToken ct) =>
        // The operator belongs to no tenant, so the tenant filter would hide every row; the route's policy is the guard,
        // and the query names the platform's log alone.
        ListAsync(AuditTrail.PlatformTenant, action, limit, dbFactory, set => set.IgnoreQueryFilters([EbaDbContext.TenantFilter]), ct);

    public static Task<Results<Ok<IReadOnlyList<AuditEntryDto>>, ProblemHttpResult>> ListAuditEntries(
        string tenantId, string? action, int? limit, IDbContextFactory<EbaDbContext> dbFactory, CancellationToken ct) =>
        ListAsync(tenantId, action, limit, dbFactory, set => set, ct);

    private static async Task<Results<Ok<IReadOnlyList<AuditEntryDto>>, ProblemHttpResult>> ListAsync(
        string tenantId, string? action, int? limit, IDbContextFactory<EbaDbContext> dbFactory,
        Func<IQueryable<AuditEntry>, IQueryable<AuditEntry>> scope, CancellationToken ct)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxListLimit);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = scope(db.Set<AuditEntry>().AsNoTracking()).Where(a => a.TenantId == tenantId);
        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(a => a.Action == action);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(limit ?? 200).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<AuditEntryDto>>(rows.ConvertAll(a => new AuditEntryDto(a.Id, a.AtUtc, a.UserId, a.UserName, a.Action, a.Target, a.Detail)));
    }
}
