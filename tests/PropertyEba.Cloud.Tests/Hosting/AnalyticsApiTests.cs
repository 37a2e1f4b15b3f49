using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Cloud.Analytics;
using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>The analytics API on the real host: assets from the demo estate, samples in the embedded store, JSON, CSV and refusals.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class AnalyticsApiTests(CloudHostFixture host)
{
    private const string Tenant = CloudHostFixture.Tenant;
    private const string Site = CloudHostFixture.Site;

    // A day long before the demo's live data, so its samples do not mix in: 2024-04-10 on the site's clock (+08:00).
    private static readonly DateTimeOffset LocalDay = new(2024, 4, 10, 0, 0, 0, TimeSpan.FromHours(8));

    private static readonly SemaphoreSlim SeedLock = new(1, 1);
    private static bool _seeded;

    private async Task SeedMeterAsync()
    {
        // Once per test run: the host (and its store) is shared by the collection.
        await SeedLock.WaitAsync();
        try
        {
            if (_seeded)
            {
                return;
            }

            await AppendMeterAsync();
            _seeded = true;
        }
        finally
        {
            SeedLock.Release();
        }
    }

    private async Task AppendMeterAsync()
    {
        // The demo's meter-1: 1 kWh every 15 min for two local days, reset to 0 at 12:00 on day 1 (the reading after it is 1).
        var store = host.Services.GetRequiredService<ITelemetryStore>();
        var samples = new List<SeriesSample>();
        double value = 5_000;
        for (var t = LocalDay; t <= LocalDay.AddDays(2); t = t.AddMinutes(15))
        {
            samples.Add(new(new SeriesKey(Tenant, Site, "meter-1", "energyImport"), new StoredSample(t.ToUnixTimeMilliseconds(), value, 0)));
            value = t == LocalDay.AddHours(12) ? 1 : value + 1;
        }

        await store.AppendAsync(samples, CancellationToken.None);
    }

    private static string Range(DateTimeOffset from, DateTimeOffset to) =>
        $"from={Uri.EscapeDataString(from.ToString("o"))}&to={Uri.EscapeDataString(to.ToString("o"))}";

    [Fact]
    public async Task Daily_consumption_per_site_counts_a_meter_across_a_reset_on_the_site_clock()
    {
        await SeedMeterAsync();

        var rows = await host.Api.GetFromJsonAsync<List<ConsumptionRow>>(
            $"/api/tenants/{Tenant}/analytics/consumption?site={Site}&point=energyImport&device=meter-1&groupBy=site&window=day&{Range(LocalDay, LocalDay.AddDays(2))}");

        // 96 quarter hours a day, 1 kWh each; the reset loses nothing and adds nothing.
        rows.ShouldNotBeNull().Select(r => r.Consumption).ShouldBe([96.0, 96.0], tolerance: 1e-9);
        rows.ShouldAllBe(r => r.Group == Site && r.Series == 1 && r.Unit == "kWh");
        rows[0].LocalStart.ShouldBe(LocalDay);
        rows[0].Start.ShouldBe(LocalDay.ToUniversalTime());
    }

    [Fact]
    public async Task Aggregates_come_as_csv_with_a_header_and_one_line_per_group_and_window()
    {
        await SeedMeterAsync();

        var response = await host.Api.GetAsync(
            $"/api/tenants/{Tenant}/analytics/aggregates?site={Site}&point=energyImport&device=meter-1&groupBy=device&window=1h&format=csv&{Range(LocalDay, LocalDay.AddHours(2))}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/csv");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldBe([
            "group,start,end,localStart,series,count,mean,min,max,first,last",
            $"{Site}/meter-1,2024-04-09T16:00:00+00:00,2024-04-09T17:00:00+00:00,2024-04-10T00:00:00+08:00,1,4,5001.5,5000,5003,5000,5003",
            $"{Site}/meter-1,2024-04-09T17:00:00+00:00,2024-04-09T18:00:00+00:00,2024-04-10T01:00:00+08:00,1,4,5005.5,5004,5007,5004,5007",
        ]);
    }

    [Fact]
    public async Task Raw_values_come_as_csv_oldest_first()
    {
        await SeedMeterAsync();

        var csv = await host.Api.GetStringAsync($"/api/tenants/{Tenant}/analytics/raw?site={Site}&device=meter-1&point=energyImport&format=csv&{Range(LocalDay.AddHours(12), LocalDay.AddHours(12).AddMinutes(30))}");

        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).ShouldBe([
            "time,value,quality",
            "2024-04-10T04:00:00+00:00,5048,0",
            "2024-04-10T04:15:00+00:00,1,0",
        ]);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "window=day", "point '' is missing" },
        { "point=energyImport&window=fortnight", "window 'fortnight' is not known" },
        { "point=energyImport&window=7m", "must be whole minutes, at least 1 minute, and divide a day" },
        { "point=energyImport&window=PT30S", "must be whole minutes" },
        { "point=energyImport&groupBy=floor", "groupBy 'floor' is not known; use series, device, location, building or site." },
        { "point=energyImport&format=xlsx", "format 'xlsx' is not known; use 'json' or 'csv'." },
        { "point=energyImport&site=bad%20site", "site 'bad site' is not an id" },
        { "point=energyImport&window=day&from=2010-01-01T00:00:00Z&to=2021-01-01T00:00:00Z", "this query allows at most 3700 days" },
        { "point=energyImport&window=1h&from=2024-01-01T00:00:00Z&to=2025-06-01T00:00:00Z", "this query allows at most 366 days" },
        { "point=energyImport&window=1m&from=2024-01-01T00:00:00Z&to=2024-06-01T00:00:00Z", "more than 100,000 rows (windows × groups)" },
        { "point=energyImport&from=2024-01-02T00:00:00Z&to=2024-01-01T00:00:00Z", "must be before 'to'" },
        { "point=energyImport", "Give both 'from' and 'to'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_request_beyond_a_limit_is_refused_with_a_problem_saying_what_is_allowed(string query, string expected)
    {
        if (!query.Contains("from=", StringComparison.Ordinal) && query != "point=energyImport")
        {
            query += "&" + Range(LocalDay, LocalDay.AddDays(1));
        }

        foreach (var path in new[] { "aggregates", "consumption" })
        {
            var response = await host.Api.GetAsync($"/api/tenants/{Tenant}/analytics/{path}?{query}");
            var body = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
            JsonSerializer.Deserialize<ProblemDetails>(body, JsonSerializerOptions.Web).ShouldNotBeNull().Detail.ShouldNotBeNull().ShouldContain(expected);
        }
    }

    [Fact]
    public async Task Raw_values_refuse_a_range_longer_than_31_days()
    {
        var response = await host.Api.GetAsync($"/api/tenants/{Tenant}/analytics/raw?site={Site}&device=meter-1&point=energyImport&{Range(LocalDay, LocalDay.AddDays(40))}");
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        body.ShouldContain("this query allows at most 31 days");
    }
}
