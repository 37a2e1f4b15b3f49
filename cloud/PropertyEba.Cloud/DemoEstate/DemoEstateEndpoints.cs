using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.DemoEstate;

/// <summary>A fault to inject into the demo estate.</summary>
public sealed record InjectFaultRequest(string Fault, string? DeviceId = null);

/// <summary>What the demo estate is serving.</summary>
public sealed record DemoEstateDto(string Name, IReadOnlyList<DemoDeviceDto> Devices, IReadOnlyList<string> Faults);

/// <summary>One simulated device and where the edge reaches it.</summary>
public sealed record DemoDeviceDto(string DeviceId, string Model, string Endpoint, byte UnitId);

public static class DemoEstateEndpoints
{
    public static IEndpointRouteBuilder MapDemoEstateEndpoints(this IEndpointRouteBuilder app)
    {
        // The demo company's installers and administrators commission and break the simulated estate; nobody else.
        var group = app.MapGroup("/api/demo").WithTags("Demo estate").ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.ManageEquipment)
            .AddEndpointFilter(OnlyTheDemoTenant);
        group.MapGet("/", GetDemoEstate).WithName("GetDemoEstate").WithSummary("The simulated devices and the faults that can be injected.");
        group.MapPost("/faults", InjectDemoFault).WithName("InjectDemoFault").WithSummary("Injects a fault (tank-low, pump-trip, ...) into the simulated estate.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapDelete("/faults", ClearDemoFaults).WithName("ClearDemoFaults").WithSummary("Clears every injected fault.");
        return app;
    }

    public static Results<Ok<DemoEstateDto>, ProblemHttpResult> GetDemoEstate(DemoEstateRuntime runtime) =>
        runtime.Estate is { } e
            ? TypedResults.Ok(new DemoEstateDto(e.Name, [.. e.Devices.Select(d => new DemoDeviceDto(d.DeviceId, d.Model, $"tcp://{d.Host}:{d.Port}", d.UnitId))], e.AvailableFaults))
            : NotRunning();

    public static Results<NoContent, ProblemHttpResult> InjectDemoFault(InjectFaultRequest request, DemoEstateRuntime runtime)
    {
        if (runtime.Estate is not { } estate)
        {
            return NotRunning();
        }

        if (string.IsNullOrWhiteSpace(request.Fault))
        {
            return TypedResults.Problem($"'fault' is required; one of {string.Join(", ", estate.AvailableFaults)}.", statusCode: StatusCodes.Status400BadRequest, title: "Missing fault");
        }

        try
        {
            estate.InjectFault(request.Fault, request.DeviceId);
            return TypedResults.NoContent();
        }
        catch (ArgumentException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: 400, title: "Unknown fault or device");
        }
    }

    public static Results<NoContent, ProblemHttpResult> ClearDemoFaults(DemoEstateRuntime runtime)
    {
        if (runtime.Estate is not { } estate)
        {
            return NotRunning();
        }

        estate.ClearFaults();
        return TypedResults.NoContent();
    }

    private static async ValueTask<object?> OnlyTheDemoTenant(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var demoTenant = context.HttpContext.RequestServices.GetRequiredService<IOptions<DemoEstateOptions>>().Value.TenantId;
        return EbaClaims.CallerOf(context.HttpContext.User).TenantId == demoTenant
            ? await next(context)
            : TypedResults.Problem($"Only users of the demo tenant '{demoTenant}' may use the demo estate.", statusCode: StatusCodes.Status403Forbidden, title: "Not the demo tenant");
    }

    private static ProblemHttpResult NotRunning() =>
        TypedResults.Problem("The demo estate is not running (DemoEstate:Enabled is false, or it is still starting).", statusCode: StatusCodes.Status409Conflict, title: "Demo estate not running");
}
