namespace PropertyEba.Contracts.Mqtt;

/// <summary>
/// The MQTT v1 topic tree: <c>eba/v1/{tenant}/{site}/{edge}/{channel}</c>. Every segment is an id of
/// letters, digits, '-' and '_' so that topics never contain MQTT wildcards or separators.
/// </summary>
public static class MqttTopics
{
    /// <summary>The root of the version 1 tree.</summary>
    public const string Root = "eba/v1";

    /// <summary>Edge to cloud: batches of samples (QoS 1).</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Edge to cloud, retained: birth on connect, last will offline.</summary>
    public const string Status = "status";

    /// <summary>Edge to cloud: events such as device communication lost or restored.</summary>
    public const string Events = "events";

    /// <summary>Cloud to edge, retained: desired configuration.</summary>
    public const string Config = "config";

    /// <summary>Cloud to edge: a command, <c>cmd/{id}</c> (QoS 1, not retained).</summary>
    public const string Command = "cmd";

    /// <summary>Edge to cloud: the outcome of <c>cmd/{id}</c>, <c>cmd-result/{id}</c> (QoS 1).</summary>
    public const string CommandResult = "cmd-result";

    /// <summary>The channel of one command: <c>cmd/{id}</c>.</summary>
    public static string CommandChannel(string commandId)
    {
        RequireId(commandId, nameof(commandId));
        return $"{Command}/{commandId}";
    }

    /// <summary>The channel of one command's result: <c>cmd-result/{id}</c>.</summary>
    public static string CommandResultChannel(string commandId)
    {
        RequireId(commandId, nameof(commandId));
        return $"{CommandResult}/{commandId}";
    }

    /// <summary>Builds the topic of one channel of one edge.</summary>
    public static string For(string tenant, string site, string edge, string channel)
    {
        RequireId(tenant, nameof(tenant));
        RequireId(site, nameof(site));
        RequireId(edge, nameof(edge));
        return $"{Root}/{tenant}/{site}/{edge}/{channel}";
    }

    /// <summary>The filter the cloud subscribes to for one channel of every edge of every tenant.</summary>
    public static string AllEdges(string channel) => $"{Root}/+/+/+/{channel}";

    /// <summary>Splits a topic into its parts; false when it is not a v1 topic.</summary>
    public static bool TryParse(string topic, out TopicAddress address)
    {
        address = default;
        var parts = topic.Split('/');
        if (parts.Length < 6 || parts[0] != "eba" || parts[1] != "v1")
        {
            return false;
        }

        if (!IsId(parts[2]) || !IsId(parts[3]) || !IsId(parts[4]))
        {
            return false;
        }

        address = new TopicAddress(parts[2], parts[3], parts[4], string.Join('/', parts[5..]));
        return true;
    }

    /// <summary>Whether the text is a valid id segment: 1..64 of [A-Za-z0-9_-].</summary>
    public static bool IsId(string value) => IsToken(value, allowDot: false);

    /// <summary>
    /// Whether the text is a valid point id: like <see cref="IsId"/>, and '.' may also separate the
    /// parts of a point of a multi-part device (<c>pump1.vfdFault</c>). Point ids never form a topic
    /// segment, so the dot is safe in them.
    /// </summary>
    public static bool IsPointId(string value) => IsToken(value, allowDot: true);

    private static bool IsToken(string value, bool allowDot)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (allowDot && c == '.')))
            {
                return false;
            }
        }

        return true;
    }

    private static void RequireId(string value, string name)
    {
        if (!IsId(value))
        {
            throw new ArgumentException($"'{value}' is not a valid {name} id: use 1..64 letters, digits, '-' or '_'.", name);
        }
    }
}

/// <summary>The parts of a v1 topic.</summary>
public readonly record struct TopicAddress(string Tenant, string Site, string Edge, string Channel);
