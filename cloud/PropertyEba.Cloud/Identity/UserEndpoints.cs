using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Identity;

/// <summary>A tenant's users (its administrators manage them), and the platform operator's first administrator of a tenant.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapTenantGroup("/users", "Users").RequireAuthorization(Policies.ManageConfiguration);
        users.MapGet("/", ListUsers).WithName("ListUsers").WithSummary("The tenant's users with their roles, sites and lock-out.");
        users.MapPost("/", CreateUser).WithName("CreateUser").WithSummary("Creates a user of the tenant with roles and, optionally, sites.");
        users.MapPut("/{userName}", UpdateUser).WithName("UpdateUser").WithSummary("Replaces a user's roles and sites; locks or unlocks the account.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGroup("/api/platform").WithTags("Platform").RequireAuthorization(Policies.OperatePlatform)
            .MapPost("/tenants/{tenantId}/administrators", CreateTenantAdministrator)
            .WithName("CreateTenantAdministrator").WithSummary("The platform operator creates a tenant's first administrator.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<IReadOnlyList<UserDto>>> ListUsers(string tenantId, UserAdministration users, CancellationToken ct) =>
        TypedResults.Ok(await users.ListAsync(tenantId, ct));

    public static async Task<Results<Created<UserDto>, ValidationProblem>> CreateUser(string tenantId, CreateUserRequest request, UserAdministration users, CancellationToken ct)
    {
        var (user, errors) = await users.CreateAsync(tenantId, request, ct);
        return user is not null ? TypedResults.Created($"/api/tenants/{tenantId}/users/{user.UserName}", user) : TypedResults.ValidationProblem(errors!);
    }

    public static async Task<Results<Ok<UserDto>, ValidationProblem, ProblemHttpResult>> UpdateUser(string tenantId, string userName, UpdateUserRequest request, UserAdministration users, CancellationToken ct)
    {
        var (user, errors) = await users.UpdateAsync(tenantId, userName, request, ct);
        return user is not null ? TypedResults.Ok(user)
            : errors is not null ? TypedResults.ValidationProblem(errors)
            : ApiProblems.NotFound("No such user", $"Tenant '{tenantId}' has no user '{userName}'.");
    }

    public static async Task<Results<Created<UserDto>, ValidationProblem, ProblemHttpResult>> CreateTenantAdministrator(string tenantId, CreateUserRequest request, UserAdministration users, Assets.TenantDirectory tenants, CancellationToken ct)
    {
        if (!MqttTopics.IsId(tenantId))
        {
            return ApiProblems.InvalidId("tenant", tenantId, "letters, digits, '-' or '_'");
        }

        // An administrator of a company the platform does not serve would sign in to nothing (and squat its id).
        if (!await tenants.ExistsAsync(tenantId, ct))
        {
            return ApiProblems.NotFound("No such tenant", $"There is no tenant '{tenantId}'; create it first (POST /api/platform/tenants).");
        }

        var (user, errors) = await users.CreateAsync(tenantId, request with { Roles = [Roles.Administrator] }, ct);
        return user is not null ? TypedResults.Created($"/api/tenants/{tenantId}/users/{user.UserName}", user) : TypedResults.ValidationProblem(errors!);
    }
}
