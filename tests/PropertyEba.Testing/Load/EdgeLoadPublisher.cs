using System.Text.Json;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Testing.Load;

/// <summary>
/// One edge of a <see cref="TelemetryLoadPublisher"/>: one MQTT client that keeps up to a window of QoS 1 publishes
/// in flight, and keeps every batch until its PUBACK, like the edge agent's disk buffer.
/// </summary>
internal sealed class EdgeLoadPublisher
{
    private readonly TelemetryLoadOptions _options;
    private readonly TimeProvider _time;
    private readonly LoadSeriesCursor _series;
    private readonly string _topic;
    private readonly string _clientId;
    private readonly TimeSpan? _batchInterval;
    private readonly MqttClientFactory _factory = new();

    // Batches refused or lost with their connection, by seq: re-sent first, oldest first, after the next connect.
    private readonly SortedDictionary<long, PendingBatch> _toResend = [];
    private readonly Dictionary<string, long> _refusalsByReason = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private long _produced;
    private long _lastSequence;
    private long _acknowledged;
    private long _samplesAcknowledged;
    private long _sent;
    private long _resends;
    private long _reconnects;
    private long _connectFailures;
    private long _inFlight;
    private long _startTimestamp;
    private long _endTimestamp;
    private volatile string? _lastError;

    public EdgeLoadPublisher(TelemetryLoadOptions options, int index)
    {
        _options = options;
        _time = options.Time;
        EdgeId = options.EdgeId(index);
        _series = new LoadSeriesCursor(index, options.Publishers, options.Series, options.PointsPerDevice);
        _topic = MqttTopics.For(options.TenantId, options.SiteId, EdgeId, MqttTopics.Telemetry);
        _clientId = options.ClientIdOf(EdgeId);
        if (options.OfferedSamplesPerSecond is { } rate)
        {
            _batchInterval = TimeSpan.FromSeconds(options.SamplesPerBatch / (rate / options.Publishers));
        }
    }

    public string EdgeId { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _startTimestamp = _time.GetTimestamp();
        var connectedBefore = false;
        long? drainStart = null;
        try
        {
            while (true)
            {
                if (!IsProducing())
                {
                    drainStart ??= _time.GetTimestamp();
                    if (PendingResends() == 0 || _time.GetElapsedTime(drainStart.Value) > _options.DrainTimeout)
                    {
                        return;
                    }
                }

                var connection = await ConnectAsync(cancellationToken);
                if (connection is null)
                {
                    await Task.Delay(_options.ReconnectDelay, _time, cancellationToken);
                    continue;
                }

                if (connectedBefore)
                {
                    Interlocked.Increment(ref _reconnects);
                }

                connectedBefore = true;
                try
                {
                    await PublishUntilDoneOrBrokenAsync(connection, cancellationToken);
                }
                finally
                {
                    await connection.CloseAsync();
                }

                if (PendingResends() > 0)
                {
                    // Refused or cut off: pause as an edge backs off, then reconnect and send the same batches again.
                    await Task.Delay(_options.ReconnectDelay, _time, cancellationToken);
                }
            }
        }
        finally
        {
            _endTimestamp = _time.GetTimestamp();
        }
    }

    public PublisherLoadReport Report()
    {
        Dictionary<string, long> reasons;
        long unacknowledged;
        lock (_gate)
        {
            reasons = new Dictionary<string, long>(_refusalsByReason, StringComparer.Ordinal);
            unacknowledged = _toResend.Count;
        }

        var counters = new LoadCounters
        {
            MessagesAcknowledged = Interlocked.Read(ref _acknowledged),
            SamplesAcknowledged = Interlocked.Read(ref _samplesAcknowledged),
            MessagesSent = Interlocked.Read(ref _sent),
            Resends = Interlocked.Read(ref _resends),
            Reconnects = Interlocked.Read(ref _reconnects),
            ConnectFailures = Interlocked.Read(ref _connectFailures),
            BatchesUnacknowledged = unacknowledged + Interlocked.Read(ref _inFlight),
            RefusalsByReason = reasons,
        };
        var start = Interlocked.Read(ref _startTimestamp);
        var end = Interlocked.Read(ref _endTimestamp);
        var elapsed = start == 0 ? TimeSpan.Zero : _time.GetElapsedTime(start, end == 0 ? _time.GetTimestamp() : end);
        return new PublisherLoadReport(EdgeId, counters, Interlocked.Read(ref _lastSequence), elapsed, _lastError);
    }

    private async Task PublishUntilDoneOrBrokenAsync(LoadConnection connection, CancellationToken cancellationToken)
    {
        while (!connection.Broken)
        {
            var batch = TakeResend();
            if (batch is null)
            {
                if (!IsProducing())
                {
                    // Nothing new and nothing to re-send: done once what is in flight is acknowledged.
                    await connection.WaitForInFlightAsync(cancellationToken);
                    return;
                }

                await PaceAsync(cancellationToken);
                if (!IsProducing())
                {
                    continue;
                }

                batch = Produce();
            }

            await connection.Window.WaitAsync(cancellationToken);
            if (connection.Broken)
            {
                connection.Window.Release();
                PutBack(batch);
                break;
            }

            Interlocked.Increment(ref _inFlight);
            _ = PublishOneAsync(connection, batch, cancellationToken);
        }

        await connection.WaitForInFlightAsync(cancellationToken);
    }

    // Never throws: every outcome is counted, and a batch that is not acknowledged goes back to be re-sent.
    private async Task PublishOneAsync(LoadConnection connection, PendingBatch batch, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topic)
            .WithPayload(batch.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        Interlocked.Increment(ref _sent);
        if (batch.Attempts++ > 0)
        {
            Interlocked.Increment(ref _resends);
        }

        using var timeout = new CancellationTokenSource(_options.OperationTimeout, _time);
        try
        {
            var result = await connection.Client.PublishAsync(message, timeout.Token);
            if ((int)result.ReasonCode < 0x80)
            {
                Interlocked.Increment(ref _acknowledged);
                Interlocked.Add(ref _samplesAcknowledged, batch.SampleCount);
                return;
            }

            // Refused on a connection that still works (MQTT 5): the edge agent disconnects and backs off, so do the same
            // once the rest of the window has its answers.
            Refuse(connection, batch, $"PUBACK {result.ReasonCode}", result.ReasonString);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The run was stopped: not a refusal, just not delivered.
            PutBack(batch);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && ex is OperationCanceledException or MqttCommunicationTimedOutException)
        {
            Refuse(connection, batch, $"no PUBACK within {_options.OperationTimeout.TotalSeconds:0.#} s", null);
            // A connection that holds a PUBACK this long is not trusted with the rest of the window.
            connection.Abort();
        }
        catch (MqttCommunicationException ex)
        {
            // How an MQTT 3.1.1 broker refuses a message (it has no reason codes), and how any lost connection looks.
            Refuse(connection, batch, $"connection closed ({ex.GetType().Name})", ex.Message);
        }
        catch (Exception ex)
        {
            Refuse(connection, batch, $"publish failed ({ex.GetType().Name})", ex.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            connection.Window.Release();
        }
    }

    private async Task<LoadConnection?> ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.BrokerHost, _options.BrokerPort)
            .WithClientId(_clientId)
            .WithProtocolVersion(_options.ProtocolVersion)
            // Unsent batches are kept here, as the edge keeps them on disk, so no broker session is needed.
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(_options.OperationTimeout);
        if (_options.EdgePasswords?.GetValueOrDefault(EdgeId) is { } edgePassword)
        {
            builder = builder.WithCredentials(_clientId, edgePassword);
        }
        else if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password ?? "");
        }

        var client = _factory.CreateMqttClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        try
        {
            var result = await client.ConnectAsync(builder.Build(), timeout.Token);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttCommunicationException($"connect refused: {result.ResultCode} {result.ReasonString}", null);
            }

            // Never more in flight than the broker accepts (its MQTT 5 Receive Maximum), as the edge agent does.
            var window = result.ReceiveMaximum is > 0 and var receiveMaximum
                ? Math.Min(_options.MaxInFlight, (int)receiveMaximum)
                : _options.MaxInFlight;
            return new LoadConnection(client, window);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _connectFailures);
            _lastError = $"connect to {_options.BrokerHost}:{_options.BrokerPort} failed: {ex.Message}";
            client.Dispose();
            return null;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private bool IsProducing() =>
        (_options.Duration is not { } duration || _time.GetElapsedTime(_startTimestamp) < duration)
        && (_options.BatchesPerPublisher is not { } limit || _produced < limit);

    // Batch k is due k intervals after the start: a late batch goes at once, so the offered rate holds on average.
    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        if (_batchInterval is not { } interval)
        {
            return;
        }

        var wait = interval * _produced - _time.GetElapsedTime(_startTimestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private PendingBatch Produce()
    {
        var seq = _options.FirstSequence + _produced;
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var batch = new TelemetryBatch
        {
            Schema = TelemetryBatch.CurrentSchema,
            EdgeId = EdgeId,
            Seq = seq,
            SentUtcMs = now,
            Samples = _series.NextBatch(_options.SamplesPerBatch, now),
        };
        _produced++;
        Interlocked.Exchange(ref _lastSequence, seq);
        // Serialised once: a re-send carries the same bytes, as the contract says a duplicate does.
        return new PendingBatch(seq, JsonSerializer.SerializeToUtf8Bytes(batch, ContractsJsonContext.Default.TelemetryBatch), batch.Samples.Count);
    }

    private void Refuse(LoadConnection connection, PendingBatch batch, string reason, string? detail)
    {
        connection.Broken = true;
        _lastError = detail is null ? $"seq {batch.Seq}: {reason}" : $"seq {batch.Seq}: {reason}: {detail}";
        lock (_gate)
        {
            _refusalsByReason[reason] = _refusalsByReason.GetValueOrDefault(reason) + 1;
            _toResend[batch.Seq] = batch;
        }
    }

    private void PutBack(PendingBatch batch)
    {
        lock (_gate)
        {
            _toResend[batch.Seq] = batch;
        }
    }

    private PendingBatch? TakeResend()
    {
        lock (_gate)
        {
            if (_toResend.Count == 0)
            {
                return null;
            }

            var oldest = _toResend.First();
            _toResend.Remove(oldest.Key);
            return oldest.Value;
        }
    }

    private int PendingResends()
    {
        lock (_gate)
        {
            return _toResend.Count;
        }
    }

    private sealed class PendingBatch(long seq, byte[] payload, int sampleCount)
    {
        public long Seq { get; } = seq;

        public byte[] Payload { get; } = payload;

        public int SampleCount { get; } = sampleCount;

        // Only the publish under way touches it; a batch is never in flight twice.
        public int Attempts { get; set; }
    }

    /// <summary>One MQTT connection and its window of unacknowledged publishes.</summary>
    private sealed class LoadConnection(IMqttClient client, int window)
    {
        private readonly int _window = window;

        public IMqttClient Client { get; } = client;

        // Not disposed: a publish that outlives a stopped run still releases it.
        public SemaphoreSlim Window { get; } = new(window, window);

        public volatile bool Broken;

        public async Task WaitForInFlightAsync(CancellationToken cancellationToken)
        {
            for (var i = 0; i < _window; i++)
            {
                await Window.WaitAsync(cancellationToken);
            }

            Window.Release(_window);
        }

        public void Abort()
        {
            Broken = true;
            // Fails the rest of the window at once instead of letting each wait out its own timeout.
            _ = Client.TryDisconnectAsync(MqttClientDisconnectOptionsReason.UnspecifiedError, "publish not acknowledged in time");
        }

        public async Task CloseAsync()
        {
            try
            {
                if (Client.IsConnected)
                {
                    await Client.TryDisconnectAsync();
                }
            }
            finally
            {
                Client.Dispose();
            }
        }
    }
}
