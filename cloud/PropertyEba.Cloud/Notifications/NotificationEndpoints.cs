using Microsoft.AspNetCore.Http.HttpResults;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Tenancy;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Notifications;

public static class NotificationEndpoints
{
    public const int MaxListLimit = 500;

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/notifications", "Notifications");
        group.MapGet("/preferences", GetMyNotificationPreferences).WithName("GetMyNotificationPreferences")
            .WithSummary("The caller's own notification language, addresses and channel switches.");
        group.MapPut("/preferences", SetMyNotificationPreferences).WithName("SetMyNotificationPreferences")
            .WithSummary("Sets the caller's own notification language, e-mail address, SMS number and which channels are on.");
        group.MapGet("/push/key", GetPushPublicKey).WithName("GetPushPublicKey")
            .WithSummary("The server's VAPID public key, for pushManager.subscribe's applicationServerKey.");
        group.MapPost("/push/subscriptions", SubscribePush).WithName("SubscribePush")
            .WithSummary("Stores this browser's Web Push subscription for the caller and turns push on.");
        group.MapDelete("/push/subscriptions", UnsubscribePush).WithName("UnsubscribePush")
            .WithSummary("Forgets one of the caller's push subscriptions (?endpoint=).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/test", SendTestNotification).WithName("SendTestNotification")
            .WithSummary("Sends the caller a test notification on every channel they have on, to check their settings.");
        group.MapGet("/mine", ListMyNotifications).WithName("ListMyNotifications")
            .WithSummary("The caller's recent notifications (as the live hub sent them), newest first.");
        group.MapGet("/deliveries", ListNotificationDeliveries).WithName("ListNotificationDeliveries")
            .WithSummary("Every notification delivery of the tenant with its outcome, newest first; by recipient, ticket or channel.")
            .RequireAuthorization(Policies.ManageConfiguration);
        group.MapGet("/webhooks", ListWebhooks).WithName("ListWebhooks")
            .WithSummary("The tenant's signed webhooks (without their secrets).")
            .RequireAuthorization(Policies.ManageConfiguration);
        group.MapPost("/webhooks", AddWebhook).WithName("AddWebhook")
            .WithSummary("Adds a webhook; the answer holds its signing secret, shown this once.")
            .RequireAuthorization(Policies.ManageConfiguration);
        group.MapDelete("/webhooks/{webhookId:long}", RemoveWebhook).WithName("RemoveWebhook")
            .WithSummary("Removes a webhook.")
            .RequireAuthorization(Policies.ManageConfiguration)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<NotificationPreferencesDto>> GetMyNotificationPreferences(string tenantId, CallerAccessor callers, NotificationSettings settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.GetPreferencesAsync(tenantId, UserId(callers), ct));

    public static async Task<Results<Ok<NotificationPreferencesDto>, ProblemHttpResult>> SetMyNotificationPreferences(
        string tenantId, NotificationPreferencesRequest request, CallerAccessor callers, NotificationSettings settings, CancellationToken ct)
    {
        var (saved, field, problem) = await settings.SetPreferencesAsync(tenantId, UserId(callers), request, ct);
        return saved is not null ? TypedResults.Ok(saved) : ApiProblems.Invalid(field!, problem!);
    }

    public static async Task<Ok<PushKeyDto>> GetPushPublicKey(string tenantId, VapidKeys keys, CancellationToken ct) =>
        TypedResults.Ok(new PushKeyDto((await keys.GetAsync(ct)).PublicKey));

    public static async Task<Results<NoContent, ProblemHttpResult>> SubscribePush(
        string tenantId, PushSubscriptionRequest request, CallerAccessor callers, NotificationSettings settings, CancellationToken ct)
    {
        var (saved, field, problem) = await settings.SubscribeAsync(tenantId, UserId(callers), request, ct);
        return saved ? TypedResults.NoContent() : ApiProblems.Invalid(field!, problem!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UnsubscribePush(
        string tenantId, string? endpoint, CallerAccessor callers, NotificationSettings settings, CancellationToken ct) =>
        string.IsNullOrEmpty(endpoint) ? ApiProblems.Invalid("endpoint", "'endpoint' (query) is required: the subscription's push service URL.")
        : await settings.UnsubscribeAsync(tenantId, UserId(callers), endpoint, ct) ? TypedResults.NoContent()
        : ApiProblems.NotFound("No such subscription", "You have no push subscription with that endpoint.");

    public static async Task<Accepted> SendTestNotification(string tenantId, CallerAccessor callers, INotifier notifier, CancellationToken ct)
    {
        var (subject, body) = MessageCatalog.NotificationTest();
        await notifier.NotifyAsync(new NotificationRequest(tenantId, UserId(callers), "test", subject, body, null, "/technician"), ct);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<Ok<IReadOnlyList<NotificationDeliveryDto>>, ProblemHttpResult>> ListMyNotifications(
        string tenantId, int? limit, CallerAccessor callers, NotificationSettings settings, CancellationToken ct) =>
        limit is < 1 or > MaxListLimit ? ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxListLimit)
        : TypedResults.Ok(await settings.ListDeliveriesAsync(tenantId, UserId(callers), null, HubNotificationChannel.ChannelName, limit ?? 50, ct));

    public static async Task<Results<Ok<IReadOnlyList<NotificationDeliveryDto>>, ProblemHttpResult>> ListNotificationDeliveries(
        string tenantId, string? userId, long? ticketId, string? channel, int? limit, NotificationSettings settings, CancellationToken ct) =>
        limit is < 1 or > MaxListLimit ? ApiProblems.OutOfRange(nameof(limit), limit.Value, 1, MaxListLimit)
        : TypedResults.Ok(await settings.ListDeliveriesAsync(tenantId, userId, ticketId, channel, limit ?? 200, ct));

    public static async Task<Ok<IReadOnlyList<WebhookDto>>> ListWebhooks(string tenantId, NotificationSettings settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.ListWebhooksAsync(tenantId, ct));

    public static async Task<Results<Created<WebhookDto>, ProblemHttpResult>> AddWebhook(string tenantId, WebhookRequest request, NotificationSettings settings, CancellationToken ct)
    {
        var (created, problem) = await settings.AddWebhookAsync(tenantId, request, ct);
        return created is not null ? TypedResults.Created($"/api/tenants/{tenantId}/notifications/webhooks/{created.Id}", created) : ApiProblems.Invalid("url", problem!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveWebhook(string tenantId, long webhookId, NotificationSettings settings, CancellationToken ct) =>
        await settings.RemoveWebhookAsync(tenantId, webhookId, ct) ? TypedResults.NoContent()
        : ApiProblems.NotFound("No such webhook", $"Tenant '{tenantId}' has no webhook {webhookId}.");

    // The group's policy admits only signed-in users of the tenant, so a caller with a user id is always there.
    private static string UserId(CallerAccessor callers) =>
        callers.Current is { IsAuthenticated: true } caller ? caller.UserId : throw new InvalidOperationException("A notification route ran without a signed-in caller.");
}
