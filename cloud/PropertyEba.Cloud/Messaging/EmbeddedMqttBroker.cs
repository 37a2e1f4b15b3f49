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
    IBrokerAccessPolicy access,
    CloudPublisher publisher,
    ILogger<EmbeddedMqttBroker> logger) : IHostedService, IBrokerSessions, IAsyncDisposable
{
    private const string Mqtt5SessionItem = "propertyeba.mqtt5";
    private const string ClientSessionItem = "propertyeba.client";
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
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscription;
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
        publisher.AttachEmbedded(this);
        LogStarted(address.ToString(), port);
    }

    // Every CONNECT: who the client is, decided once and kept with its session (docs/mosquitto.md, "Edge credentials").
    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var decision = await access.AuthenticateAsync(new BrokerConnect(e.ClientId, e.UserName, e.Password, e.RemoteEndPoint?.ToString()), CancellationToken.None);
        if (decision.Client is not { } client)
        {
            e.ReasonCode = decision.Refusal switch
            {
                ConnectRefusal.BadUserNameOrPassword => MqttConnectReasonCode.BadUserNameOrPassword,
                ConnectRefusal.ClientIdentifierNotValid => MqttConnectReasonCode.ClientIdentifierNotValid,
                _ => MqttConnectReasonCode.NotAuthorized,
            };
            LogConnectRefused(e.ClientId, e.UserName ?? "", e.ReasonCode.ToString(), decision.Reason ?? "");
            return;
        }

        e.SessionItems[ClientSessionItem] = client;

        // How a refusal is told depends on the protocol: a PUBACK reason code exists only from MQTT 5 on.
        e.SessionItems[Mqtt5SessionItem] = e.ProtocolVersion >= MqttProtocolVersion.V500;
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var denial = e.SessionItems[ClientSessionItem] is BrokerClient client
            ? access.AuthorizeSubscribe(client, filter)
            : "the client has no identity";
        if (denial is not null)
        {
            // The SUBACK says no (0x87; 3.1.1: failure 0x80) and nothing is routed to the client.
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscriptionDenied(e.ClientId, filter, denial);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisconnectAsync(string clientId, CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }

        foreach (var status in await server.GetClientsAsync())
        {
            if (status.Id == clientId)
            {
                await status.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
                LogSessionEnded(clientId);
            }
        }
    }

    // The broker awaits this before it acknowledges the message, so a handler that waits holds the PUBACK back.
    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var denial = e.SessionItems[ClientSessionItem] is BrokerClient client
            ? access.AuthorizePublish(client, topic)
            : "the client has no identity";
        if (denial is not null)
        {
            // Dropped, never routed nor ingested. MQTT 5 says so in the PUBACK (0x87); a 3.1.1 PUBACK cannot, so, as
            // mosquitto does, the message is acknowledged and dropped: sending it again would not make it allowed.
            e.ProcessPublish = false;
            if (e.SessionItems[Mqtt5SessionItem] is true)
            {
                e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
                e.Response.ReasonString = denial;
            }

            return;
        }

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

    /// <summary>
    /// Publishes a message as the cloud's own client (commands, retained desired configurations): it goes through the
    /// same publish checks as a client's, as the cloud, which may write everywhere.
    /// </summary>
    public async Task InjectAsync(MQTTnet.MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server)
        {
            throw new BrokerUnavailableException("the embedded MQTT broker is not running");
        }

        var cloud = new BrokerClient(options.Value.ClientId, BrokerClientKind.Cloud);
        await server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(message)
            {
                SenderClientId = options.Value.ClientId,
                CustomSessionItems = new System.Collections.Hashtable { [ClientSessionItem] = cloud, [Mqtt5SessionItem] = true },
            },
            cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the MQTT connection of client {ClientId} (user {UserName}) with {ReasonCode}: {Reason}")]
    private partial void LogConnectRefused(string clientId, string userName, string reasonCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the subscription of MQTT client {ClientId} to {TopicFilter}: {Reason}")]
    private partial void LogSubscriptionDenied(string clientId, string topicFilter, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended the session of MQTT client {ClientId}: its access changed")]
    private partial void LogSessionEnded(string clientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} connected from {Endpoint}")]
    private partial void LogClientConnected(string clientId, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} disconnected ({DisconnectType})")]
    private partial void LogClientDisconnected(string clientId, string disconnectType);
}
