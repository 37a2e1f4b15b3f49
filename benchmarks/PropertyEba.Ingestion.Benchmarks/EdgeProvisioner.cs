using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing.Load;

namespace PropertyEba.Ingestion.Benchmarks;

/// <summary>
/// Provisions the load's edges through the cloud's API (<c>--edge-token</c>: a bearer token of an administrator or
/// installer of the load's tenant), or issues an existing one a new secret, so that the publishers may connect.
/// </summary>
internal static class EdgeProvisioner
{
    public static async Task<TelemetryLoadOptions> ProvisionAsync(HttpClient http, string token, TelemetryLoadOptions load, bool withWarmup, CancellationToken cancellationToken)
    {
        var passwords = new Dictionary<string, string>();
        var prefixes = withWarmup ? new[] { load.EdgeIdPrefix, load.EdgeIdPrefix + "warm-" } : [load.EdgeIdPrefix];
        foreach (var prefix in prefixes)
        {
            var options = load with { EdgeIdPrefix = prefix };
            for (var i = 0; i < load.Publishers; i++)
            {
                var edgeId = options.EdgeId(i);
                passwords[edgeId] = await SecretOfAsync(http, token, load.TenantId, load.SiteId, edgeId, cancellationToken);
            }
        }

        return load with { EdgePasswords = passwords };
    }

    private static async Task<string> SecretOfAsync(HttpClient http, string token, string tenant, string site, string edgeId, CancellationToken cancellationToken)
    {
        var edges = $"/api/tenants/{tenant}/sites/{site}/edges";
        using var create = new HttpRequestMessage(HttpMethod.Post, edges) { Content = JsonContent.Create(new ProvisionEdgeRequest(edgeId)) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var created = await http.SendAsync(create, cancellationToken);
        if (created.StatusCode == HttpStatusCode.Conflict)
        {
            using var rotate = new HttpRequestMessage(HttpMethod.Post, $"{edges}/{edgeId}/secret");
            rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var rotated = await http.SendAsync(rotate, cancellationToken);
            rotated.EnsureSuccessStatusCode();
            return (await rotated.Content.ReadFromJsonAsync<EdgeCredentialsDto>(cancellationToken))!.Password;
        }

        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<EdgeCredentialsDto>(cancellationToken))!.Password;
    }
}
