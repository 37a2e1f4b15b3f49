using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PropertyEba.Contracts.Mqtt;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Polling;

/// <summary>
/// Polls one device on its interval: runs the planned reads over the device's connection, decodes
/// each point with <see cref="RegisterCodec"/>, marks the points of a failed read as bad, and tracks
/// communication health (lost after N consecutive failed cycles, restored at the first good one).
/// </summary>
internal sealed class DevicePoller
{
    private readonly EdgeDeviceOptions _device;
    private readonly ImmutableArray<ReadRequest> _plan;
    private readonly int _pointCount;
    private readonly bool[] _failing;
    private readonly ModbusConnection _connection;
    private readonly ChannelWriter<UplinkItem> _output;
    private readonly string _edgeId;
    private readonly int _commLossThreshold;
    private readonly TimeProvider _time;
    private readonly EdgeAgentStats _stats;
    private readonly ILogger _logger;
    private int _consecutiveFailures;
    private bool _commLost;

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
        ILogger logger)
    {
        _device = device;
        _plan = plan;
        _failing = new bool[plan.Length];
        foreach (var request in plan)
        {
            _pointCount += request.Points.Length;
        }

        _connection = connection;
        _output = output;
        _edgeId = edgeId;
        _commLossThreshold = commLossThreshold;
        Interval = interval;
        _time = timeProvider;
        _stats = stats;
        _logger = logger;
    }

    public string DeviceId => _device.DeviceId;

    public TimeSpan Interval { get; }

    /// <summary>Whether the device is considered unreachable right now.</summary>
    public bool CommLost => _commLost;

    /// <summary>Polls now and then on every tick of the interval, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        do
        {
            var samples = await PollOnceAsync(cancellationToken);
            if (samples.Count > 0)
            {
                await _output.WriteAsync(new DeviceReading(DeviceId, samples), cancellationToken);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    /// <summary>Runs one poll cycle: every planned read, one sample per point; raises lost/restored events.</summary>
    public async Task<IReadOnlyList<TelemetrySample>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var samples = new List<TelemetrySample>(_pointCount);
        var unitId = (byte)_device.UnitId;
        string? commError = null;
        var good = 0;
        for (var i = 0; i < _plan.Length; i++)
        {
            var request = _plan[i];
            if (commError is not null)
            {
                // The device did not answer this cycle: do not wait out a timeout per remaining read.
                AddBad(samples, request, _time.GetUtcNow().ToUnixTimeMilliseconds());
                continue;
            }

            try
            {
                var (registers, bits) = await _connection.ReadAsync(unitId, request, cancellationToken);
                var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
                good += Decode(samples, request, registers, bits, timestamp);
                _failing[i] = false;
            }
            catch (ModbusException ex) when (ex.ExceptionCode is not (ModbusExceptionCode.GatewayPathUnavailable or ModbusExceptionCode.GatewayTargetFailedToRespond))
            {
                // The device answered, with an exception response: it is alive, these points are not readable.
                _stats.AddReadError();
                LogReadFailure(i, request, ex.Message);
                AddBad(samples, request, _time.GetUtcNow().ToUnixTimeMilliseconds());
            }
            catch (Exception ex) when (ex is ModbusCommunicationException or ModbusException)
            {
                // No answer, or a gateway saying the device behind it did not answer: communication failed.
                _stats.AddReadError();
                commError = ex.Message;
                LogReadFailure(i, request, ex.Message);
                AddBad(samples, request, _time.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }

        _stats.AddPollCycle();
        _stats.AddSamplesRead(good);
        await TrackHealthAsync(commError, cancellationToken);
        return samples;
    }

    private int Decode(List<TelemetrySample> samples, ReadRequest request, ushort[]? registers, bool[]? bits, long timestamp)
    {
        var good = 0;
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
                else
                {
                    EdgeLog.NonFiniteValue(_logger, DeviceId, point.Id, raw);
                }
            }

            samples.Add(new TelemetrySample
            {
                DeviceId = DeviceId,
                PointId = point.Id,
                TimestampUtcMs = timestamp,
                Value = value,
                Quality = value is null ? SampleQuality.Bad : SampleQuality.Good,
            });
            if (value is not null)
            {
                good++;
            }
        }

        return good;
    }

    private void AddBad(List<TelemetrySample> samples, ReadRequest request, long timestamp)
    {
        foreach (var planned in request.Points)
        {
            samples.Add(new TelemetrySample
            {
                DeviceId = DeviceId,
                PointId = planned.Point.Id,
                TimestampUtcMs = timestamp,
                Value = null,
                Quality = SampleQuality.Bad,
            });
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
            _consecutiveFailures++;
            if (!_commLost && _consecutiveFailures >= _commLossThreshold)
            {
                _commLost = true;
                _stateReported = true;
                EdgeLog.CommLost(_logger, DeviceId, _consecutiveFailures, commError);
                await EmitAsync(EdgeEventKinds.DeviceCommLost, $"no answer from {_connection.Description} unit {_device.UnitId} for {_consecutiveFailures} poll cycles: {commError}", cancellationToken);
            }

            return;
        }

        _consecutiveFailures = 0;
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
