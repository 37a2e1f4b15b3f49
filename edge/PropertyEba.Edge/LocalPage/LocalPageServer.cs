using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PropertyEba.Edge.Polling;
using PropertyEba.Modbus;

namespace PropertyEba.Edge.LocalPage;

/// <summary>
/// The installer's commissioning page, served by the agent itself (Kestrel, one static page and a small JSON API):
/// each bus and device with its live points, their quality and the communication statistics, and a probe that reads
/// any register once and shows it decoded in every word order. It needs nothing but the agent, so it works with no
/// cloud reachable. Loopback by default; on any other address it refuses to start without a password, and every
/// request must then carry it (HTTP Basic, any user name).
/// </summary>
public sealed class LocalPageServer : IAsyncDisposable
{
    private const string Realm = "PropertyEba edge";
    private readonly WebApplication _app;

    private LocalPageServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the page is served (with the port actually bound).</summary>
    public Uri Address { get; }

    /// <summary>Starts serving the page of <paramref name="agent"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (a network address without a password, among others); the message lists every problem.</exception>
    public static async Task<LocalPageServer> StartAsync(EdgeAgent agent, LocalPageOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        var problems = LocalPageOptions.Validate(new LocalPageOptions { Enabled = true, Address = options.Address, Port = options.Port, Password = options.Password }, $"{EdgeOptions.SectionName}:LocalPage").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The local page cannot start: " + string.Join("; ", problems), nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, LocalPageJsonContext.Default));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var ip = string.Equals(options.Address, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(options.Address);
            kestrel.Listen(ip, options.Port);
        });

        var app = builder.Build();
        var password = string.IsNullOrEmpty(options.Password) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Password));
        if (password is not null)
        {
            app.Use(async (context, next) =>
            {
                if (!Authorised(context.Request, password))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
                    return;
                }

                await next(context);
            });
        }

        app.Use(async (context, next) =>
        {
            // The page shows plant state and can read any register: never framed, never cached, never sniffed.
            context.Response.Headers.XFrameOptions = "DENY";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await next(context);
        });

        MapRoutes(app, agent);
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var logger = loggerFactory.CreateLogger<LocalPageServer>();
        LocalPageLog.Serving(logger, bound, password is not null);
        return new LocalPageServer(app, new Uri(bound));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void MapRoutes(WebApplication app, EdgeAgent agent)
    {
        app.MapGet("/", () => Results.Stream(Page(), "text/html; charset=utf-8"));
        app.MapGet("/api/health", () => Results.Json(agent.GetHealth(), LocalPageJsonContext.Default.EdgeHealth));
        app.MapGet("/api/devices", () =>
        {
            var health = agent.Pollers.ToDictionary(p => p.DeviceId, p => p.Health().State);
            IReadOnlyList<LocalDevice> devices = [.. agent.Pollers.Select(p => new LocalDevice(
                p.DeviceId, p.Device.Model, p.Connection.Description, p.Device.UnitId, health[p.DeviceId], p.Priority, p.Latest))];
            return Results.Json(devices, LocalPageJsonContext.Default.IReadOnlyListLocalDevice);
        });

        // POST with a JSON body, not GET: a cross-site form or image cannot send it, so another page in the installer's
        // browser cannot make the agent read the bus.
        app.MapPost("/api/probe", async (HttpContext context, CancellationToken ct) =>
        {
            ProbeRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync(LocalPageJsonContext.Default.ProbeRequest, ct);
            }
            catch (System.Text.Json.JsonException ex)
            {
                return Problem($"the body is not a probe request: {ex.Message}");
            }

            if (request is null || Validate(request) is { } problem)
            {
                return Problem(request is null ? "the body is empty; send {\"deviceId\", \"table\", \"address\", \"count\"}" : Validate(request)!);
            }

            var table = ParseTable(request.Table)!.Value;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                var (registers, bits) = await agent.ProbeAsync(request.DeviceId, (byte?)request.UnitId, table, (ushort)request.Address, (ushort)request.Count, timeout.Token);
                return Results.Json(ProbeDecoder.Decode((ushort)request.Address, registers, bits), LocalPageJsonContext.Default.ProbeResult);
            }
            catch (KeyNotFoundException ex)
            {
                return Results.Json(new LocalProblem(ex.Message), LocalPageJsonContext.Default.LocalProblem, statusCode: StatusCodes.Status404NotFound);
            }
            catch (Exception ex) when (ex is ModbusException or ModbusCommunicationException)
            {
                // The device's answer is the probe's result, even when it is a refusal or silence.
                return Results.Json(new LocalProblem(ex.Message), LocalPageJsonContext.Default.LocalProblem, statusCode: StatusCodes.Status502BadGateway);
            }
        });
    }

    private static IResult Problem(string error) => Results.Json(new LocalProblem(error), LocalPageJsonContext.Default.LocalProblem, statusCode: StatusCodes.Status400BadRequest);

    private static string? Validate(ProbeRequest request)
    {
        var table = ParseTable(request.Table);
        if (string.IsNullOrWhiteSpace(request.DeviceId))
        {
            return "deviceId is required: the device whose bus is read";
        }

        if (table is null)
        {
            return $"table '{request.Table}' is unknown; allowed: holding, input, coil, discrete";
        }

        if (request.UnitId is < 0 or > 255)
        {
            return $"unitId {request.UnitId} is out of range; allowed 0..255";
        }

        if (request.Address is < 0 or > 65535)
        {
            return $"address {request.Address} is out of range; allowed 0..65535 (0-based: register 40001 is holding address 0)";
        }

        var max = table is ModbusTable.Coils or ModbusTable.DiscreteInputs ? 2000 : 125;
        if (request.Count < 1 || request.Count > max || request.Address + request.Count > 65536)
        {
            return $"count {request.Count} is out of range; allowed 1..{max}, and address + count at most 65536";
        }

        return null;
    }

    private static ModbusTable? ParseTable(string? table) => table?.ToLowerInvariant() switch
    {
        "holding" => ModbusTable.HoldingRegisters,
        "input" => ModbusTable.InputRegisters,
        "coil" => ModbusTable.Coils,
        "discrete" => ModbusTable.DiscreteInputs,
        _ => null,
    };

    private static bool Authorised(HttpRequest request, byte[] passwordHash)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        // Hashing both sides gives equal lengths, so the comparison takes the same time whatever was sent.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]));
        return CryptographicOperations.FixedTimeEquals(given, passwordHash);
    }

    private static Stream Page() =>
        typeof(LocalPageServer).Assembly.GetManifestResourceStream("PropertyEba.Edge.LocalPage.index.html")
        ?? throw new InvalidOperationException("The local page's index.html is not embedded in the agent.");
}

/// <summary>Log messages of the local page (event ids 1450–1469).</summary>
internal static partial class LocalPageLog
{
    [LoggerMessage(1450, LogLevel.Information, "Installer's local page at {Address} (password required: {PasswordRequired})")]
    public static partial void Serving(ILogger logger, string address, bool passwordRequired);

    [LoggerMessage(1451, LogLevel.Error, "The installer's local page cannot start: {Error}")]
    public static partial void CannotStart(ILogger logger, string error);
}

/// <summary>Serves the local page for the lifetime of the host when <c>Edge:LocalPage:Enabled</c> is set.</summary>
internal sealed class LocalPageService(EdgeAgent agent, Microsoft.Extensions.Options.IOptions<EdgeOptions> options, ILoggerFactory loggerFactory) : Microsoft.Extensions.Hosting.IHostedService, IAsyncDisposable
{
    private LocalPageServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var page = options.Value.LocalPage;
        if (page is { Enabled: true })
        {
            try
            {
                _server = await LocalPageServer.StartAsync(agent, page, loggerFactory, cancellationToken);
            }
            catch (IOException ex)
            {
                // The port is taken (another agent, another program): polling matters more than the page, so the agent
                // runs on without it. A page configured unsafely never gets here: the options validation refuses it.
                LocalPageLog.CannotStart(loggerFactory.CreateLogger<LocalPageServer>(), ex.Message);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
