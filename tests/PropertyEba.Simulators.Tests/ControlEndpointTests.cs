using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Simulators.Control;
using PropertyEba.Testing;

namespace PropertyEba.Simulators.Tests;

public sealed class ControlEndpointTests : IAsyncLifetime
{
    private SimulatedEstate _estate = null!;
    private ControlEndpoint _control = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _estate = await SimulatedEstate.StartAsync("demo", new SimulationOptions(), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        _control = await ControlEndpoint.StartAsync([_estate], new ControlEndpointOptions(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _control.DisposeAsync();
        await _estate.DisposeAsync();
    }

    [Fact]
    public async Task Lists_estates_and_devices_with_their_modbus_endpoints()
    {
        _control.BaseUri.Host.ShouldBe("127.0.0.1");
        var estates = await _http.GetFromJsonAsync<List<EstateSummaryDto>>(new Uri(_control.BaseUri, "estates"));
        estates!.Single().Name.ShouldBe("demo");
        var devices = await _http.GetFromJsonAsync<List<DeviceDto>>($"{_control.EstateUri("demo")}/devices");
        devices!.Select(d => d.Id).ShouldBe(["tank-1", "pumps-1", "meter-1"]);
        devices!.ShouldAllBe(d => d.Endpoint.StartsWith("tcp://127.0.0.1:"));
    }

    [Fact]
    public async Task Values_carry_point_names_units_and_current_values()
    {
        var values = await _http.GetFromJsonAsync<DeviceValuesDto>($"{_control.EstateUri("demo")}/devices/tank-1/values");
        var level = values!.Values.Single(v => v.Id == "level");
        level.Unit.ShouldBe("m");
        level.NameZh.ShouldBe("生活水箱水位");
        level.Value.ShouldBeInRange(1.0, 3.0);
    }

    [Fact]
    public async Task Posted_fault_shows_on_modbus_and_clear_removes_it()
    {
        await using var pumps = new PointReader(_estate, "pumps-1");
        using var inject = await _http.PostAsJsonAsync($"{_control.EstateUri("demo")}/faults", new FaultRequestDto("pump-trip", "pumps-1"));
        inject.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.UntilAsync(ct => pumps.ReadAsync("pump1.vfdFault", ct), v => v == 1, "VFD fault over Modbus", TimeSpan.FromSeconds(5));
        var faults = await _http.GetFromJsonAsync<FaultsDto>($"{_control.EstateUri("demo")}/faults");
        faults!.Active.ShouldContain(new Faults.ActiveFault("pump-trip", "pumps-1"));
        faults.Available.ShouldContain(f => f.Name == "tank-low" && f.Description.Contains("0.5 m"));
        using var clear = await _http.PostAsync($"{_control.EstateUri("demo")}/faults/clear", null);
        clear.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await Eventually.UntilAsync(ct => pumps.ReadAsync("pump1.vfdFault", ct), v => v == 0, "VFD fault cleared over Modbus", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Unknown_fault_or_estate_answers_problem_details_that_say_what_is_allowed()
    {
        using var bad = await _http.PostAsJsonAsync($"{_control.EstateUri("demo")}/faults", new FaultRequestDto("volcano", null));
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await bad.Content.ReadAsStringAsync()).ShouldContain("tank-low");
        using var missing = await _http.GetAsync(new Uri(_control.BaseUri, "estates/atlantis/devices"));
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("demo");
    }
}
