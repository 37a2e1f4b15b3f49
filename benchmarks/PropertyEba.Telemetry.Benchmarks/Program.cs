using System.Diagnostics;
using System.Globalization;
using PropertyEba.Cloud.Analytics;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Telemetry.Benchmarks;

// Same ingest and same analytics queries (TelemetryAnalytics over each engine's AggregateAsync) on every candidate.
// Usage: dotnet run -c Release --project benchmarks/PropertyEba.Telemetry.Benchmarks -- [--meters N] [--days D] [--runs R] [--engines dayfiles,sqlite,duckdb]
var meters = Arg("--meters", 1_000);
var days = Arg("--days", 30);
var runs = Arg("--runs", 5);
var batchSize = Arg("--batch", 5_000);
var engines = (ArgText("--engines") ?? "dayfiles,sqlite,duckdb").Split(',');
var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
var yearStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
var rollupStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; meters {meters}, days {days}, runs {runs}, batch {batchSize}"));
Console.WriteLine("| engine | ingest, 1 series × 1 year of 1-min (pts/s) | daily mean/min/max, 1 year (ms) | monthly consumption, 1 year (ms) | one point, last hour raw (ms) | ingest, meters × days of 1-min (pts/s) | consumption per building per day (ms) | one meter, last hour raw, in the fleet (ms) | disk (MB) | check |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (var engine in engines)
{
    var dir = Directory.CreateTempSubdirectory("tsdb-bench-" + engine + "-").FullName;
    try
    {
        var store = Open(engine, dir);
        var analytics = new TelemetryAnalytics(store);

        // 1) One point, a year of 1-minute data: a counter that rises 0–2 kWh a minute.
        var one = new ResolvedSeries(new SeriesKey("bench", "site-1", "meter-0", "energyImport"), "b0", "r0", zone, "kWh");
        var random = new Random(11);
        double counter = 0;
        var minutes = 365 * 24 * 60;
        var ingest1 = await IngestAsync(store, minutes, i =>
        {
            counter += random.NextDouble() * 2;
            return [new SeriesSample(one.Key, new StoredSample(yearStart.AddMinutes(i).ToUnixTimeMilliseconds(), Math.Round(counter, 3), 0))];
        });
        var yearQuery = new WindowQuery(WindowKind.Day, TimeSpan.Zero, GroupBy.Series, yearStart, yearStart.AddYears(1));
        IReadOnlyList<AggregateRow> daily = [];
        IReadOnlyList<ConsumptionRow> monthly = [];
        var dailyMs = await MedianAsync(async () => daily = await analytics.AggregateAsync([one], yearQuery, CancellationToken.None));
        var monthlyMs = await MedianAsync(async () => monthly = await analytics.ConsumptionAsync([one], yearQuery with { Kind = WindowKind.Month }, CounterRules.Default, CancellationToken.None));
        var rawMs = await MedianAsync(async () => await store.QueryAsync(one.Key, yearStart.AddYears(1).AddHours(-1), yearStart.AddYears(1), 10_000, CancellationToken.None));

        // 2) The company rollup: `meters` meters in 20 buildings × `days` days of 1-minute data.
        var fleet = Enumerable.Range(0, meters).Select(m => new ResolvedSeries(new SeriesKey("bench", "site-2", $"meter-{m}", "energyImport"), $"b{m % 20}", $"r{m % 100}", zone, "kWh")).ToList();
        var values = new double[meters];
        var minutesPerBatch = Math.Max(1, Math.Min(5, batchSize / meters));
        var ingest2 = await IngestAsync(store, days * 24 * 60 / minutesPerBatch, batch =>
        {
            var list = new List<SeriesSample>(meters * minutesPerBatch);
            for (var k = 0; k < minutesPerBatch; k++)
            {
                var ts = rollupStart.AddMinutes((batch * minutesPerBatch) + k).ToUnixTimeMilliseconds();
                for (var m = 0; m < meters; m++)
                {
                    values[m] += 0.1 + (m % 7 * 0.01);
                    list.Add(new SeriesSample(fleet[m].Key, new StoredSample(ts, Math.Round(values[m], 3), 0)));
                }
            }

            return list;
        }, samplesPerStep: meters * minutesPerBatch);
        IReadOnlyList<ConsumptionRow> perBuilding = [];
        var rollupMs = await MedianAsync(async () => perBuilding = await analytics.ConsumptionAsync(fleet, new WindowQuery(WindowKind.Day, TimeSpan.Zero, GroupBy.Building, rollupStart, rollupStart.AddDays(days)), CounterRules.Default, CancellationToken.None));
        var fleetRawMs = await MedianAsync(async () => await store.QueryAsync(fleet[meters / 2].Key, rollupStart.AddDays(days).AddHours(-1), rollupStart.AddDays(days), 10_000, CancellationToken.None));
        (store as IDisposable)?.Dispose();
        var bytes = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        // The same answers from every engine, or the timings mean nothing.
        var check = string.Create(CultureInfo.InvariantCulture, $"Σdaily mean {daily.Sum(r => r.Mean ?? 0):F3}, Σmonthly {monthly.Sum(r => r.Consumption):F3}, Σrollup {perBuilding.Sum(r => r.Consumption):F3}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {engine} | {ingest1:N0} | {dailyMs:F1} | {monthlyMs:F1} | {rawMs:F2} | {ingest2:N0} | {rollupMs:F1} | {fleetRawMs:F2} | {bytes / 1e6:F1} | {check} |"));
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
}

int Arg(string name, int fallback) => ArgText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgText(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static ITelemetryStore Open(string engine, string dir) => engine switch
{
    "dayfiles" => new EmbeddedTelemetryStore(dir),
    "sqlite" => new SqliteTelemetryStore(Path.Combine(dir, "telemetry.sqlite")),
    "duckdb" => DuckDbTelemetryStore.OpenAsync(dir, 256, CancellationToken.None).GetAwaiter().GetResult().Store,
    _ => throw new ArgumentException($"Unknown engine '{engine}'; use dayfiles, sqlite or duckdb."),
};

// Appends in batches of about --batch samples (5,000: one ingestion flush; 100: one MQTT message); returns samples per second.
async Task<double> IngestAsync(ITelemetryStore store, int steps, Func<int, IReadOnlyList<SeriesSample>> step, int samplesPerStep = 1)
{
    var perBatch = Math.Max(1, batchSize / samplesPerStep);
    var total = 0L;
    var watch = Stopwatch.StartNew();
    var batch = new List<SeriesSample>(5_000 + samplesPerStep);
    for (var i = 0; i < steps; i++)
    {
        batch.AddRange(step(i));
        if ((i + 1) % perBatch == 0 || i == steps - 1)
        {
            await store.AppendAsync(batch, CancellationToken.None);
            total += batch.Count;
            batch.Clear();
        }
    }

    return total / watch.Elapsed.TotalSeconds;
}

async Task<double> MedianAsync(Func<Task> run)
{
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await run();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    return times[times.Count / 2];
}
