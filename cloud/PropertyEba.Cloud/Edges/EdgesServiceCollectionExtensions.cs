using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Messaging;

namespace PropertyEba.Cloud.Edges;

public static class EdgesServiceCollectionExtensions
{
    /// <summary>
    /// Edges that authenticate: provisioning with hashed secrets, the embedded broker's access policy (who connects,
    /// who publishes and subscribes where), the list of edges waiting to be adopted, and mosquitto's password and ACL
    /// files for an external broker.
    /// </summary>
    public static IServiceCollection AddEdges(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddSingleton<PendingEdges>();
        services.AddSingleton<MosquittoFiles>();
        services.AddSingleton<IBrokerAccessPolicy, EdgeAccessPolicy>();
        services.AddSingleton<EdgeProvisioning>();
        services.AddHostedService<MosquittoFileWriter>();
        return services;
    }
}
