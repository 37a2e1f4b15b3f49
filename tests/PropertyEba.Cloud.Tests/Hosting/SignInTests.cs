using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Mvc.Testing;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>
/// Sign-in as a production installation has it: no demo, a configured platform operator who creates a tenant's first
/// administrator, who creates the tenant's people. Password rules, lock-out, refresh, and the audit of each change.
/// </summary>
public sealed class SignInTests : IAsyncLifetime
{
    private const string Tenant = "harbour-view";
    private readonly StandaloneCloud _cloud = new(new Dictionary<string, string?> { ["Mqtt:Port"] = "0", ["Identity:MaxFailedSignIns"] = "3" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    [Fact]
    public async Task The_platform_operator_creates_a_tenant_administrator_who_creates_the_tenants_people_each_change_audited()
    {
        using var platform = await _cloud.OperatorClientAsync();
        var password = UserAdministration.GeneratePassword();
        await CreateTenantAsync(platform, Tenant);
        var created = await platform.PostAsJsonAsync($"/api/platform/tenants/{Tenant}/administrators", new CreateUserRequest("hv-admin", password, [Roles.Engineer]));
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        // Whatever roles the request names, the first user of a tenant is its administrator.
        (await created.Content.ReadFromJsonAsync<UserDto>())!.Roles.ShouldBe([Roles.Administrator]);

        using var admin = await _cloud.SignInAsync("hv-admin", password);
        var me = await admin.GetFromJsonAsync<CallerDto>("/api/auth/me");
        me!.TenantId.ShouldBe(Tenant);

        var technician = await admin.PostAsJsonAsync($"/api/tenants/{Tenant}/users",
            new CreateUserRequest("hv-tech", UserAdministration.GeneratePassword(), [Roles.Technician], "张师傅", ["harbour-1"]));
        technician.StatusCode.ShouldBe(HttpStatusCode.Created, await technician.Content.ReadAsStringAsync());
        var users = await admin.GetFromJsonAsync<List<UserDto>>($"/api/tenants/{Tenant}/users");
        users.ShouldNotBeNull().Select(u => u.UserName).ShouldBe(["hv-admin", "hv-tech"]);
        users.Single(u => u.UserName == "hv-tech").SiteIds.ShouldBe(["harbour-1"]);

        var audit = await admin.GetFromJsonAsync<List<AuditEntryDto>>($"/api/tenants/{Tenant}/audit");
        audit.ShouldNotBeNull().ShouldContain(e => e.Action == "user.create" && e.Target == "user/hv-tech" && e.UserName.Contains("(hv-admin)"));
        // The operator's creation of the administrator is recorded too, as done by the operator.
        audit.ShouldContain(e => e.Action == "user.create" && e.Target == "user/hv-admin" && e.UserName.Contains("(operator)"));
    }

    [Fact]
    public async Task The_operator_reads_tenant_creation_and_renaming_in_the_platform_audit_which_no_tenant_sees()
    {
        using var platform = await _cloud.OperatorClientAsync();
        var admin = await CreateAdministratorAsync(platform, $"{Tenant}-log");
        (await platform.PutAsJsonAsync($"/api/platform/tenants/{Tenant}-log", new RenameTenantRequest("Harbour View Log"))).EnsureSuccessStatusCode();

        var log = await platform.GetFromJsonAsync<List<AuditEntryDto>>("/api/platform/audit");
        log.ShouldNotBeNull().ShouldContain(e => e.Action == "tenant.create" && e.Target == $"tenant/{Tenant}-log" && e.UserName.Contains("(operator)"));
        log.ShouldContain(e => e.Action == "tenant.rename" && e.Target == $"tenant/{Tenant}-log");
        (await platform.GetFromJsonAsync<List<AuditEntryDto>>("/api/platform/audit?action=tenant.rename")).ShouldNotBeNull().ShouldAllBe(e => e.Action == "tenant.rename");

        var bad = await platform.GetAsync("/api/platform/audit?limit=0");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("limit");

        using (admin)
        {
            (await admin.GetAsync("/api/platform/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await admin.GetAsync("/api/tenants/_platform/audit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task A_weak_password_and_an_unknown_role_are_refused_with_every_reason()
    {
        using var platform = await _cloud.OperatorClientAsync();
        await CreateTenantAsync(platform, $"{Tenant}-weak");
        var response = await platform.PostAsJsonAsync($"/api/platform/tenants/{Tenant}-weak/administrators", new CreateUserRequest("weak-admin", "short", []));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadAsStringAsync();
        problem.ShouldContain("at least 12 characters");

        var admin = await CreateAdministratorAsync(platform, $"{Tenant}-roles");
        var badRole = await admin.PostAsJsonAsync($"/api/tenants/{Tenant}-roles/users", new CreateUserRequest("x-user", UserAdministration.GeneratePassword(), ["superuser"]));
        badRole.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await badRole.Content.ReadAsStringAsync()).ShouldContain("Role 'superuser' is not one a tenant user can hold");
    }

    [Fact]
    public async Task Failed_sign_ins_lock_the_account_even_for_the_right_password_afterwards()
    {
        using var platform = await _cloud.OperatorClientAsync();
        var password = UserAdministration.GeneratePassword();
        await CreateTenantAsync(platform, $"{Tenant}-lock");
        (await platform.PostAsJsonAsync($"/api/platform/tenants/{Tenant}-lock/administrators", new CreateUserRequest("lock-admin", password, []))).EnsureSuccessStatusCode();

        using var anonymous = _cloud.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await anonymous.PostAsJsonAsync("/api/auth/token", new TokenRequest("lock-admin", "Wrong-password-1"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var locked = await anonymous.PostAsJsonAsync("/api/auth/token", new TokenRequest("lock-admin", password));
        locked.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await locked.Content.ReadAsStringAsync()).ShouldContain("locked");
    }

    [Fact]
    public async Task A_refresh_token_gives_a_new_bearer_token_until_the_users_roles_change()
    {
        using var platform = await _cloud.OperatorClientAsync();
        var admin = await CreateAdministratorAsync(platform, $"{Tenant}-refresh");
        var password = UserAdministration.GeneratePassword();
        (await admin.PostAsJsonAsync($"/api/tenants/{Tenant}-refresh/users", new CreateUserRequest("refresh-eng", password, [Roles.Engineer]))).EnsureSuccessStatusCode();

        using var anonymous = _cloud.CreateClient();
        var tokens = await (await anonymous.PostAsJsonAsync("/api/auth/token", new TokenRequest("refresh-eng", password))).Content.ReadFromJsonAsync<AccessTokenResponse>();
        var refreshed = await anonymous.PostAsJsonAsync("/api/auth/refresh", new RefreshRequest(tokens!.RefreshToken));
        refreshed.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await admin.PutAsJsonAsync($"/api/tenants/{Tenant}-refresh/users/refresh-eng", new UpdateUserRequest([Roles.EnergyManager]))).EnsureSuccessStatusCode();
        var refused = await anonymous.PostAsJsonAsync("/api/auth/refresh", new RefreshRequest(tokens.RefreshToken));
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_browser_page_of_another_origin_cannot_open_the_live_hub()
    {
        using var admin = await _cloud.OperatorClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/live/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await admin.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_dashboard_sends_a_stranger_to_the_sign_in_page_and_the_api_answers_401()
    {
        using var browser = _cloud.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetAsync("/alarms");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.ToString().ShouldContain("/account/login");
        (await browser.GetAsync($"/api/tenants/{Tenant}/sites")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        var signIn = WebUtility.HtmlDecode(await browser.GetStringAsync("/account/login"));
        signIn.ShouldContain("登录");
        var english = WebUtility.HtmlDecode(await browser.GetStringAsync("/account/login?culture=en"));
        english.ShouldContain("Sign in");
    }

    private async Task<HttpClient> CreateAdministratorAsync(HttpClient platform, string tenant)
    {
        var password = UserAdministration.GeneratePassword();
        var userName = $"{tenant}-admin";
        await CreateTenantAsync(platform, tenant);
        (await platform.PostAsJsonAsync($"/api/platform/tenants/{tenant}/administrators", new CreateUserRequest(userName, password, []))).EnsureSuccessStatusCode();
        return await _cloud.SignInAsync(userName, password);
    }

    // A tenant's first administrator can only be created once the platform serves the tenant.
    private static async Task CreateTenantAsync(HttpClient platform, string tenant) =>
        (await platform.PostAsJsonAsync("/api/platform/tenants", new CreateTenantRequest(tenant, tenant))).EnsureSuccessStatusCode();
}
