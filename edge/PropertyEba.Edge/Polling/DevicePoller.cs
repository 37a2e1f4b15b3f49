using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Health;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Polling;

/// <summary>How a <see cref="DevicePoller"/> schedules, prioritises and reports (the defaults keep every cycle's samples).</summary>
/// <param name="Priority">The device's turn on a shared bus: higher first (<see cref="PollerSettings.PriorityOf"/>).</param>
/// <param name="MaxBackOff">Longest interval between polls of a lost device.</param>
/// <param name="ReportHeartbeat">Report by exception with this heartbeat; null sends every sample of every cycle.</param>
/// <param name="Random">Jitter source for the back-off.</param>
internal sealed record PollerSettings(int Priority = 0, TimeSpan? MaxBackOff = null, TimeSpan? ReportHeartbeat = null, Random? Random = null)
{
    /// <summary>A device's priority on its bus: its most critical point; a fire-system device at least high.</summary>
    public static int PriorityOf(DeviceProfile profile)
    {
        var highest = profile.Points.Count == 0 ? PointCriticality.Normal : profile.Points.Max(p => p.Criticality);
        if (string.Equals(profile.System, "fire", StringComparison.OrdinalIgnoreCase) && highest < PointCriticality.High)
        {
            highest = PointCriticality.High;
        }

        return (int)highest;
    }
}

/// <summary>
/// Polls one device on its interval: runs the planned reads over the device's connection (in its turn, by
/// priority), decodes each point with <see cref="RegisterCodec"/>, qualifies each sample
/// (<see cref="SampleQualifier"/>) and tracks communication health: lost after N consecutive failed cycles,
/// then polled less often (exponential back-off with jitter, capped) so that it cannot stall its bus, restored
/// at the first good cycle. A merged read the device refuses with "illegal data address" is split into one
/// read per point, and the split plan is kept. With a heartbeat set, only what changed is sent
/// (<see cref="ExceptionReporter"/>).
/// </summary>
internal sealed class DevicePoller
{
    private readonly EdgeDeviceOptions _device;
    private readonly List<ReadRequest> _plan;
    private readonly List<bool> _failing;
    private readonly ModbusConnection _connection;
    private readonly ChannelWriter<UplinkItem> _output;
    private readonly string _edgeId;
    private readonly int _commLossThreshold;
    private readonly TimeProvider _time;
    private readonly EdgeAgentStats _stats;
    private readonly ILogger _logger;
    private readonly PollerSettings _settings;
    private readonly BackOff _backOff;
    private readonly SampleQualifier _qualifier = new();
    private readonly ExceptionReporter? _reporter;
    private readonly Dictionary<string, PointDefinition> _points;
    private int _pointCount;
    private int _consecutiveFailures;
    private volatile bool _commLost;
    private long _lastAnswerUtcMs = -1;
    private long _nextPollUtcMs = -1;
    private long _missedCycles;
    private long _cycles;
    private int _splitReads;
    private IReadOnlyList<TelemetrySample> _latest = [];

    // Whether the device's communication state has been reported since the agent started. Until it has, the first
    // answering cycle reports it: a loss reported before a restart of the agent would otherwise never end in the cloud.
    private bool _stateReported;

    public DevicePoller(
        EdgeDeviceOptions device,
        ImmutableArray<ReadRequest> plan,
        ModbusConnection connection,
        ChannelWriter<UplinkItem> output,
        string edgeId,
        int commLossThreshold,
        TimeSpan interval,
        TimeProvider timeProvider,
        EdgeAgentStats stats,
        ILogger logger,
        PollerSettings? settings = null)
    {
        _device = device;
        _plan = [.. plan];
        _failing = [.. plan.Select(_ => false)];
        _pointCount = plan.Sum(r => r.Points.Length);
        _points = plan.SelectMany(r => r.Points).Select(p => p.Point).DistinctBy(p => p.Id).ToDictionary(p => p.Id, StringComparer.Ordinal);
        _connection = connection;
        _output = output;
        _edgeId = edgeId;
        _commLossThreshold = commLossThreshold;
        Interval = interval;
        _time = timeProvider;
        _stats = stats;
        _logger = logger;
        _settings = settings ?? new PollerSettings();
        var first = interval * 2;
        var max = _settings.MaxBackOff is { } m && m > first ? m : TimeSpan.FromTicks(Math.Max(first.Ticks, TimeSpan.FromSeconds(30).Ticks));
        _backOff = new BackOff(first, max, _settings.Random ?? Random.Shared);
        _reporter = _settings.ReportHeartbeat is { } heartbeat ? new ExceptionReporter(heartbeat) : null;
    }

    public string DeviceId => _device.DeviceId;

    public TimeSpan Interval { get; }

    /// <summary>Whether the device is considered unreachable right now.</summary>
    public bool CommLost => _commLost;

    /// <summary>The device's turn on its bus (higher first).</summary>
    public int Priority => _settings.Priority;

    /// <summary>The connection the device is polled through.</summary>
    public ModbusConnection Connection => _connection;

    /// <summary>The device's options.</summary>
    public EdgeDeviceOptions Device => _device;

    /// <summary>The device's transaction counters.</summary>
    public CommStats Stats { get; } = new();

    /// <summary>The reads of the current plan (after any splits), for health and tests.</summary>
    public ImmutableArray<ReadRequest> Plan
    {
        get
        {
            lock (_plan)
            {
                return [.. _plan];
            }
        }
    }

    /// <summary>The samples of the last cycle (every point, whether sent or held back by report by exception).</summary>
    public IReadOnlyList<TelemetrySample> Latest => Volatile.Read(ref _latest);

    /// <summary>Polls now and then on every tick of the interval (less often while the device is lost), until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var due = _time.GetUtcNow();
        while (true)
        {
            var samples = await PollOnceAsync(cancellationToken);
            var toSend = Report(samples);
            if (toSend.Count > 0)
            {
                await _output.WriteAsync(new DeviceReading(DeviceId, toSend), cancellationToken);
            }

            var now = _time.GetUtcNow();
            if (_commLost)
            {
                // A lost device costs its bus a timeout per attempt: try again later and later, jittered so that
                // devices lost together (a gateway's) do not come back in step.
                due = now + _backOff.Fail();
                Interlocked.Exchange(ref _nextPollUtcMs, due.ToUnixTimeMilliseconds());
            }
            else
            {
                if (_backOff.Failures > 0)
                {
                    _backOff.Reset();
                    due = now;
                }

                Interlocked.Exchange(ref _nextPollUtcMs, -1);
                due += Interval;
                if (due <= now)
                {
                    // The cycle (or the wait for the bus) took longer than the interval: the ticks in between are missed.
                    var missed = (long)((now - due) / Interval) + 1;
                    Interlocked.Add(ref _missedCycles, missed);
                    due += Interval * missed;
                }
            }

            await Task.Delay(due - now, _time, cancellationToken);
        }
    }

    /// <summary>Runs one poll cycle: every planned read, one sample per point; raises lost/restored events.</summary>
    public async Task<IReadOnlyList<TelemetrySample>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var outcomes = new List<(PointDefinition Point, PointOutcome Outcome, double? Value, long TimestampUtcMs)>(_pointCount);
        var unitId = (byte)_device.UnitId;
        string? commError = null;
        var answered = false;
        for (var i = 0; i < _plan.Count; i++)
        {
            var request = _plan[i];
            if (commError is not null)
            {
                // The device did not answer this cycle: do not wait out a timeout per remaining read.
                AddAll(outcomes, request, PointOutcome.NoAnswer, Now());
                continue;
            }

            try
            {
                var (registers, bits) = await _connection.ReadAsync(unitId, request, _settings.Priority, Stats, cancellationToken);
                answered = true;
                Decode(outcomes, request, registers, bits, Now());
                _failing[i] = false;
            }
            catch (ModbusException ex) when (ex.ExceptionCode == ModbusExceptionCode.IllegalDataAddress && request.Points.Length > 1)
            {
                // A merged read that touches a register the device does not map: read its points one by one from now
                // on (this cycle included), so the points it does map are not lost with the hole between them.
                answered = true;
                _stats.AddReadError();
                Split(i, request, ex.Message);
                i--;
            }
            catch (ModbusException ex) when (ex.ExceptionCode is not (ModbusExceptionCode.GatewayPathUnavailable or ModbusExceptionCode.GatewayTargetFailedToRespond))
            {
                // The device answered, with an exception response: it is alive, these points are not readable.
                answered = true;
                _stats.AddReadError();
                LogReadFailure(i, request, ex.Message);
                AddAll(outcomes, request, PointOutcome.Unreadable, Now());
            }
            catch (Exception ex) when (ex is ModbusCommunicationException or ModbusException)
            {
                // No answer, or a gateway saying the device behind it did not answer: communication failed.
                _stats.AddReadError();
                commError = ex.Message;
                LogReadFailure(i, request, ex.Message);
                AddAll(outcomes, request, PointOutcome.NoAnswer, Now());
            }
        }

        if (answered)
        {
            Interlocked.Exchange(ref _lastAnswerUtcMs, Now());
        }

        _stats.AddPollCycle();
        Interlocked.Increment(ref _cycles);
        await TrackHealthAsync(commError, cancellationToken);

        var samples = new List<TelemetrySample>(outcomes.Count);
        var good = 0;
        foreach (var (point, outcome, value, timestamp) in outcomes)
        {
            var sample = _qualifier.Qualify(DeviceId, point, outcome, value, _commLost, timestamp);
            if (sample.Quality == SampleQuality.Good)
            {
                good++;
            }

            samples.Add(sample);
        }

        _stats.AddSamplesRead(good);
        Volatile.Write(ref _latest, samples);
        return samples;
    }

    /// <summary>A snapshot of the device's health.</summary>
    public DeviceHealth Health()
    {
        var lastAnswer = Interlocked.Read(ref _lastAnswerUtcMs);
        var nextPoll = Interlocked.Read(ref _nextPollUtcMs);
        var failures = Volatile.Read(ref _consecutiveFailures);
        return Stats.Fill(new DeviceHealth
        {
            DeviceId = DeviceId,
            Port = _connection.Description,
            State = _commLost ? "lost" : failures > 0 ? "failing" : "ok",
            MissedPollCycles = Interlocked.Read(ref _missedCycles),
            PollCycles = Interlocked.Read(ref _cycles),
            ConsecutiveFailures = failures,
            LastAnswerUtcMs = lastAnswer < 0 ? null : lastAnswer,
            NextPollUtcMs = nextPoll < 0 ? null : nextPoll,
            SplitReads = Volatile.Read(ref _splitReads),
            SamplesSuppressed = _reporter?.Suppressed ?? 0,
        });
    }

    private List<TelemetrySample> Report(IReadOnlyList<TelemetrySample> samples)
    {
        if (_reporter is null)
        {
            return [.. samples];
        }

        var send = new List<TelemetrySample>();
        foreach (var sample in samples)
        {
            if (_reporter.ShouldSend(sample, FindPoint(sample.PointId)))
            {
                send.Add(sample);
            }
        }

        return send;
    }

    private PointDefinition FindPoint(string pointId) =>
        _points.TryGetValue(pointId, out var point) ? point : throw new InvalidOperationException($"Point {pointId} is not in the plan of device {DeviceId}.");

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Split(int index, ReadRequest request, string error)
    {
        var single = ReadPlanner.PerPoint(request.Points.Select(p => p.Point));
        lock (_plan)
        {
            _plan.RemoveAt(index);
            _plan.InsertRange(index, single);
            _failing.RemoveAt(index);
            _failing.InsertRange(index, single.Select(_ => false));
        }

        Interlocked.Increment(ref _splitReads);
        RuntimeLog.ReadSplit(_logger, DeviceId, request.Table, request.Address, request.Count, single.Length, error);
    }

    private static void Decode(List<(PointDefinition, PointOutcome, double?, long)> outcomes, ReadRequest request, ushort[]? registers, bool[]? bits, long timestamp)
    {
        foreach (var planned in request.Points)
        {
            var point = planned.Point;
            double? value = null;
            if (request.IsBitRead)
            {
                if (bits is not null && planned.Offset < bits.Length)
                {
                    value = bits[planned.Offset] ? 1 : 0;
                }
            }
            else if (registers is not null && planned.Offset + point.Span <= registers.Length)
            {
                var raw = RegisterCodec.Decode(registers.AsSpan(planned.Offset, point.Span), point.Type, point.Order, point.Bit, point.Scale, point.Offset);
                if (double.IsFinite(raw))
                {
                    value = raw;
                }
            }

            outcomes.Add((point, value is null ? PointOutcome.Unreadable : PointOutcome.Read, value, timestamp));
        }
    }

    private static void AddAll(List<(PointDefinition, PointOutcome, double?, long)> outcomes, ReadRequest request, PointOutcome outcome, long timestamp)
    {
        foreach (var planned in request.Points)
        {
            outcomes.Add((planned.Point, outcome, null, timestamp));
        }
    }

    private void LogReadFailure(int index, ReadRequest request, string error)
    {
        // A read that starts failing is a warning; repeats every cycle would flood the log.
        if (!_failing[index])
        {
            _failing[index] = true;
            EdgeLog.ReadFailed(_logger, DeviceId, request.Table, request.Address, request.Count, error);
        }
        else
        {
            EdgeLog.ReadFailedAgain(_logger, DeviceId, request.Table, request.Address, request.Count, error);
        }
    }

    private async Task TrackHealthAsync(string? commError, CancellationToken cancellationToken)
    {
        if (commError is not null)
        {
            Interlocked.Increment(ref _consecutiveFailures);
            if (!_commLost && _consecutiveFailures >= _commLossThreshold)
            {
                _commLost = true;
                _stateReported = true;
                EdgeLog.CommLost(_logger, DeviceId, _consecutiveFailures, commError);
                await EmitAsync(EdgeEventKinds.DeviceCommLost, $"no answer from {_connection.Description} unit {_device.UnitId} for {_consecutiveFailures} poll cycles: {commError}", cancellationToken);
            }

            return;
        }

        Volatile.Write(ref _consecutiveFailures, 0);
        if (_commLost)
        {
            _commLost = false;
            EdgeLog.CommRestored(_logger, DeviceId);
            await EmitAsync(EdgeEventKinds.DeviceCommRestored, $"{_connection.Description} unit {_device.UnitId} answers again", cancellationToken);
        }
        else if (!_stateReported)
        {
            _stateReported = true;
            await EmitAsync(EdgeEventKinds.DeviceCommRestored, $"{_connection.Description} unit {_device.UnitId} answers (first answer since the agent started)", cancellationToken);
        }
    }

    private ValueTask EmitAsync(string kind, string detail, CancellationToken cancellationToken) =>
        _output.WriteAsync(
            new EventItem(new EdgeEvent
            {
                Schema = 1,
                EdgeId = _edgeId,
                Kind = kind,
                DeviceId = DeviceId,
                Detail = detail,
                TimestampUtcMs = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            }),
            cancellationToken);
}
