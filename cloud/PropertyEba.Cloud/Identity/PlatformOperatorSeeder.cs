using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Identity;

/// <summary>
/// At start-up, after the schema is current: creates the roles, and the first platform operator from
/// <c>Identity:PlatformOperator</c> when none exists. No password ships: without an operator and without that
/// setting the service refuses to start (the demo generates a random one instead and prints it).
/// </summary>
internal sealed partial class PlatformOperatorSeeder(
    IServiceScopeFactory scopes,
    IDbContextFactory<EbaDbContext> dbFactory,
    UserAdministration users,
    InitialSignIns signIns,
    IOptions<EbaIdentityOptions> options,
    ILogger<PlatformOperatorSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in Roles.All)
            {
                if (!await roles.RoleExistsAsync(role))
                {
                    await roles.CreateAsync(new IdentityRole(role));
                }
            }
        }

        var o = options.Value;
        if (await AnyOperatorAsync(cancellationToken))
        {
            return;
        }

        if (o.PlatformOperator is { UserName: { Length: > 0 } userName, Password: { Length: > 0 } password })
        {
            await users.EnsureAsync(null, userName, "Platform operator", password, [Roles.PlatformOperator], cancellationToken);
            LogCreated(userName);
            return;
        }

        if (o.GenerateMissingPlatformOperator)
        {
            var generated = new GeneratedSignIn(Roles.PlatformOperator, "operator", UserAdministration.GeneratePassword(), null);
            await users.EnsureAsync(null, generated.UserName, "Platform operator", generated.Password, [Roles.PlatformOperator], cancellationToken);
            signIns.Add(generated);
            return;
        }

        throw new InvalidOperationException(
            $"No platform operator exists and none is configured. Set {EbaIdentityOptions.SectionName}:PlatformOperator:UserName and " +
            $"{EbaIdentityOptions.SectionName}:PlatformOperator:Password (at least {o.MinimumPasswordLength} characters, with upper case, lower case and a digit) " +
            "for the first start, e.g. as environment variables Identity__PlatformOperator__UserName and Identity__PlatformOperator__Password, " +
            "or run the demo (DemoEstate:Enabled=true), which generates its sign-ins.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> AnyOperatorAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (from ur in db.UserRoles
                      join r in db.Roles on ur.RoleId equals r.Id
                      where r.Name == Roles.PlatformOperator
                      select ur.UserId).AnyAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the platform operator {UserName} from the configuration; remove the password from it now that the account exists")]
    private partial void LogCreated(string userName);
}
