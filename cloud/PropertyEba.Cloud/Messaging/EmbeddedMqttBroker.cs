using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace PropertyEba.Cloud.Messaging;

/// <summary>
/// The MQTTnet broker inside the cloud service, for a one-machine installation. With
/// <c>Mqtt:EmbeddedBroker=false</c> it starts nothing and announces the external broker's address.
/// </summary>
internal sealed partial class EmbeddedMqttBroker(IOptions<MqttOptions> options, BrokerEndpoint endpoint, ILogger<EmbeddedMqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

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
        if (!string.IsNullOrEmpty(o.Username))
        {
            _server.ValidatingConnectionAsync += e =>
            {
                if (e.UserName != o.Username || e.Password != o.Password)
                {
                    e.ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.BadUserNameOrPassword;
                }

                return Task.CompletedTask;
            };
        }

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

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync(new MqttServerStopOptions());
            LogStopped();
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} connected from {Endpoint}")]
    private partial void LogClientConnected(string clientId, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT client {ClientId} disconnected ({DisconnectType})")]
    private partial void LogClientDisconnected(string clientId, string disconnectType);
}
