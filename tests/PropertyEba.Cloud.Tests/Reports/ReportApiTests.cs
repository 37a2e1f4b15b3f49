using System.Net;
using System.Net.Http.Json;
using System.Text;
using PropertyEba.Cloud.Tests.Hosting;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Tests.Reports;

[Collection(CloudHostCollection.Name)]
public sealed class ReportApiTests(CloudHostFixture host)
{
    private const string Reports = $"/api/tenants/{CloudHostFixture.Tenant}/reports";

    [Fact]
    public async Task Performance_is_served_as_json_csv_and_excel_and_a_bad_period_is_refused()
    {
        var created = await host.Api.PostAsJsonAsync($"/api/tenants/{CloudHostFixture.Tenant}/tickets", new CreateTicketRequest(CloudHostFixture.Site, "Report check", Severity.Normal));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));

        var json = await host.Api.GetFromJsonAsync<PerformanceReportDto>($"{Reports}/performance?from={from}&to={to}&by=site");
        json!.Rows.ShouldContain(r => r.Key == CloudHostFixture.Site && r.Tickets >= 1);

        var csv = await host.Api.GetAsync($"{Reports}/performance?from={from}&to={to}&by=site&format=csv");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).ShouldContain($"{CloudHostFixture.Site},");

        var xlsx = await host.Api.GetAsync($"{Reports}/performance?from={from}&to={to}&format=xlsx");
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await xlsx.Content.ReadAsByteArrayAsync()).Take(2).ShouldBe("PK"u8.ToArray(), "an .xlsx is a zip");

        var backwards = await host.Api.GetAsync($"{Reports}/performance?from={to}&to={from}");
        backwards.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await host.Api.GetAsync($"{Reports}/performance?from={from}&to={to}&by=colour")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Daily_review_lists_the_open_desk_ticket_without_a_technician()
    {
        var created = await host.Api.PostAsJsonAsync($"/api/tenants/{CloudHostFixture.Tenant}/tickets", new CreateTicketRequest(CloudHostFixture.Site, "Review check", Severity.Urgent));
        var ticket = (await created.Content.ReadFromJsonAsync<TicketDto>())!;
        var review = await host.Api.GetFromJsonAsync<DailyReviewDto>($"{Reports}/daily-review?siteId={CloudHostFixture.Site}");
        review!.Technicians.SelectMany(t => t.Open).ShouldContain(o => o.Id == ticket.Id);
        (await host.Api.GetAsync($"{Reports}/daily-review?date=07-12-2026")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
