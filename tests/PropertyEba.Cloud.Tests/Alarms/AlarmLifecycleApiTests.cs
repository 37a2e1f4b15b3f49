using System.Net;
using System.Net.Http.Json;
using PropertyEba.Cloud.Tests.Hosting;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Alarms;

/// <summary>The alarm lifecycle through the API of the running cloud: shelve with its bounds, unshelve, reset refused, comments.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class AlarmLifecycleApiTests(CloudHostFixture host)
{
    private const string Alarms = $"/api/tenants/{CloudHostFixture.Tenant}/alarms";

    [Fact]
    public async Task An_engineer_shelves_a_pump_trip_with_a_reason_for_a_bounded_time_comments_on_it_and_cannot_reset_it_while_it_holds()
    {
        (await host.Api.PostAsJsonAsync("/api/demo/faults", new { fault = "pump-trip" })).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        try
        {
            var list = await Eventually.UntilAsync(
                async ct => (await host.Api.GetFromJsonAsync<List<AlarmDto>>($"{Alarms}?active=true", ct))!,
                l => l.Any(a => a.RuleId == "pump1-vfd-fault"),
                "an active pump1-vfd-fault alarm");
            var alarm = list.First(a => a.RuleId == "pump1-vfd-fault");
            using var engineer = await host.SignInAsAsync(Tenancy.Roles.Engineer, CloudHostFixture.Tenant);

            var tooLong = await engineer.PostAsJsonAsync($"{Alarms}/{alarm.Id}/shelve", new ShelveAlarmRequest(2000, "maintenance"));
            tooLong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await tooLong.Content.ReadAsStringAsync()).ShouldContain("1..1440");
            (await engineer.PostAsJsonAsync($"{Alarms}/{alarm.Id}/shelve", new ShelveAlarmRequest(30, " "))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

            var shelved = await engineer.PostAsJsonAsync($"{Alarms}/{alarm.Id}/shelve", new ShelveAlarmRequest(30, "VFD being replaced"));
            shelved.StatusCode.ShouldBe(HttpStatusCode.OK);
            var dto = (await shelved.Content.ReadFromJsonAsync<AlarmDto>())!;
            dto.ShelveReason.ShouldBe("VFD being replaced");
            dto.ShelvedUntilUtc.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(29));

            var unshelved = await engineer.PostAsync($"{Alarms}/{alarm.Id}/unshelve", null);
            (await unshelved.Content.ReadFromJsonAsync<AlarmDto>())!.ShelvedUntilUtc.ShouldBeNull();
            (await engineer.PostAsync($"{Alarms}/{alarm.Id}/unshelve", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict, "it is not shelved any more");

            var reset = await engineer.PostAsync($"{Alarms}/{alarm.Id}/reset", null);
            reset.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await reset.Content.ReadAsStringAsync()).ShouldContain("latched");

            (await engineer.PostAsJsonAsync($"{Alarms}/{alarm.Id}/comments", new AlarmCommentRequest("F0001 on the VFD display"))).StatusCode.ShouldBe(HttpStatusCode.OK);
            var comments = await engineer.GetFromJsonAsync<List<AlarmCommentDto>>($"{Alarms}/{alarm.Id}/comments");
            var comment = comments.ShouldNotBeNull().ShouldHaveSingleItem();
            comment.Text.ShouldBe("F0001 on the VFD display");
            comment.By.ShouldContain("(demo-engineer)");
            (await engineer.GetAsync($"{Alarms}/987654321/comments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            await host.Api.DeleteAsync("/api/demo/faults");
        }
    }
}
