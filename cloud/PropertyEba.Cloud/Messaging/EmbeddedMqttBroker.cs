using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace PropertyEba.Cloud.Messaging;

/// <summary>
/// The MQTTnet broker inside the cloud service, for a one-machine installation. With
/// <c>Mqtt:EmbeddedBroker=false</c> it starts nothing and announces the external broker's address.
/// Messages for the cloud are handed to the <see cref="IInboundPublishHandler"/>s before the broker acknowledges
/// them (docs/adr/0008-acknowledge-after-store.md): the cloud is not a subscriber of its own broker, whose
/// per-subscriber queue would drop the oldest messages under load after the publisher already had its PUBACK.
/// </summary>
internal sealed partial class EmbeddedMqttBroker(
    IOptions<MqttOptions> options,
    BrokerEndpoint endpoint,
    IEnumerable<IInboundPublishHandler> handlers,
    ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private const string Mqtt5SessionItem = "propertyeba.mqtt5";
    private readonly IInboundPublishHandler[] _handlers = [.. handlers];
    private MqttServer? _server;
    private readonly Lock _stopLock = new();
    private Task? _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.EmbeddedBroker)
        {
            endpoint.SetReady(o.Host, o.Port);
            LogExternal(o.Host, o.Port);
            return;
        }

        var address = IPAddress.Parse(o.BindAddress);
        var port = o.Port == 0 ? PickFreePort(address) : o.Port;
        var factory = new MqttServerFactory();
        var serverOptions = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions()
            .Build();
        _server = factory.CreateMqttServer(serverOptions);
        _server.ClientConnectedAsync += e =>
        {
            LogClientConnected(e.ClientId, e.RemoteEndPoint?.ToString() ?? "unknown");
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            LogClientDisconnected(e.ClientId, e.DisconnectType.ToString());
            return Task.CompletedTask;
        };
        _server.ValidatingConnectionAsync += e =>
        {
            if (!string.IsNullOrEmpty(o.Username) && (e.UserName != o.Username || e.Password != o.Password))
            {
                e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            }

            // How a refusal is told depends on the protocol: a PUBACK reason code exists only from MQTT 5 on.
            e.SessionItems[Mqtt5SessionItem] = e.ProtocolVersion >= MqttProtocolVersion.V500;
            return Task.CompletedTask;
        };
        _server.InterceptingPublishAsync += InterceptPublishAsync;

        try
        {
            await _server.StartAsync();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException(
                $"The embedded MQTT broker cannot listen on {address}:{port}: the port is already in use (another broker such as mosquitto?). " +
                $"Set {MqttOptions.SectionName}:Port to a free port, or {MqttOptions.SectionName}:EmbeddedBroker=false to use that broker.", ex);
        }

        endpoint.SetReady(address.Equals(IPAddress.Any) ? "127.0.0.1" : address.ToString(), port);
        LogStarted(address.ToString(), port);
    }

    // The broker awaits this before it acknowledges the message, so a handler that waits holds the PUBACK back.
    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        foreach (var handler in _handlers)
        {
            if (!handler.Handles(topic))
            {
                continue;
            }

            var mqtt5 = e.SessionItems[Mqtt5SessionItem] is true;
            var refusal = await handler.HandleAsync(new InboundPublish(e.ClientId, topic, e.ApplicationMessage.Payload, mqtt5), e.CancellationToken);
            if (refusal is null)
            {
                continue;
            }

            // Refused: no PUBACK that says "delivered". An MQTT 5 client gets a failure reason code and keeps the message;
            // an MQTT 3.1.1 PUBACK cannot say no, so the connection is closed and the client sends the message again.
            e.ProcessPublish = false;
            if (mqtt5)
            {
                e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
                e.Response.ReasonString = refusal.Reason;
            }
            else
            {
                e.CloseConnection = true;
            }

            LogRefused(e.ClientId, topic, mqtt5 ? "PUBACK reason code" : "disconnect", refusal.Reason);
            return;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true } server)
        {
            // Once, however often the host asks: a host stopping itself (StopApplication) and its owner stopping it can
            // overlap, and MQTTnet's stop is not safe to run twice at once (it clears a listener list it enumerates).
            Task stopping;
            lock (_stopLock)
            {
                stopping = _stopping ??= StopServerAsync(server);
            }

            await stopping.WaitAsync(cancellationToken);
        }
    }

    private async Task StopServerAsync(MqttServer server)
    {
        await server.StopAsync(new MqttServerStopOptions());
        LogStopped();
    }

    public async ValueTask DisposeAsync()
    {
        // A stop may still be closing connections when the host disposes its services (its shutdown timeout passed);
        // MQTTnet's stop and dispose must not run at once either.
        Task? stopping;
        lock (_stopLock)
        {
            stopping = _stopping;
        }

        if (stopping is not null)
        {
            try
            {
                await stopping;
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                // Stopping already failed and was reported by the host; disposing is all that is left to do.
            }
        }

        _server?.Dispose();
    }

    private static int PickFreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private partial void LogStarted(string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the external MQTT broker {Host}:{Port}")]
    private partial void LogExternal(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a message of MQTT client {ClientId} on {Topic} ({RefusedBy}); the client keeps it and sends it again: {Reason}")]
    private partial void LogRefused(string clientId, string topic, string refusedBy, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} connected from {Endpoint}")]
    private partial void LogClientConnected(string clientId, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} disconnected ({DisconnectType})")]
    private partial void LogClientDisconnected(string clientId, string disconnectType);
}
