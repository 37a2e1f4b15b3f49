using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Identity;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>API clients that signed in as a program does: user name and password for a bearer token.</summary>
public static class SignedInClients
{
    /// <summary>The password StandaloneCloud gives its platform operator (a test value; nothing ships with one).</summary>
    public const string OperatorUserName = "operator";

    public static async Task<HttpClient> SignInAsync(this WebApplicationFactory<Program> cloud, string userName, string password)
    {
        var client = cloud.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new TokenRequest(userName, password));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var token = (await response.Content.ReadFromJsonAsync<AccessTokenResponse>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    /// <summary>Signs in with a sign-in the service generated at this start (the demo's people, a generated operator).</summary>
    public static Task<HttpClient> SignInAsAsync(this WebApplicationFactory<Program> cloud, string role, string? tenantId = null)
    {
        var signIn = cloud.Services.GetRequiredService<InitialSignIns>().For(role, tenantId);
        return cloud.SignInAsync(signIn.UserName, signIn.Password);
    }

    /// <summary>Creates a user of a tenant through the service, with a random password, and signs in as them.</summary>
    public static async Task<HttpClient> SignInAsNewUserAsync(this WebApplicationFactory<Program> cloud, string tenantId, string role, IReadOnlyList<string>? siteIds = null)
    {
        var password = UserAdministration.GeneratePassword();
        var userName = $"{role}-{Guid.NewGuid():N}"[..30];
        var (_, errors) = await cloud.Services.GetRequiredService<UserAdministration>().CreateAsync(tenantId, new CreateUserRequest(userName, password, [role], SiteIds: siteIds), CancellationToken.None);
        if (errors is not null)
        {
            throw new InvalidOperationException($"Cannot create {userName}: {string.Join(" ", errors.SelectMany(e => e.Value))}");
        }

        return await cloud.SignInAsync(userName, password);
    }
}
