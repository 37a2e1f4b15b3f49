using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PropertyEba.Cloud.Alarms;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Cloud.Tickets;

// Samples/s through AlarmEngine.ProcessAsync with 10,000 enabled rules, in steady state (no value crosses a limit, so
// no alarm is written): what the rule engine costs the ingestion worker per sample. Two shapes of rule set:
//   points  — 10,000 rules on 10,000 different points (each sample meets at most one rule);
//   devices — 10,000 rules scoped to 1,000 devices × 10 points (each sample's point has 1,000 candidate rules).
// Usage: dotnet run -c Release --project benchmarks/PropertyEba.Alarms.Benchmarks -- [seconds per shape, default 5]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
foreach (var shape in new[] { "points", "devices" })
{
    var dir = Directory.CreateTempSubdirectory("eba-alarm-bench-").FullName;
    try
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Persistence:DataDirectory"] = dir }).Build();
        await using var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddPersistence(configuration)
            .AddSingleton<LiveEvents>()
            .AddTickets(configuration)
            .AddTicketsFromAlarms(configuration)
            .AddAlarms()
            .BuildServiceProvider();
        // The schema step the host runs first (internal to the cloud, so found by its name).
        await services.GetServices<IHostedService>().Single(h => h.GetType().Name == "DatabaseInitializer").StartAsync(CancellationToken.None);
        await using (var db = await services.GetRequiredService<IDbContextFactory<EbaDbContext>>().CreateDbContextAsync())
        {
            for (var i = 0; i < 10_000; i++)
            {
                db.Add(new AlarmRule
                {
                    TenantId = "bench",
                    RuleId = $"r{i}",
                    Name = $"rule {i}",
                    DeviceId = shape == "devices" ? $"d{i / 10}" : null,
                    SiteId = shape == "devices" ? "s" : null,
                    PointId = shape == "devices" ? $"p{i % 10}" : $"p{i}",
                    Condition = AlarmCondition.AboveLimit,
                    Threshold = 100,
                    Deadband = 1,
                    OnDelaySeconds = 5,
                });
            }

            await db.SaveChangesAsync();
        }

        var engine = services.GetRequiredService<AlarmEngine>();
        var random = new Random(42);
        var batch = new PointReading[500];
        long samples = 0;
        var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        void Fill()
        {
            for (var i = 0; i < batch.Length; i++)
            {
                var point = shape == "devices" ? $"p{random.Next(10)}" : $"p{random.Next(10_000)}";
                batch[i] = new PointReading($"d{random.Next(1000)}", point, random.NextDouble() * 50, ms++);
            }
        }

        // Warm-up: rules loaded, device lookups cached, JIT done.
        for (var i = 0; i < 20; i++)
        {
            Fill();
            await engine.ProcessAsync("bench", "s", batch, CancellationToken.None);
        }

        var measured = Stopwatch.StartNew();
        var inEngine = TimeSpan.Zero;
        while (measured.Elapsed.TotalSeconds < seconds)
        {
            Fill();
            var t = Stopwatch.GetTimestamp();
            await engine.ProcessAsync("bench", "s", batch, CancellationToken.None);
            inEngine += Stopwatch.GetElapsedTime(t);
            samples += batch.Length;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{shape,-8} 10000 rules: {samples / inEngine.TotalSeconds,12:N0} samples/s in ProcessAsync ({samples:N0} samples, {inEngine.TotalSeconds:0.00} s in the engine)"));
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
