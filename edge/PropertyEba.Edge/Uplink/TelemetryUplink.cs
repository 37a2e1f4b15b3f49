using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Buffering;
using PropertyEba.Edge.Remote;

namespace PropertyEba.Edge.Uplink;

/// <summary>
/// The one task that talks to the broker. It turns the pollers' readings into numbered telemetry
/// batches, publishes them at QoS 1, and while the broker is unreachable (or older batches are still
/// waiting) appends them to the <see cref="DiskBuffer"/> instead; once connected again it replays the
/// buffer oldest first, removing a record only after the broker's PUBACK. New batches queue behind
/// the buffered ones, so the cloud receives every batch in sequence order. It also keeps the
/// retained status (birth on connect, last will and clean-stop offline) and reconnects with backoff.
/// </summary>
internal sealed class TelemetryUplink : IDisposable, IRemoteLink
{
    /// <summary>
    /// Most samples per batch: the contract allows 5,000; 2,000 keeps a message near 220 KB, under the
    /// packet limits brokers commonly set, so one batch can never be refused for its size.
    /// </summary>
    public const int MaxSamplesPerBatch = 2000;

    /// <summary>How long the first reading of a cycle waits for the other devices' readings to join its batch.</summary>
    public static readonly TimeSpan BatchLinger = TimeSpan.FromMilliseconds(50);

    /// <summary>Buffered messages published at once during a replay, before waiting for their acknowledgements.</summary>
    public const int ReplayWindow = 32;

    /// <summary>
    /// Readings queued behind a PUBACK that is slow to come, above which the uplink moves them to the disk buffer
    /// while it waits: a broker that holds its acknowledgements back (a cloud under overload does, on purpose) must
    /// slow the agent down, never overflow its in-memory queue of <see cref="EdgeAgent.ChannelCapacity"/> readings.
    /// </summary>
    public const int SpillThreshold = EdgeAgent.ChannelCapacity / 4;

    /// <summary>How long a PUBACK may keep any queued reading in memory only, before that reading goes to the disk buffer.</summary>
    public static readonly TimeSpan SpillAfter = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan SpillCheckInterval = TimeSpan.FromMilliseconds(100);

    private enum PublishOutcome
    {
        Acknowledged,
        Refused,
        Failed,
        Unreadable,
    }

    private static readonly string AgentVersion =
        typeof(TelemetryUplink).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly EdgeOptions _options;
    private readonly DiskBuffer _buffer;
    private readonly SequenceStore _sequence;
    private readonly ChannelReader<UplinkItem> _input;
    private readonly TimeProvider _time;
    private readonly EdgeAgentStats _stats;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly string _telemetryTopic;
    private readonly string _statusTopic;
    private readonly string _eventsTopic;
    private readonly string _clientId;
    private readonly string _prefix;
    private readonly RemoteInbox? _inbox;
    private readonly AppliedConfig? _applied;
    private readonly List<TelemetrySample> _pending = new(MaxSamplesPerBatch);
    private string? _lastPublishError;
    private int _replayWindow = ReplayWindow;
    private bool _wasConnected;
    private bool _replaying;
    private bool _spilling;
    private string? _lastConnectError;
    private TimeSpan _backoff;
    private int _failedAttempts;
    private DateTimeOffset _nextAttempt;

    // The agent's communication and process health, carried in every online status (null in the will: it is written
    // when the session opens and would be stale by the time the broker sends it).
    private readonly Func<EdgeHealth>? _health;

    public TelemetryUplink(
        EdgeOptions options,
        DiskBuffer buffer,
        SequenceStore sequence,
        ChannelReader<UplinkItem> input,
        TimeProvider timeProvider,
        EdgeAgentStats stats,
        ILogger logger,
        RemoteInbox? inbox = null,
        AppliedConfig? applied = null,
        Func<EdgeHealth>? health = null)
    {
        _options = options;
        _health = health;
        _inbox = inbox;
        _applied = applied;
        _prefix = $"{MqttTopics.Root}/{options.Tenant}/{options.Site}/{options.EdgeId}/";
        _buffer = buffer;
        _sequence = sequence;
        _input = input;
        _time = timeProvider;
        _stats = stats;
        _logger = logger;
        _telemetryTopic = MqttTopics.For(options.Tenant, options.Site, options.EdgeId, MqttTopics.Telemetry);
        _statusTopic = MqttTopics.For(options.Tenant, options.Site, options.EdgeId, MqttTopics.Status);
        _eventsTopic = MqttTopics.For(options.Tenant, options.Site, options.EdgeId, MqttTopics.Events);
        _clientId = string.IsNullOrEmpty(options.Mqtt.ClientId) ? $"eba-{options.Tenant}-{options.Site}-{options.EdgeId}" : options.Mqtt.ClientId;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += args =>
        {
            _stats.SetConnected(false);
            return Task.CompletedTask;
        };
        _client.ApplicationMessageReceivedAsync += args =>
        {
            // Copied here: MQTTnet reuses the buffer once the handler returns. Handled elsewhere, so that a slow device
            // write never holds up the client's receive loop (and with it the PUBACKs of telemetry).
            var topic = args.ApplicationMessage.Topic;
            if (_inbox is not null && topic.StartsWith(_prefix, StringComparison.Ordinal))
            {
                _inbox.Post(new RemoteMessage(topic[_prefix.Length..], System.Buffers.BuffersExtensions.ToArray(args.ApplicationMessage.Payload)));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>
    /// Runs until <paramref name="input"/> is completed and drained. When <paramref name="stoppingToken"/>
    /// fires it stops reconnecting and replaying, delivers or buffers what is left, publishes the offline
    /// status and disconnects cleanly.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var mqtt = _options.Mqtt;
        _backoff = mqtt.ReconnectDelay;
        _nextAttempt = _time.GetUtcNow();
        while (true)
        {
            var stopping = stoppingToken.IsCancellationRequested;
            if (!_client.IsConnected)
            {
                NoteDisconnected(null);
                if (!stopping && _time.GetUtcNow() >= _nextAttempt)
                {
                    if (await TryConnectAsync(stoppingToken))
                    {
                        _backoff = mqtt.ReconnectDelay;
                        _failedAttempts = 0;
                    }
                    else if (!stoppingToken.IsCancellationRequested)
                    {
                        // The first failure of an outage is a warning; the retries (every MaxReconnectDelay at worst) are debug.
                        if (_failedAttempts++ == 0)
                        {
                            EdgeLog.ConnectFailed(_logger, mqtt.Host, mqtt.Port, _lastConnectError ?? "", _backoff);
                        }
                        else
                        {
                            EdgeLog.ConnectFailedAgain(_logger, mqtt.Host, mqtt.Port, _failedAttempts, _lastConnectError ?? "", _backoff);
                        }

                        DelayNextAttempt();
                    }
                }
            }

            if (_client.IsConnected && !_buffer.IsEmpty && !stopping)
            {
                // Live data queues behind the buffered data, so everything arrives in sequence order.
                await DrainAsync(forceBuffer: true);
                await ReplayWindowAsync();
                continue;
            }

            if (_replaying && _client.IsConnected && _buffer.IsEmpty)
            {
                _replaying = false;
                EdgeLog.ReplayFinished(_logger);
            }

            if (_input.TryPeek(out _))
            {
                if (_options.Devices.Count > 1 && !stopping)
                {
                    // Pollers that ticked together finish within milliseconds of each other: a short wait
                    // lets their readings share one batch (one message per cycle, not one per device).
                    await Task.Delay(BatchLinger, _time, CancellationToken.None);
                }

                await DrainAsync(forceBuffer: !_client.IsConnected || !_buffer.IsEmpty);
                continue;
            }

            if (_input.Completion.IsCompleted)
            {
                break;
            }

            TimeSpan? wait = _client.IsConnected || stopping ? null : _nextAttempt - _time.GetUtcNow();
            await WaitForInputAsync(wait, stoppingToken);
        }

        await StopAsync();
    }

    public void Dispose() => _client.Dispose();

    private void DelayNextAttempt()
    {
        _nextAttempt = _time.GetUtcNow() + _backoff;
        _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, _options.Mqtt.MaxReconnectDelay.Ticks));
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        var mqtt = _options.Mqtt;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId(_clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(mqtt.KeepAlive)
            .WithTimeout(mqtt.OperationTimeout)
            .WithWillTopic(_statusTopic)
            .WithWillPayload(StatusPayload(EdgeState.Offline, now))
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillRetain(true)
            .WithWillContentType("application/json");
        if (!string.IsNullOrEmpty(mqtt.Username))
        {
            builder = builder.WithCredentials(mqtt.Username, mqtt.Password ?? "");
        }

        if (mqtt.UseTls)
        {
            builder = builder.WithTlsOptions(tls => tls.UseTls().WithTargetHost(mqtt.Host));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(mqtt.OperationTimeout);
        try
        {
            var result = await _client.ConnectAsync(builder.Build(), timeout.Token);
            // Never more in flight than the broker said it accepts (MQTT 5 Receive Maximum).
            _replayWindow = Math.Clamp((int)(result.ReceiveMaximum ?? ReplayWindow), 1, ReplayWindow);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _lastConnectError = $"refused: {result.ResultCode} {result.ReasonString}";
                _stats.AddConnectFailure();
                return false;
            }

            // Birth: the retained status says online until the will or a clean stop replaces it.
            if (!await PublishAsync(_statusTopic, StatusPayload(EdgeState.Online, _time.GetUtcNow().ToUnixTimeMilliseconds()), retain: true))
            {
                _lastConnectError = "the broker refused the birth message";
                return await AbandonConnectionAsync();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsTransportFault(ex))
        {
            _lastConnectError = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"no answer within {mqtt.OperationTimeout}"
                : ex.Message;
            return await AbandonConnectionAsync();
        }

        _wasConnected = true;
        _stats.SetConnected(true);
        EdgeLog.Connected(_logger, mqtt.Host, mqtt.Port, _clientId);
        await SubscribeToRemoteAsync(cancellationToken);
        if (!_buffer.IsEmpty)
        {
            _replaying = true;
            EdgeLog.ReplayStarting(_logger, _buffer.Count, _buffer.SizeBytes);
        }

        return true;
    }

    // The edge's own cloud → edge channels (docs/mqtt-contract.md); the retained config comes right after this.
    // A broker that refuses them leaves the agent a plain publisher: telemetry matters more than remote control.
    private async Task SubscribeToRemoteAsync(CancellationToken cancellationToken)
    {
        if (_inbox is null)
        {
            return;
        }

        var filters = new[] { _prefix + MqttTopics.Config, _prefix + MqttTopics.Command + "/+" };
        try
        {
            var builder = new MqttClientSubscribeOptionsBuilder();
            foreach (var filter in filters)
            {
                builder = builder.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Mqtt.OperationTimeout);
            var result = await _client.SubscribeAsync(builder.Build(), timeout.Token);
            foreach (var item in result.Items.Where(i => (int)i.ResultCode >= 0x80))
            {
                RemoteLog.SubscribeFailed(_logger, item.TopicFilter.Topic, item.ResultCode.ToString());
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsTransportFault(ex))
        {
            RemoteLog.SubscribeFailed(_logger, string.Join(", ", filters), ex.Message);
        }
    }

    async Task<bool> IRemoteLink.PublishAsync(string channel, byte[] payload, bool retain) =>
        _client.IsConnected && await PublishQuietlyAsync(_prefix + channel, payload, retain) == PublishOutcome.Acknowledged;

    async Task IRemoteLink.RepublishStatusAsync()
    {
        if (_client.IsConnected)
        {
            await PublishQuietlyAsync(_statusTopic, StatusPayload(EdgeState.Online, _time.GetUtcNow().ToUnixTimeMilliseconds()), retain: true);
        }
    }

    // Without a birth the connection is not usable: telemetry must never precede the online status.
    private async Task<bool> AbandonConnectionAsync()
    {
        _stats.AddConnectFailure();
        if (_client.IsConnected)
        {
            await _client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.UnspecifiedError, "birth message failed");
        }

        return false;
    }

    private void NoteDisconnected(string? error)
    {
        _stats.SetConnected(false);
        if (_wasConnected)
        {
            _wasConnected = false;
            EdgeLog.ConnectionLost(_logger, error ?? "the connection closed");

            // Not at once: a broker that accepts and then drops connections must not be hammered.
            _nextAttempt = _time.GetUtcNow() + _options.Mqtt.ReconnectDelay;
        }
    }

    // Takes everything the pollers have queued: readings become batches (up to the contract's maximum), events stay events.
    private async Task DrainAsync(bool forceBuffer)
    {
        while (_input.TryRead(out var item))
        {
            switch (item)
            {
                case DeviceReading reading:
                    // The whole reading first, then full batches from the front: what is pending while a publish
                    // waits is always older than what is still queued, so a spill keeps the order.
                    _pending.AddRange(reading.Samples);
                    while (_pending.Count >= MaxSamplesPerBatch)
                    {
                        forceBuffer = !await DeliverBatchAsync(forceBuffer);
                    }

                    break;
                case EventItem e:
                    if (_pending.Count > 0)
                    {
                        forceBuffer = !await DeliverBatchAsync(forceBuffer);
                    }

                    forceBuffer = !await DeliverAsync(BufferedKind.Event, JsonSerializer.SerializeToUtf8Bytes(e.Event, ContractsJsonContext.Default.EdgeEvent), forceBuffer);
                    break;
            }
        }

        if (_pending.Count > 0)
        {
            await DeliverBatchAsync(forceBuffer);
        }
    }

    private async Task<bool> DeliverBatchAsync(bool forceBuffer)
    {
        var batch = new TelemetryBatch
        {
            Schema = TelemetryBatch.CurrentSchema,
            EdgeId = _options.EdgeId,
            Seq = _sequence.Next(),
            SentUtcMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Samples = _pending.GetRange(0, Math.Min(_pending.Count, MaxSamplesPerBatch)).ToArray(),
        };
        _pending.RemoveRange(0, batch.Samples.Count);
        var published = await DeliverAsync(BufferedKind.Telemetry, JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJsonContext.Default.TelemetryBatch), forceBuffer);
        if (published)
        {
            EdgeLog.BatchPublished(_logger, batch.Seq, batch.Samples.Count, replayed: false);
        }

        return published;
    }

    // Publishes live when possible; otherwise (or when that fails) appends to the buffer. True when published.
    // Publishing takes no stopping token on purpose: a publish under way when the agent stops completes
    // (bounded by Mqtt:OperationTimeout) rather than leave the batch in doubt.
    private async Task<bool> DeliverAsync(BufferedKind kind, byte[] payload, bool forceBuffer)
    {
        if (!forceBuffer && _client.IsConnected && _buffer.IsEmpty)
        {
            var topic = kind == BufferedKind.Telemetry ? _telemetryTopic : _eventsTopic;
            var publish = PublishQuietlyAsync(topic, payload);

            // Should the PUBACK be slow, this message goes into the (empty) buffer first, ahead of the readings
            // spilled behind it, so that whatever the outcome the buffer holds everything in sequence order.
            var spilled = await SpillWhileAwaitingAsync(publish, () => Buffer(kind, payload, countBuffered: false));
            var outcome = await publish;
            if (outcome == PublishOutcome.Acknowledged)
            {
                if (spilled)
                {
                    RemoveAcknowledgedHead(kind, payload);
                }

                CountPublished(kind, replayed: false);
                return true;
            }

            await HandleFailureAsync(outcome);
            if (spilled)
            {
                // Already in the buffer, at its head: it is replayed first once connected again.
                if (kind == BufferedKind.Telemetry)
                {
                    _stats.AddBatchBuffered();
                }

                return false;
            }
        }

        Buffer(kind, payload);
        return false;
    }

    // Waits for a publish; meanwhile, when readings pile up behind it (many, or any for longer than SpillAfter),
    // moves everything queued to the disk buffer — after the message in flight, which beforeFirstSpill buffers.
    // Returns whether anything was spilled.
    private async Task<bool> SpillWhileAwaitingAsync(Task publish, Action? beforeFirstSpill = null)
    {
        if (publish.IsCompleted || _spilling)
        {
            return false;
        }

        var spilled = false;
        var started = _time.GetTimestamp();
        using var done = new CancellationTokenSource();
        try
        {
            while (!publish.IsCompleted)
            {
                await Task.WhenAny(publish, Task.Delay(SpillCheckInterval, _time, done.Token));
                var queued = _input.Count;
                if (publish.IsCompleted || queued == 0 || (queued < SpillThreshold && _time.GetElapsedTime(started) < SpillAfter))
                {
                    continue;
                }

                if (!spilled)
                {
                    beforeFirstSpill?.Invoke();
                    spilled = true;
                    EdgeLog.SpillingWhileAwaitingPuback(_logger, queued, _time.GetElapsedTime(started));
                }

                _spilling = true;
                try
                {
                    await DrainAsync(forceBuffer: true);
                }
                finally
                {
                    _spilling = false;
                }
            }
        }
        finally
        {
            await done.CancelAsync();
        }

        return spilled;
    }

    // The live message that was put at the buffer's head during a slow PUBACK was acknowledged after all: remove it,
    // unless an overflowing buffer already dropped it (then the head is another record, which must stay).
    private void RemoveAcknowledgedHead(BufferedKind kind, byte[] payload)
    {
        if (_buffer.TryPeek(out var head) && head.Kind == kind && head.Payload.AsSpan().SequenceEqual(payload))
        {
            _buffer.Acknowledge(kind);
        }
    }

    // Drops what the age cap expired (counted and logged); a disk that cannot be read is left to the replay's handling.
    private void DropExpired()
    {
        DropCount expired;
        try
        {
            expired = _buffer.DropExpired();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        if (expired.Any)
        {
            _stats.AddBatchesExpired(expired.Telemetry);
            EdgeLog.BufferExpired(_logger, _buffer.MaxAge, expired.Telemetry, expired.Events, _stats.BatchesExpired);
        }
    }

    private void Buffer(BufferedKind kind, byte[] payload, bool countBuffered = true)
    {
        DropExpired();
        DropCount dropped;
        try
        {
            dropped = _buffer.Append(kind, payload);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full or failing disk loses this message, not the agent: live publishing goes on when connected.
            if (kind == BufferedKind.Telemetry)
            {
                _stats.AddBatchesDropped(1);
            }

            EdgeLog.BufferWriteFailed(_logger, ex.Message, _stats.BatchesDropped);
            return;
        }

        if (kind == BufferedKind.Telemetry && countBuffered)
        {
            _stats.AddBatchBuffered();
        }

        if (!dropped.Any)
        {
            return;
        }

        _stats.AddBatchesDropped(dropped.Telemetry);
        EdgeLog.BufferOverflow(_logger, _buffer.MaxBytes, dropped.Telemetry, dropped.Events, _stats.BatchesDropped);
        var overflow = new EdgeEvent
        {
            Schema = 1,
            EdgeId = _options.EdgeId,
            Kind = EdgeEventKinds.BufferOverflow,
            Detail = $"offline buffer full ({_buffer.MaxBytes} bytes): dropped the oldest {dropped.Telemetry} telemetry batches and {dropped.Events} events; {_stats.BatchesDropped} batches dropped since start",
            TimestampUtcMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        };

        // Queued behind the data, so it reaches the cloud in order; what this append drops in turn is only counted.
        var again = _buffer.Append(BufferedKind.Event, JsonSerializer.SerializeToUtf8Bytes(overflow, ContractsJsonContext.Default.EdgeEvent));
        _stats.AddBatchesDropped(again.Telemetry);
    }

    // Publishes a window of the oldest buffered records at once (QoS 1 allows many in flight, which
    // matters on a slow uplink) and removes each, in order, once the broker has acknowledged it.
    private async Task ReplayWindowAsync()
    {
        DropExpired();
        IReadOnlyList<BufferedRecord> records;
        try
        {
            records = _buffer.PeekMany(_replayWindow);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A segment that cannot be read (removed or damaged under the agent) would block the replay forever.
            var lost = _buffer.DiscardOldestSegment();
            _stats.AddBatchesDropped(lost.Telemetry);
            EdgeLog.BufferReadFailed(_logger, ex.Message, lost.Telemetry, lost.Events);
            return;
        }

        if (records.Count == 0)
        {
            return;
        }

        var sentUtcMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var publishes = new Task<PublishOutcome>[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            byte[]? payload = record.Kind == BufferedKind.Telemetry ? ReplayPayload(record.Payload, sentUtcMs) : record.Payload;
            publishes[i] = payload is null
                ? Task.FromResult(PublishOutcome.Unreadable)
                : PublishQuietlyAsync(record.Kind == BufferedKind.Telemetry ? _telemetryTopic : _eventsTopic, payload);
        }

        // Readings that pile up meanwhile join the buffer's tail; the window's records stay at its head.
        await SpillWhileAwaitingAsync(Task.WhenAll(publishes));
        for (var i = 0; i < records.Count; i++)
        {
            var outcome = publishes[i].Result;
            if (outcome == PublishOutcome.Unreadable)
            {
                // Cannot happen for records this agent wrote (CRC-checked); skip rather than block the buffer forever.
                _buffer.Acknowledge(records[i].Kind);
                if (records[i].Kind == BufferedKind.Telemetry)
                {
                    _stats.AddBatchesDropped(1);
                }

                continue;
            }

            if (outcome != PublishOutcome.Acknowledged)
            {
                // This one and the rest stay buffered; those of them the broker already took come again
                // (same seq, marked replayed), which the cloud recognises as duplicates.
                await HandleFailureAsync(outcome);
                return;
            }

            _buffer.Acknowledge(records[i].Kind);
            CountPublished(records[i].Kind, replayed: true);
        }
    }

    private byte[]? ReplayPayload(byte[] stored, long sentUtcMs)
    {
        try
        {
            var batch = JsonSerializer.Deserialize(stored, ContractsJsonContext.Default.TelemetryBatch)
                ?? throw new JsonException("the record holds null");
            return JsonSerializer.SerializeToUtf8Bytes(batch with { Replayed = true, SentUtcMs = sentUtcMs }, ContractsJsonContext.Default.TelemetryBatch);
        }
        catch (JsonException ex)
        {
            EdgeLog.BufferedMessageUnreadable(_logger, ex.Message);
            return null;
        }
    }

    private void CountPublished(BufferedKind kind, bool replayed)
    {
        if (kind == BufferedKind.Telemetry)
        {
            _stats.AddBatchPublished(replayed);
        }
        else
        {
            _stats.AddEventPublished();
        }
    }

    private async Task HandleFailureAsync(PublishOutcome outcome)
    {
        if (outcome == PublishOutcome.Refused)
        {
            // Refused (not authorised, quota exceeded...): keep the data and retry after a reconnect with growing backoff.
            await _client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.UnspecifiedError, "publish refused");
            NoteDisconnected("the broker refused a message");
            DelayNextAttempt();
            return;
        }

        // No PUBACK in time, or the connection broke: either way start over with a fresh connection.
        if (_client.IsConnected)
        {
            await _client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.UnspecifiedError, "publish not acknowledged in time");
        }

        NoteDisconnected(_lastPublishError);
    }

    // Publishes at QoS 1 and waits for the PUBACK; reports the outcome instead of throwing, so several can be in flight.
    // It takes no stopping token on purpose: a publish under way when the agent stops completes (bounded by
    // Mqtt:OperationTimeout) rather than leave the batch in doubt.
    private async Task<PublishOutcome> PublishQuietlyAsync(string topic, byte[] payload, bool retain = false)
    {
        try
        {
            return await PublishAsync(topic, payload, retain) ? PublishOutcome.Acknowledged : PublishOutcome.Refused;
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsTransportFault(ex))
        {
            _lastPublishError = ex.Message;
            return PublishOutcome.Failed;
        }
    }

    private async Task<bool> PublishAsync(string topic, byte[] payload, bool retain)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        using var timeout = new CancellationTokenSource(_options.Mqtt.OperationTimeout, _time);
        var result = await _client.PublishAsync(message, timeout.Token);
        if ((int)result.ReasonCode < 0x80)
        {
            return true;
        }

        EdgeLog.PublishRefused(_logger, topic, $"{result.ReasonCode} {result.ReasonString}");
        return false;
    }

    private async Task WaitForInputAsync(TimeSpan? timeout, CancellationToken stoppingToken)
    {
        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            return;
        }

        // Once stopping, wait only for the channel to be completed by the agent (not for the token again).
        using var wake = stoppingToken.IsCancellationRequested ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var read = _input.WaitToReadAsync(wake.Token).AsTask();
        var delay = timeout is { } d ? Task.Delay(d, _time, wake.Token) : Task.Delay(Timeout.InfiniteTimeSpan, wake.Token);
        await Task.WhenAny(read, delay);
        await wake.CancelAsync();
        await Task.WhenAll(read, delay).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task StopAsync()
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            await PublishAsync(_statusTopic, StatusPayload(EdgeState.Offline, _time.GetUtcNow().ToUnixTimeMilliseconds()), retain: true);
            using var timeout = new CancellationTokenSource(_options.Mqtt.OperationTimeout, _time);
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsTransportFault(ex))
        {
            EdgeLog.OfflineStatusFailed(_logger, ex.Message);
        }

        _stats.SetConnected(false);
    }

    private byte[] StatusPayload(EdgeState state, long timestampUtcMs) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new EdgeStatus
            {
                Schema = 1,
                EdgeId = _options.EdgeId,
                State = state,
                AgentVersion = AgentVersion,
                TimestampUtcMs = timestampUtcMs,
                ConfigVersion = _applied?.Version,
                ConfigRejected = _applied?.Rejection,
                Health = state == EdgeState.Online ? _health?.Invoke() : null,

                // In every status of the run, the will included: the birth that carried it may have been lost with the
                // connection, and the cloud must know the numbers are no gap whenever the batches after them arrive.
                SkippedSeq = _sequence.Skipped.Count > 0 ? _sequence.Skipped : null,
            },
            ContractsJsonContext.Default.EdgeStatus);

    // What a broken or refusing connection throws; anything else is a bug and should surface.
    private static bool IsTransportFault(Exception ex) =>
        ex is MqttCommunicationException or MqttProtocolViolationException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException;
}
