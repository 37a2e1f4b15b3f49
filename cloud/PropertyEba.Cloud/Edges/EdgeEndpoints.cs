using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Edges;

/// <summary>A tenant's edges: provisioned ones (their secrets shown once), and the ones waiting to be adopted.</summary>
public static class EdgeEndpoints
{
    public static IEndpointRouteBuilder MapEdgeEndpoints(this IEndpointRouteBuilder app)
    {
        var edges = app.MapTenantGroup("/edges", "Edges").RequireAuthorization(Policies.ManageEquipment);
        edges.MapGet("/", ListEdges).WithName("ListEdges").WithSummary("The tenant's provisioned edges (never their secrets).");

        var siteEdges = app.MapTenantGroup("/sites/{siteId}/edges", "Edges").RequireAuthorization(Policies.ManageEquipment);
        siteEdges.MapPost("/", ProvisionEdge).WithName("ProvisionEdge")
            .WithSummary("Provisions an edge of the site; the answer holds its MQTT secret, shown this once.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        siteEdges.MapPost("/{edgeId}/secret", RotateEdgeSecret).WithName("RotateEdgeSecret")
            .WithSummary("Issues the edge a new secret (shown this once); the old one stops working and its session ends.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        siteEdges.MapPut("/{edgeId}/enabled", SetEdgeEnabled).WithName("SetEdgeEnabled")
            .WithSummary("Disables (its session ends, its connections are refused) or enables an edge.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        siteEdges.MapDelete("/{edgeId}", DeleteEdge).WithName("DeleteEdge")
            .WithSummary("Deletes an edge: its connections are refused from now on.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var waiting = app.MapTenantGroup("/pending-edges", "Edges").RequireAuthorization(Policies.ManageEquipment);
        waiting.MapGet("/", ListPendingEdges).WithName("ListPendingEdges")
            .WithSummary("Clients that connected without being provisioned and published under this tenant's topics: waiting to be adopted.");
        waiting.MapPost("/{clientId}/adopt", AdoptPendingEdge).WithName("AdoptPendingEdge")
            .WithSummary("Provisions a waiting client as the edge its topics claim; the answer holds its secret, shown this once.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<EdgeDto>>> ListEdges(string tenantId, EdgeProvisioning edges, CancellationToken ct) =>
        TypedResults.Ok(await edges.ListAsync(tenantId, ct));

    public static async Task<Results<Created<EdgeCredentialsDto>, ProblemHttpResult>> ProvisionEdge(string tenantId, string siteId, ProvisionEdgeRequest request, EdgeProvisioning edges, CancellationToken ct)
    {
        var (created, problem) = await edges.ProvisionAsync(tenantId, siteId, request, ct);
        return created is not null ? TypedResults.Created($"/api/tenants/{tenantId}/sites/{siteId}/edges/{created.Edge.EdgeId}", created) : Problem(problem!);
    }

    public static async Task<Results<Ok<EdgeCredentialsDto>, ProblemHttpResult>> RotateEdgeSecret(string tenantId, string siteId, string edgeId, EdgeProvisioning edges, CancellationToken ct)
    {
        var (rotated, problem) = await edges.RotateSecretAsync(tenantId, siteId, edgeId, ct);
        return rotated is not null ? TypedResults.Ok(rotated) : Problem(problem!);
    }

    public static async Task<Results<Ok<EdgeDto>, ProblemHttpResult>> SetEdgeEnabled(string tenantId, string siteId, string edgeId, SetEdgeEnabledRequest request, EdgeProvisioning edges, CancellationToken ct)
    {
        if (request.Enabled is not { } enabled)
        {
            return ApiProblems.Invalid("enabled", "'enabled' is missing: give true or false.");
        }

        var (edge, problem) = await edges.SetEnabledAsync(tenantId, siteId, edgeId, enabled, ct);
        return edge is not null ? TypedResults.Ok(edge) : Problem(problem!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteEdge(string tenantId, string siteId, string edgeId, EdgeProvisioning edges, CancellationToken ct) =>
        await edges.DeleteAsync(tenantId, siteId, edgeId, ct) is { } problem ? Problem(problem) : TypedResults.NoContent();

    public static Ok<IReadOnlyList<PendingEdgeDto>> ListPendingEdges(string tenantId, PendingEdges pending) => TypedResults.Ok(pending.Of(tenantId));

    public static async Task<Results<Created<EdgeCredentialsDto>, ProblemHttpResult>> AdoptPendingEdge(string tenantId, string clientId, EdgeProvisioning edges, CancellationToken ct)
    {
        var (adopted, problem) = await edges.AdoptAsync(tenantId, clientId, ct);
        return adopted is not null
            ? TypedResults.Created($"/api/tenants/{tenantId}/sites/{adopted.Edge.SiteId}/edges/{adopted.Edge.EdgeId}", adopted)
            : Problem(problem!);
    }

    private static ProblemHttpResult Problem(EdgeProblem problem) => TypedResults.Problem(problem.Detail, statusCode: problem.StatusCode, title: problem.Title);
}
