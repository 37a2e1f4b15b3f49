using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>Bad input gets a 400 (or 404) ProblemDetails that names what was wrong, on every tenant endpoint.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class ApiValidationTests(CloudHostFixture host)
{
    private const string Tenant = CloudHostFixture.Tenant;
    private const string Site = CloudHostFixture.Site;

    public static TheoryData<string, string> BadIds => new()
    {
        { "/api/tenants/bad%20tenant/alarm-rules", "is not a tenant id" },
        { "/api/tenants/bad%20tenant/tickets/1", "is not a tenant id" },
        { "/api/tenants/bad%20tenant/sites", "is not a tenant id" },
        { $"/api/tenants/{Tenant}/sites/bad%20site/devices", "'bad site' is not a site id" },
        { $"/api/tenants/bad%20tenant/sites/{Site}/devices/tank-1/points/level/history", "is not a tenant id" },
        { $"/api/tenants/{Tenant}/sites/bad%20site/devices/tank-1/points/level/history", "'bad site' is not a site id" },
        { $"/api/tenants/{Tenant}/sites/{Site}/devices/tank%20one/points/level/history", "'tank one' is not a device id" },
        { $"/api/tenants/{Tenant}/sites/{Site}/devices/tank-1/points/lev%20el/history", "'lev el' is not a point id" },
    };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Invalid_route_id_is_refused_with_a_problem_that_names_the_id(string url, string expected)
    {
        var problem = await ProblemAsync(await host.Api.GetAsync(url), HttpStatusCode.BadRequest);
        problem.Detail.ShouldNotBeNull().ShouldContain(expected);
    }

    [Fact]
    public async Task Point_history_accepts_dotted_point_ids_and_refuses_a_limit_out_of_range()
    {
        var history = $"/api/tenants/{Tenant}/sites/{Site}/devices/pumps-1/points/pump1.vfdFault/history";
        (await host.Api.GetAsync(history)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var problem = await ProblemAsync(await host.Api.GetAsync(history + "?limit=0"), HttpStatusCode.BadRequest);
        problem.Detail.ShouldBe("limit 0 is out of range; allowed 1..100000.");
    }

    [Theory]
    [InlineData("?to=0001-01-01T00:00:00Z")]
    [InlineData("?from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z")]
    public async Task Point_history_refuses_times_before_1970_instead_of_failing(string query)
    {
        var response = await host.Api.GetAsync($"/api/tenants/{Tenant}/sites/{Site}/devices/tank-1/points/level/history{query}");
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        problem.Detail.ShouldNotBeNull().ShouldContain("after 1970-01-01");
    }

    [Fact]
    public async Task A_query_value_that_cannot_be_read_gets_a_problem_naming_the_parameter()
    {
        var problem = await ProblemAsync(await host.Api.GetAsync($"/api/tenants/{Tenant}/alarms?limit=many"), HttpStatusCode.BadRequest);
        problem.Detail.ShouldNotBeNull().ShouldContain("limit");
        problem.Detail.ShouldContain("many");
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_a_problem_naming_the_parameter()
    {
        using var content = new StringContent("not json", System.Text.Encoding.UTF8, "application/json");
        var problem = await ProblemAsync(await host.Api.PostAsync("/api/demo/faults", content), HttpStatusCode.BadRequest);
        problem.Detail.ShouldNotBeNull().ShouldContain("request");
    }

    [Fact]
    public async Task Unknown_ticket_answers_a_problem_that_names_the_ticket()
    {
        var problem = await ProblemAsync(await host.Api.GetAsync($"/api/tenants/{Tenant}/tickets/987654"), HttpStatusCode.NotFound);
        problem.Title.ShouldBe("No such ticket");
        problem.Detail.ShouldNotBeNull().ShouldContain("987654");
    }

    [Fact]
    public async Task Unknown_ticket_action_is_a_bad_request_listing_the_allowed_actions()
    {
        var problem = await ProblemAsync(
            await host.Api.PostAsJsonAsync($"/api/tenants/{Tenant}/tickets/1/actions", new TicketActionRequest("fly")),
            HttpStatusCode.BadRequest);
        problem.Detail.ShouldBe("Unknown action 'fly'; allowed: dispatch, accept, arrive, resolve, callback, close, reopen, cancel.");
    }

    [Fact]
    public async Task Free_text_longer_than_the_store_keeps_is_refused()
    {
        var problem = await ProblemAsync(
            await host.Api.PostAsJsonAsync($"/api/tenants/{Tenant}/alarms/1/acknowledge", new AcknowledgeAlarmRequest(new string('x', 2001))),
            HttpStatusCode.BadRequest);
        problem.Detail.ShouldBe("'note' is 2001 characters long; at most 2000 are allowed.");
    }

    [Fact]
    public async Task Missing_fault_name_is_refused_with_the_list_of_known_faults()
    {
        var problem = await ProblemAsync(await host.Api.PostAsJsonAsync("/api/demo/faults", new { }), HttpStatusCode.BadRequest);
        problem.Detail.ShouldNotBeNull().ShouldStartWith("'fault' is required; one of ");
        problem.Detail.ShouldContain("tank-low");
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    public async Task Language_switch_never_redirects_off_the_site(string redirectUri)
    {
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/culture/set?culture=en&redirectUri={Uri.EscapeDataString(redirectUri)}");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
        response.Headers.GetValues("Set-Cookie").ShouldContain(c => c.Contains(".AspNetCore.Culture=c%3Den%7Cuic%3Den", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Language_switch_returns_to_the_page_the_person_was_on()
    {
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/culture/set?culture=zh-CN&redirectUri=%2Ftickets");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/tickets");
    }

    [Fact]
    public async Task Every_api_operation_has_a_name_and_a_summary_in_openapi()
    {
        using var doc = JsonDocument.Parse(await host.Api.GetStringAsync("/openapi/v1.json"));
        var operations = doc.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name.ToUpperInvariant()} {path.Name}", Op: op.Value)))
            .ToList();
        operations.ShouldNotBeEmpty();
        operations.Where(o => !o.Op.TryGetProperty("operationId", out _) || !o.Op.TryGetProperty("summary", out _))
            .Select(o => o.Name)
            .ShouldBeEmpty("every endpoint needs WithName and WithSummary");
        operations.Where(o => o.Name.Contains("/api/tenants/", StringComparison.Ordinal) && !o.Op.GetProperty("responses").TryGetProperty("400", out _))
            .Select(o => o.Name)
            .ShouldBeEmpty("tenant endpoints document their 400 ProblemDetails");
    }

    private static async Task<ProblemDetails> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        return JsonSerializer.Deserialize<ProblemDetails>(body, JsonSerializerOptions.Web).ShouldNotBeNull();
    }
}
