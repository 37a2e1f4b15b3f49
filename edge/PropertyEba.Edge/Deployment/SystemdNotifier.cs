using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PropertyEba.Edge.Deployment;

/// <summary>
/// Talks to systemd over the <c>NOTIFY_SOCKET</c> datagram socket (sd_notify(3), done by hand: no package):
/// <c>READY=1</c> once the agent runs, <c>WATCHDOG=1</c> every half <c>WATCHDOG_USEC</c> while its poll loop
/// is making progress, <c>STOPPING=1</c> on shutdown. When the agent stalls (no poll cycle for longer
/// than a cycle can take) the pings stop and systemd restarts it (deploy/propertyeba-edge.service,
/// WatchdogSec). Does nothing when not started by systemd.
/// </summary>
public sealed partial class SystemdNotifier : BackgroundService
{
    private readonly EdgeAgent _agent;
    private readonly EdgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SystemdNotifier> _logger;
    private readonly string? _socketPath;
    private readonly TimeSpan? _watchdog;

    /// <summary>Creates the notifier from the process environment (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID).</summary>
    public SystemdNotifier(EdgeAgent agent, IOptions<EdgeOptions> options, TimeProvider time, ILogger<SystemdNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _agent = agent;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            _watchdog = TimeSpan.FromMicroseconds(usec);
        }
    }

    /// <summary>
    /// How long the agent may go without completing a poll cycle before it counts as stalled: the longest poll
    /// interval plus a full round of timeouts and retries, at least two minutes (a dead bus is slow, not stalled).
    /// </summary>
    public static TimeSpan StallLimit(EdgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var longest = options.Devices.Select(d => d.PollInterval ?? options.PollInterval).DefaultIfEmpty(options.PollInterval).Max();
        var worstCycle = longest + (options.ModbusTimeout * (options.ModbusRetries + 1) * Math.Max(1, options.Devices.Count));
        return TimeSpan.FromTicks(Math.Max(worstCycle.Ticks * 2, TimeSpan.FromMinutes(2).Ticks));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(_socketPath))
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        // '@' marks a socket in the abstract namespace, whose name starts with a NUL byte.
        var endpoint = new UnixDomainSocketEndPoint(_socketPath[0] == '@' ? "\0" + _socketPath[1..] : _socketPath);
        await SendAsync(socket, endpoint, "READY=1\nSTATUS=polling", stoppingToken);
        if (_watchdog is not { } watchdog)
        {
            await WaitForStopAsync(socket, endpoint, stoppingToken);
            return;
        }

        Started(_logger, watchdog);
        var limit = StallLimit(_options);
        var lastCycles = _agent.Stats.PollCycles;
        var lastProgress = _time.GetTimestamp();
        using var timer = new PeriodicTimer(watchdog / 2, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var cycles = _agent.Stats.PollCycles;
                if (cycles != lastCycles)
                {
                    lastCycles = cycles;
                    lastProgress = _time.GetTimestamp();
                }

                if (_time.GetElapsedTime(lastProgress) <= limit)
                {
                    await SendAsync(socket, endpoint, "WATCHDOG=1", stoppingToken);
                }
                else
                {
                    Stalled(_logger, _time.GetElapsedTime(lastProgress));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await SendAsync(socket, endpoint, "STOPPING=1", CancellationToken.None);
    }

    private async Task WaitForStopAsync(Socket socket, UnixDomainSocketEndPoint endpoint, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }

        await SendAsync(socket, endpoint, "STOPPING=1", CancellationToken.None);
    }

    private async Task SendAsync(Socket socket, UnixDomainSocketEndPoint endpoint, string message, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendToAsync(Encoding.UTF8.GetBytes(message), SocketFlags.None, endpoint, cancellationToken);
        }
        catch (SocketException ex)
        {
            // systemd gone or the socket not ours: the agent keeps running; the watchdog, if any, will say so.
            SendFailed(_logger, message, ex.Message);
        }
    }

    [LoggerMessage(1900, LogLevel.Information, "systemd watchdog every {Interval}: the agent pings it while its poll loop makes progress")]
    private static partial void Started(ILogger logger, TimeSpan interval);

    [LoggerMessage(1901, LogLevel.Error, "No poll cycle completed for {Elapsed}: the systemd watchdog is no longer pinged, so systemd restarts the agent")]
    private static partial void Stalled(ILogger logger, TimeSpan elapsed);

    [LoggerMessage(1902, LogLevel.Warning, "sd_notify '{Message}' failed: {Error}")]
    private static partial void SendFailed(ILogger logger, string message, string error);
}
