using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Hosting;

/// <summary>
/// Checks the ids in a tenant API route (tenant, site, device, point, building, location, system, profile, rule) before any handler runs, so no
/// query is ever made with an id that cannot exist, and every endpoint refuses a bad one the same way.
/// </summary>
internal sealed class RouteIdFilter : IEndpointFilter
{
    private const string IdChars = "letters, digits, '-' or '_'";
    private const string PointIdChars = "letters, digits, '-', '_' or '.'";

    private static readonly (string RouteKey, string Kind, Func<string, bool> IsValid, string Allowed)[] Ids =
    [
        ("tenantId", "tenant", MqttTopics.IsId, IdChars),
        ("siteId", "site", MqttTopics.IsId, IdChars),
        ("deviceId", "device", MqttTopics.IsId, IdChars),
        ("edgeId", "edge", MqttTopics.IsId, IdChars),
        ("commandId", "command", MqttTopics.IsId, IdChars),
        ("pointId", "point", MqttTopics.IsPointId, PointIdChars),
        ("buildingId", "building", MqttTopics.IsId, IdChars),
        ("locationId", "location", MqttTopics.IsId, IdChars),
        ("systemId", "system", MqttTopics.IsId, IdChars),
        ("profileId", "profile", MqttTopics.IsId, IdChars),
        ("ruleId", "rule", MqttTopics.IsId, IdChars),
        ("teamId", "team", MqttTopics.IsId, IdChars),
    ];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var route = context.HttpContext.Request.RouteValues;
        foreach (var (key, kind, isValid, allowed) in Ids)
        {
            if (route.TryGetValue(key, out var value) && value is string text && !isValid(text))
            {
                return ValueTask.FromResult<object?>(ApiProblems.InvalidId(kind, text, allowed));
            }
        }

        return next(context);
    }
}
