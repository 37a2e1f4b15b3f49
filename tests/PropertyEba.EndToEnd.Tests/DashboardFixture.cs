using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PropertyEba.Cloud.Identity;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Testing;

namespace PropertyEba.EndToEnd.Tests;

/// <summary>
/// The cloud service on real Kestrel (a free loopback port) with its demo estate, and Debian's headless
/// Chromium driven by Playwright. Screenshots go to tests/artifacts/ (or $PROPERTYEBA_ARTIFACTS).
/// </summary>
public sealed class DashboardFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly int _port = FreePort.Next();
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("propertyeba-e2e-").FullName;

    public string BaseUrl => $"http://127.0.0.1:{_port}";

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Signed in (bearer token) as the demo tenant's administrator.</summary>
    public HttpClient Api { get; private set; } = default!;

    /// <summary>The sign-in the demo generated at this start for a role of the demo tenant.</summary>
    public GeneratedSignIn SignInOf(string role) => Services.GetRequiredService<InitialSignIns>().For(role, "demo");

    /// <summary>Signs the page in through the sign-in form, as a person does, and waits for the page it returns to.</summary>
    public async Task SignInAsync(IPage page, string role, string path = "/")
    {
        var signIn = SignInOf(role);
        await page.GotoAsync(BaseUrl + path);
        await page.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await page.GetByTestId("signin-user").FillAsync(signIn.UserName);
        await page.GetByTestId("signin-password").FillAsync(signIn.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
    }

    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("PROPERTYEBA_ARTIFACTS")
                ?? Path.Combine(FindRepoRoot(), "tests", "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Persistence:DataDirectory"] = DataDirectory,
            ["Mqtt:Port"] = "0",
            ["Mqtt:ClientId"] = "e2e-tests",
            ["DemoEstate:PollInterval"] = "00:00:00.5",
        }));
    }

    public async Task InitializeAsync()
    {
        var chromium = Prerequisite.Program("chromium", "chromium", "/usr/bin/chromium");
        UseKestrel(_port);
        StartServer();
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var admin = SignInOf(Roles.Administrator);
        using (var token = await Api.PostAsJsonAsync("/api/auth/token", new TokenRequest(admin.UserName, admin.Password)))
        {
            token.EnsureSuccessStatusCode();
            var accessToken = (await token.Content.ReadFromJsonAsync<AccessTokenResponse>())!.AccessToken;
            Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        }

        await Eventually.UntilAsync(
            async ct => (await Api.GetFromJsonAsync<List<DeviceDto>>("/api/tenants/demo/sites/sunny-garden/devices", ct))!,
            devices => devices.Count >= 3 && devices.All(d => d.Points.Any(p => p.Quality == "good")),
            "the demo estate to report live values",
            TimeSpan.FromSeconds(60));

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // This machine's network is closed: without these flags Chromium tries (and fails) to reach Google's services at every start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        await DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still flushing; the OS cleans temp later.
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PropertyEba.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Path.GetTempPath();
    }
}
