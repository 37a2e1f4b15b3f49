using System.Globalization;
using MQTTnet.Formatter;
using PropertyEba.Ingestion.Benchmarks;
using PropertyEba.Testing.Load;

// Whole-process ingestion benchmark (docs/benchmarks.md, "Ingestion: acknowledged = stored"); benchmarks/run-ingestion.sh
// starts the servers, pins them and this harness with taskset, and takes the medians. Console output is this tool's
// interface: progress on stderr, one "result key=value ..." line on stdout.
const string Usage = """
    usage:
      PropertyEba.Ingestion.Benchmarks cloud --broker HOST:PORT --api http://HOST:PORT [--publishers 2] [--duration 30s]
          [--rate SAMPLES_PER_S] [--protocol 3.1.1|5] [--window 100] [--batch 100] [--series 4000] [--cloud-pid PID]
          [--api-token TOKEN] [--username U --password P] [--settle-timeout 60s] [--rss-csv FILE]
          [--warmup 0s] [--edge-prefix load-] [--edge-token TOKEN]
      PropertyEba.Ingestion.Benchmarks influx --influx http://HOST:PORT [--publishers 2] [--duration 30s] [--rate R]
          [--window 100] [--batch 100] [--series 4000] [--influx-pid PID] [--database bench] [--rss-csv FILE] [--warmup 0s]
    --warmup: the same load for that long first, not counted (the cloud's JIT reaches optimised code; its edges are
    named {edge-prefix}warm-N). --edge-prefix: edge ids {prefix}1..N; a cloud keeps every edge's sequence numbers, so
    a second run against the same cloud needs another prefix. --edge-token: a bearer token of an administrator or
    installer of tenant 'load'; the harness provisions each edge with it (the cloud's broker lets no other edge publish).
    """;

if (args.Length == 0 || args[0] is not ("cloud" or "influx"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var options = HarnessArguments.Parse(args.Skip(1));
    return args[0] == "cloud"
        ? await CloudRun.RunAsync(options, stop.Token)
        : await InfluxRun.RunAsync(options, stop.Token);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("stopped");
    return 130;
}

/// <summary>The MQTT load against a running cloud: acknowledged against stored, and the cloud's memory.</summary>
internal static class CloudRun
{
    public static async Task<int> RunAsync(HarnessArguments args, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var (brokerHost, brokerPort) = args.Endpoint("broker");
        var api = new Uri(args.RequiredString("api"));
        var protocolText = args.String("protocol") ?? "3.1.1";
        var protocol = protocolText switch
        {
            "3.1.1" or "311" => MqttProtocolVersion.V311,
            "5" or "5.0" => MqttProtocolVersion.V500,
            _ => throw new ArgumentException($"--protocol {protocolText}: 3.1.1 or 5 is expected."),
        };
        var load = LoadOptions(args, brokerHost, brokerPort) with
        {
            ProtocolVersion = protocol,
            Username = args.String("username"),
            Password = args.String("password"),
            EdgeIdPrefix = args.String("edge-prefix") ?? "load-",
        };
        var warmup = Warmup(args);
        var cloudPid = args.String("cloud-pid") is { } pidText ? int.Parse(pidText, CultureInfo.InvariantCulture) : (int?)null;
        var token = args.String("api-token");
        var settleLimit = args.Duration("settle-timeout", TimeSpan.FromSeconds(60));
        var rssCsv = args.String("rss-csv");
        var edgeToken = args.String("edge-token");
        args.RejectUnknown();

        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var stats = new IngestionStatsReader(http, token);
        if (edgeToken is not null)
        {
            // The cloud's broker lets only provisioned edges publish: each load edge gets its own secret first.
            load = await EdgeProvisioner.ProvisionAsync(http, edgeToken, load, warmup > TimeSpan.Zero, cancellationToken);
        }
        if (warmup > TimeSpan.Zero)
        {
            // Other edges than the measured ones, so the measured run starts at sequence 1 on a cloud that has compiled its path.
            var warm = await new TelemetryLoadPublisher(load with { EdgeIdPrefix = load.EdgeIdPrefix + "warm-", Duration = warmup }).RunAsync(cancellationToken);
            await stats.WaitUntilSettledAsync(time, TimeSpan.FromSeconds(1), settleLimit, cancellationToken);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warm.Total.SamplesAcknowledged:N0} samples acknowledged in {warm.Elapsed.TotalSeconds:0.0} s ({warm.AcknowledgedSamplesPerSecond:N0}/s), not counted"));
        }

        var before = await stats.ReadAsync(cancellationToken);

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rss = cloudPid is { } pid ? new ProcessRssSampler(pid, time) : null;
        var rssTask = rss?.RunAsync(sampling.Token) ?? Task.CompletedTask;

        var publisher = new TelemetryLoadPublisher(load);
        var start = time.GetTimestamp();
        var lastGrowth = new GrowthWatch(before.SamplesAccepted, start);
        var loadTask = publisher.RunAsync(cancellationToken);
        // Watch the store during the load too, so a cloud that stops storing mid-run is dated where it stopped.
        while (await Task.WhenAny(loadTask, Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken)) != loadTask)
        {
            var now = await stats.ReadAsync(cancellationToken);
            lastGrowth.Observe(now.SamplesAccepted, time.GetTimestamp());
            var progress = publisher.Snapshot();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{time.GetElapsedTime(start).TotalSeconds,5:0}s acknowledged {progress.Total.SamplesAcknowledged,12:N0} stored {now.SamplesAccepted - before.SamplesAccepted,12:N0} refusals {progress.Total.Refusals:N0} rss {(rss?.LastKb ?? 0) / 1024.0:0} MB"));
        }

        var report = await loadTask;
        var (after, settledGrowth, settled) = await stats.WaitUntilSettledAsync(time, TimeSpan.FromSeconds(2), settleLimit, cancellationToken);
        lastGrowth.Observe(after.SamplesAccepted, settledGrowth);
        await sampling.CancelAsync();
        await rssTask;
        if (rss is not null && rssCsv is not null)
        {
            await rss.WriteCsvAsync(rssCsv, cancellationToken);
        }

        var stored = after.SamplesAccepted - before.SamplesAccepted;
        var storeWindow = time.GetElapsedTime(start, Math.Max(lastGrowth.LastGrowthTimestamp, start + 1));
        var total = report.Total;
        Console.Error.WriteLine($"refusals by reason: {report.DescribeRefusals()}");
        foreach (var p in report.Publishers.Where(p => p.LastError is not null))
        {
            Console.Error.WriteLine($"{p.EdgeId}: last error: {p.LastError}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result target=cloud protocol={protocolText} publishers={load.Publishers} offered={Offered(load)} duration_s={load.Duration!.Value.TotalSeconds:0} " +
            $"acknowledged={total.SamplesAcknowledged} stored={stored} lost={total.SamplesAcknowledged - stored} " +
            $"duplicates={after.DuplicateBatches - before.DuplicateBatches} gaps={after.SequenceGaps - before.SequenceGaps} " +
            $"dropped={after.SamplesDropped - before.SamplesDropped} cloud_refused={Delta(before.MessagesRefused, after.MessagesRefused)} " +
            $"rejected={after.PayloadsRejected - before.PayloadsRejected} back_pressure_waits={Delta(before.BackPressureWaits, after.BackPressureWaits)} " +
            $"refusals={total.Refusals} resends={total.Resends} reconnects={total.Reconnects} unacknowledged={total.BatchesUnacknowledged} " +
            $"load_s={report.Elapsed.TotalSeconds:0.0} acked_per_s={report.AcknowledgedSamplesPerSecond:0} " +
            $"store_window_s={storeWindow.TotalSeconds:0.0} stored_per_s={stored / storeWindow.TotalSeconds:0} settled={(settled ? "yes" : "no")} " +
            $"rss_first_mb={(rss?.FirstKb ?? 0) / 1024.0:0} rss_peak_mb={(rss?.PeakKb ?? 0) / 1024.0:0} rss_last_mb={(rss?.LastKb ?? 0) / 1024.0:0}"));
        return 0;
    }

    /// <summary>--warmup: absent or 0 for none.</summary>
    internal static TimeSpan Warmup(HarnessArguments args) =>
        args.String("warmup") is null or "0" or "0s" ? TimeSpan.Zero : args.Duration("warmup", TimeSpan.Zero);

    internal static TelemetryLoadOptions LoadOptions(HarnessArguments args, string host, int port) => new()
    {
        BrokerHost = host,
        BrokerPort = port,
        Publishers = args.Int("publishers", 2),
        Duration = args.Duration("duration", TimeSpan.FromSeconds(30)),
        OfferedSamplesPerSecond = args.Double("rate"),
        MaxInFlight = args.Int("window", 100),
        SamplesPerBatch = args.Int("batch", 100),
        Series = args.Int("series", 4_000),
    };

    internal static string Offered(TelemetryLoadOptions load) =>
        load.OfferedSamplesPerSecond is { } r ? r.ToString("0", CultureInfo.InvariantCulture) : "max";

    private static string Delta(long? before, long? after) =>
        before is { } b && after is { } a ? (a - b).ToString(CultureInfo.InvariantCulture) : "n/a";

    /// <summary>When a counter last grew.</summary>
    private sealed class GrowthWatch(long initial, long startTimestamp)
    {
        private long _last = initial;

        public long LastGrowthTimestamp { get; private set; } = startTimestamp;

        public void Observe(long value, long timestamp)
        {
            if (value != _last)
            {
                _last = value;
                LastGrowthTimestamp = Math.Max(LastGrowthTimestamp, timestamp);
            }
        }
    }
}

/// <summary>The reference: the same samples written raw to influxd as line protocol.</summary>
internal static class InfluxRun
{
    public static async Task<int> RunAsync(HarnessArguments args, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var influx = new Uri(args.RequiredString("influx"));
        var load = CloudRun.LoadOptions(args, influx.Host, influx.Port);
        var pid = args.String("influx-pid") is { } pidText ? int.Parse(pidText, CultureInfo.InvariantCulture) : (int?)null;
        var database = args.String("database") ?? "bench";
        var rssCsv = args.String("rss-csv");
        var warmup = CloudRun.Warmup(args);
        args.RejectUnknown();
        load.Validate();

        // One connection per request in flight, as each MQTT publisher has a window of that many messages.
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = load.Publishers * load.MaxInFlight };
        using var http = new HttpClient(handler) { BaseAddress = influx, Timeout = TimeSpan.FromSeconds(30) };
        var writer = new InfluxLineProtocolWriter(http, database, load);
        await writer.CreateDatabaseAsync(cancellationToken);
        if (warmup > TimeSpan.Zero)
        {
            // The same series, earlier timestamps: influxd has created them and the harness has compiled its path.
            var warm = await new InfluxLineProtocolWriter(http, database, load with { Duration = warmup }).RunAsync(time, cancellationToken);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warm.SamplesWritten:N0} samples written in {warm.Elapsed.TotalSeconds:0.0} s ({warm.SamplesWritten / warm.Elapsed.TotalSeconds:N0}/s), not counted"));
        }

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rss = pid is { } p ? new ProcessRssSampler(p, time) : null;
        var rssTask = rss?.RunAsync(sampling.Token) ?? Task.CompletedTask;
        var start = time.GetTimestamp();
        var run = writer.RunAsync(time, cancellationToken);
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken)) != run)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{time.GetElapsedTime(start).TotalSeconds,5:0}s written {writer.SamplesWritten,12:N0} rss {(rss?.LastKb ?? 0) / 1024.0:0} MB"));
        }

        var report = await run;
        await sampling.CancelAsync();
        await rssTask;
        if (rss is not null && rssCsv is not null)
        {
            await rss.WriteCsvAsync(rssCsv, cancellationToken);
        }

        if (report.FailuresByReason.Count > 0)
        {
            Console.Error.WriteLine("failures by reason: " + string.Join("; ", report.FailuresByReason.Select(f => $"{f.Key}={f.Value}")));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result target=influxd publishers={load.Publishers} offered={CloudRun.Offered(load)} duration_s={load.Duration!.Value.TotalSeconds:0} " +
            $"written={report.SamplesWritten} requests={report.RequestsWritten} retries={report.Retries} load_s={report.Elapsed.TotalSeconds:0.0} " +
            $"written_per_s={report.SamplesWritten / report.Elapsed.TotalSeconds:0} " +
            $"rss_first_mb={(rss?.FirstKb ?? 0) / 1024.0:0} rss_peak_mb={(rss?.PeakKb ?? 0) / 1024.0:0} rss_last_mb={(rss?.LastKb ?? 0) / 1024.0:0}"));
        return 0;
    }
}
