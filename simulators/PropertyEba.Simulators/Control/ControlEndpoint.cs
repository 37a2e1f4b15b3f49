using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PropertyEba.Simulators.Faults;
using Serilog;

namespace PropertyEba.Simulators.Control;

/// <summary>
/// The HTTP control endpoint of running estates (minimal API on loopback): list estates and devices,
/// read current values, inject and clear faults. Routes are under <c>/estates/{estate}</c>.
/// </summary>
public sealed class ControlEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControlEndpoint(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The endpoint's root URL, e.g. <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri BaseUri { get; }

    /// <summary>The control URL of one estate.</summary>
    public Uri EstateUri(string estate) => new(BaseUri, $"estates/{Uri.EscapeDataString(estate)}");

    /// <summary>Starts serving the estates.</summary>
    public static async Task<ControlEndpoint> StartAsync(IReadOnlyList<SimulatedEstate> estates, ControlEndpointOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(estates);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Address, options.Port));
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        var byName = estates.ToDictionary(e => e.Name, StringComparer.Ordinal);
        MapRoutes(app, byName);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var host = options.Address.Equals(IPAddress.Any) ? "127.0.0.1" : options.Address.ToString();
        return new ControlEndpoint(app, new Uri($"http://{host}:{port}/"));
    }

    private static void MapRoutes(WebApplication app, IReadOnlyDictionary<string, SimulatedEstate> estates)
    {
        app.MapGet("/estates", (HttpContext http) => TypedResults.Ok(estates.Values.Select(e =>
            new EstateSummaryDto(e.Name, e.Devices.Count, $"{http.Request.Scheme}://{http.Request.Host}/estates/{Uri.EscapeDataString(e.Name)}", e.AvailableFaults)).ToList()))
            .WithName("ListEstates").WithTags("Simulator control").WithSummary("Estates served, with their control URLs and faults");

        var group = app.MapGroup("/estates/{estate}").WithTags("Simulator control");
        group.MapGet("/devices", Results<Ok<List<DeviceDto>>, ProblemHttpResult> (string estate) =>
            Find(estates, estate, out var e) is { } problem
                ? problem
                : TypedResults.Ok(e.Devices.Select(d => new DeviceDto(d.DeviceId, d.Model, d.Uri, d.UnitId)).ToList()))
            .WithName("ListDevices").WithSummary("Devices of an estate and where each answers");

        group.MapGet("/devices/{deviceId}/values", Results<Ok<DeviceValuesDto>, ProblemHttpResult> (string estate, string deviceId) =>
        {
            if (Find(estates, estate, out var e) is { } problem)
            {
                return problem;
            }

            var endpoint = e.Devices.FirstOrDefault(d => d.DeviceId == deviceId);
            if (endpoint is null)
            {
                return TypedResults.Problem($"Estate {estate} has no device '{deviceId}'; devices: {string.Join(", ", e.Devices.Select(d => d.DeviceId))}.", statusCode: StatusCodes.Status404NotFound, title: "No such device");
            }

            var profile = e.ProfileOf(deviceId);
            var values = profile.Points.Select(p => new PointValueDto(p.Id, p.Name, p.NameZh, p.Unit, e.ReadValue(deviceId, p.Id))).ToList();
            return TypedResults.Ok(new DeviceValuesDto(deviceId, endpoint.Model, values));
        }).WithName("GetDeviceValues").WithSummary("Every point of a device with its current value");

        group.MapGet("/faults", Results<Ok<FaultsDto>, ProblemHttpResult> (string estate) =>
            Find(estates, estate, out var e) is { } problem
                ? problem
                : TypedResults.Ok(new FaultsDto(
                    [.. e.AvailableFaults.Select(f => FaultCatalog.Find(f)!).Select(f => new FaultDescriptionDto(f.Name, f.Kind.ToString(), f.Description))],
                    e.ActiveFaults)))
            .WithName("ListFaults").WithSummary("Faults that apply to the estate, and those in effect");

        group.MapPost("/faults", Results<Ok<IReadOnlyList<ActiveFault>>, ProblemHttpResult> (string estate, FaultRequestDto request) =>
        {
            if (Find(estates, estate, out var e) is { } problem)
            {
                return problem;
            }

            try
            {
                e.InjectFault(request.Fault, request.Device);
                return TypedResults.Ok(e.ActiveFaults);
            }
            catch (ArgumentException ex)
            {
                return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "Fault not applicable");
            }
        }).WithName("InjectFault").WithSummary("Inject a fault into a device (or the first device it applies to)");

        group.MapPost("/faults/clear", Results<NoContent, ProblemHttpResult> (string estate) =>
        {
            if (Find(estates, estate, out var e) is { } problem)
            {
                return problem;
            }

            e.ClearFaults();
            return TypedResults.NoContent();
        }).WithName("ClearFaults").WithSummary("Clear every fault of the estate");
    }

    private static ProblemHttpResult? Find(IReadOnlyDictionary<string, SimulatedEstate> estates, string name, out SimulatedEstate estate)
    {
        if (estates.TryGetValue(name, out estate!))
        {
            return null;
        }

        return TypedResults.Problem($"No estate '{name}'; estates: {string.Join(", ", estates.Keys.Take(20))}.", statusCode: StatusCodes.Status404NotFound, title: "No such estate");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
