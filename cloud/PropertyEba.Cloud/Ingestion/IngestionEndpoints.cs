using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Ingestion;

public static class IngestionEndpoints
{
    public static IEndpointRouteBuilder MapIngestionEndpoints(this IEndpointRouteBuilder app)
    {
        // Counters across every tenant: the platform operator's.
        var group = app.MapGroup("/api/ingestion").WithTags("Ingestion").RequireAuthorization(Policies.OperatePlatform);
        group.MapGet("/stats", GetIngestionStats)
            .WithName("GetIngestionStats").WithSummary("Counters of the MQTT ingestion path: accepted, rejected, duplicates, gaps, drops.");
        return app;
    }

    public static Ok<IngestionStatsDto> GetIngestionStats(IngestionStats stats) => TypedResults.Ok(stats.Snapshot());
}
