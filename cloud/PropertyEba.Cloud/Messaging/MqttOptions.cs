using System.Net;
using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Messaging;

/// <summary>Section <c>Mqtt</c>: the broker the cloud listens on, and how it connects to it.</summary>
public sealed class MqttOptions
{
    public const string SectionName = "Mqtt";

    /// <summary>Run an MQTTnet broker inside the service (the default); false to use an external broker.</summary>
    public bool EmbeddedBroker { get; set; } = true;

    /// <summary>Address the embedded broker binds; loopback unless edges connect from other machines.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Broker host the cloud's ingestion client connects to.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port (embedded broker listens here too). 0 picks a free port (tests).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The cloud's own MQTT user name; empty means <c>propertyeba-cloud</c>. No edge may use it.</summary>
    public string? Username { get; set; }

    /// <summary>The cloud's own MQTT password; empty means one generated at every start (written hashed to the mosquitto password file).</summary>
    public string? Password { get; set; }

    /// <summary>When set, the cloud subscribes with <c>$share/{group}/…</c> so several instances share the load.</summary>
    public string? SharedSubscriptionGroup { get; set; }

    /// <summary>Client id of the ingestion client; unique per cloud instance.</summary>
    public string ClientId { get; set; } = $"propertyeba-cloud-{Environment.MachineName}-{Environment.ProcessId}";
}

internal sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions o)
    {
        var failures = new List<string>();
        if (o.Port is < 0 or > 65535)
        {
            failures.Add($"{MqttOptions.SectionName}:Port is {o.Port}; allowed 0..65535 (0 = a free port, embedded broker only).");
        }

        if (o.Port == 0 && !o.EmbeddedBroker)
        {
            failures.Add($"{MqttOptions.SectionName}:Port is 0, which only makes sense with the embedded broker.");
        }

        if (o.EmbeddedBroker && !IPAddress.TryParse(o.BindAddress, out _))
        {
            failures.Add($"{MqttOptions.SectionName}:BindAddress '{o.BindAddress}' is not an IP address (e.g. 127.0.0.1 or 0.0.0.0).");
        }

        if (string.IsNullOrWhiteSpace(o.Host))
        {
            failures.Add($"{MqttOptions.SectionName}:Host is empty.");
        }

        if (string.IsNullOrWhiteSpace(o.ClientId))
        {
            failures.Add($"{MqttOptions.SectionName}:ClientId is empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
