using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using PropertyEba.Cloud.Assets;
using PropertyEba.Cloud.Edges;
using PropertyEba.Cloud.Messaging;
using PropertyEba.Cloud.Persistence;

namespace PropertyEba.Cloud.SiteFiles;

/// <summary>
/// Writes the configuration the cloud holds for a site as the edge agent's estate file (docs/edge.md): its identity,
/// the broker and the site's devices with their connections, ready for <c>PropertyEba.Edge --config</c>. The
/// broker password is never in it (the edge keeps it in its environment, Edge__Mqtt__Password).
/// </summary>
public sealed class EdgeEstateExport(IDbContextFactory<EbaDbContext> dbFactory, BrokerEndpoint broker)
{
    /// <summary>The estate file of <paramref name="siteId"/>; <paramref name="edgeId"/> null means the site's only provisioned edge, else <c>edge-01</c>.</summary>
    public async Task<EdgeEstateFileDto> ExportAsync(string tenantId, string siteId, string? edgeId, string? brokerHost, int? brokerPort, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var site = await SiteAdministration.FindSiteAsync(db, tenantId, siteId, cancellationToken);
        var edges = await db.Set<ProvisionedEdge>().AsNoTracking().Where(e => e.TenantId == tenantId && e.SiteId == siteId).OrderBy(e => e.EdgeId).ToListAsync(cancellationToken);
        var edge = edgeId is null ? (edges.Count == 1 ? edges[0] : null) : edges.FirstOrDefault(e => e.EdgeId == edgeId);
        var devices = await db.Set<Device>().AsNoTracking().Where(d => d.TenantId == tenantId && d.SiteId == siteId).OrderBy(d => d.DeviceId).ToListAsync(cancellationToken);
        var current = broker.Current;
        return new EdgeEstateFileDto(
            tenantId,
            site.SiteId,
            edge?.EdgeId ?? edgeId ?? "edge-01",
            new EdgeEstateMqttDto(brokerHost ?? current?.Host ?? "127.0.0.1", brokerPort ?? current?.Port ?? 1883, edge?.ClientId),
            devices.ConvertAll(d => d.ConnectionKind == "serial"
                ? new EdgeEstateDeviceDto(d.DeviceId, d.Model, "Rtu", null, null, d.SerialPort, d.UnitId)
                : new EdgeEstateDeviceDto(d.DeviceId, d.Model, "Tcp", d.Host, d.Port ?? 502, null, d.UnitId)));
    }
}

/// <summary>The edge agent's estate file (the <c>Edge</c> section: docs/edge.md), as the cloud exports it.</summary>
public sealed record EdgeEstateFileDto(
    [property: JsonPropertyName("Tenant")] string Tenant,
    [property: JsonPropertyName("Site")] string Site,
    [property: JsonPropertyName("EdgeId")] string EdgeId,
    [property: JsonPropertyName("Mqtt")] EdgeEstateMqttDto Mqtt,
    [property: JsonPropertyName("Devices")] List<EdgeEstateDeviceDto> Devices);

/// <summary>The broker of an estate file; the user name is the provisioned edge's client id, when it has one.</summary>
public sealed record EdgeEstateMqttDto(
    [property: JsonPropertyName("Host")] string Host,
    [property: JsonPropertyName("Port")] int Port,
    [property: JsonPropertyName("Username"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username);

/// <summary>One device of an estate file.</summary>
public sealed record EdgeEstateDeviceDto(
    [property: JsonPropertyName("DeviceId")] string DeviceId,
    [property: JsonPropertyName("Model")] string Model,
    [property: JsonPropertyName("Transport")] string Transport,
    [property: JsonPropertyName("Host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host,
    [property: JsonPropertyName("Port"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Port,
    [property: JsonPropertyName("SerialPort"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SerialPort,
    [property: JsonPropertyName("UnitId")] int UnitId);
