using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Cloud.Tests.Persistence;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Hosting;

/// <summary>The whole cloud with <c>Persistence:Provider = postgresql</c>, on a database of its own on the test run's server.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlCloudTests(PostgreSqlFixture postgres) : IAsyncLifetime
{
    private const string Tenant = "pg-estates";
    private const string Site = "riverside";

    private readonly TempStore _database = new(postgres: postgres.Server);
    private StandaloneCloud? _cloud;

    private StandaloneCloud Cloud => _cloud ?? throw new InvalidOperationException("The cloud has not started.");

    public Task InitializeAsync()
    {
        _cloud = new StandaloneCloud(new Dictionary<string, string?>(_database.Settings) { ["Mqtt:Port"] = "0" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_cloud is not null)
        {
            await _cloud.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Starts_on_postgresql_and_takes_an_alarm_through_acknowledgement_and_its_ticket_to_closed()
    {
        Cloud.Services.GetRequiredService<IOptions<PersistenceOptions>>().Value.IsPostgreSql.ShouldBeTrue();
        await using (var db = await Cloud.Services.GetRequiredService<IDbContextFactory<EbaDbContext>>().CreateDbContextAsync())
        {
            db.ShouldBeOfType<PostgreSqlEbaDbContext>();
            db.Add(new AlarmRule
            {
                TenantId = Tenant,
                RuleId = "pump-trip",
                Name = "Pump trip",
                PointId = "pump1_fault",
                Condition = AlarmCondition.StateEquals,
                Threshold = 1,
                Severity = Severity.Urgent,
                OpensTicket = true,
            });
            await db.SaveChangesAsync();
        }

        Cloud.Services.GetRequiredService<AlarmEngine>().InvalidateRules(Tenant);
        await IngestAsync(value: 1);

        using var api = await Cloud.SignInAsNewUserAsync(Tenant, Roles.Administrator);
        var alarm = await Eventually.UntilAsync(
            async _ => (await api.GetFromJsonAsync<List<AlarmDto>>($"/api/tenants/{Tenant}/alarms?active=true"))!,
            alarms => alarms.Count == 1 && alarms[0].TicketId is not null,
            "the pump trip to raise an alarm with its ticket");
        alarm[0].SiteId.ShouldBe(Site);

        var acknowledged = await api.PostAsJsonAsync($"/api/tenants/{Tenant}/alarms/{alarm[0].Id}/acknowledge", new AcknowledgeAlarmRequest("seen"));
        acknowledged.StatusCode.ShouldBe(HttpStatusCode.OK, await acknowledged.Content.ReadAsStringAsync());
        (await acknowledged.Content.ReadFromJsonAsync<AlarmDto>())!.AcknowledgedUtc.ShouldNotBeNull();

        var tickets = $"/api/tenants/{Tenant}/tickets/{alarm[0].TicketId}";
        foreach (var action in new[] { new TicketActionRequest("dispatch", "李师傅"), new("accept"), new("arrive"), new("resolve", Cause: "Bearing worn", Remedy: "Replaced the bearing", LabourHours: 1.5), new("callback", Satisfaction: 5), new("close") })
        {
            var response = await api.PostAsJsonAsync($"{tickets}/actions", action);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"action {action.Action}: {await response.Content.ReadAsStringAsync()}");
        }

        var closed = (await api.GetFromJsonAsync<TicketDto>(tickets))!;
        closed.Status.ShouldBe(TicketStatus.Closed);
        closed.AssignedTo.ShouldBe("李师傅");
        closed.OnSiteUtc.ShouldNotBeNull();

        // Another tenant's administrator sees none of it, on PostgreSQL as on SQLite.
        using var stranger = await Cloud.SignInAsNewUserAsync("pg-other", Roles.Administrator);
        (await stranger.GetAsync(tickets.Replace(Tenant, "pg-other", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task IngestAsync(double value)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = new TelemetryBatch
        {
            Schema = 1,
            EdgeId = "pg-edge",
            Seq = 1,
            SentUtcMs = now,
            Samples = [new TelemetrySample { DeviceId = "pumps-1", PointId = "pump1_fault", TimestampUtcMs = now, Value = value }],
        };
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Cloud.Services.GetRequiredService<IngestionQueue>().Writer.WriteAsync(new AcceptedBatch(
            new TopicAddress(Tenant, Site, "pg-edge", MqttTopics.Telemetry),
            batch,
            _ =>
            {
                acknowledged.TrySetResult();
                return Task.CompletedTask;
            }));
        await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
