using PropertyEba.Cloud.Telemetry;

namespace PropertyEba.Cloud.Tests.Telemetry;

/// <summary>A data folder written by the day-file engine opens under DuckDB with every record, once.</summary>
public sealed class DayFileMigrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("migrate-").FullName;
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Day_files_are_copied_into_duckdb_without_loss_and_set_aside_and_a_reopen_does_not_copy_twice()
    {
        var level = new SeriesKey("t", "s", "tank-1", "level");
        var energy = new SeriesKey("t", "s", "meter-1", "energyImport");
        var t0 = Day.ToUnixTimeMilliseconds();
        var written = new List<SeriesSample>();
        for (var i = 0; i < 3 * 1440; i++)
        {
            written.Add(new(level, new StoredSample(t0 + (i * 60_000L), i % 7 == 0 ? null : i * 0.5, (byte)(i % 7 == 0 ? 2 : 0))));
            written.Add(new(energy, new StoredSample(t0 + (i * 60_000L) + 30_000, 1_000 + i, 0)));
        }

        using (var old = new EmbeddedTelemetryStore(_dir))
        {
            await old.AppendAsync(written, CancellationToken.None);
        }

        var (store, migrated, orphans) = await DuckDbTelemetryStore.OpenAsync(_dir, 256, CancellationToken.None);
        using (store)
        {
            migrated.ShouldBe(written.Count);
            orphans.ShouldBe(0);
            var levels = await store.QueryAsync(level, Day, Day.AddDays(3), 100_000, CancellationToken.None);
            levels.ShouldBe(written.Where(s => s.Key == level).Select(s => s.Sample));
            var energies = await store.QueryAsync(energy, Day, Day.AddDays(3), 100_000, CancellationToken.None);
            energies.ShouldBe(written.Where(s => s.Key == energy).Select(s => s.Sample));
        }

        Directory.EnumerateFiles(_dir, "*.tsdb").ShouldBeEmpty();
        Directory.EnumerateFiles(Path.Combine(_dir, DuckDbTelemetryStore.MigratedFolder), "*.tsdb").Count().ShouldBe(3, "the old files are kept aside, not deleted");
        File.Exists(Path.Combine(_dir, DuckDbTelemetryStore.MigratedFolder, "series.idx")).ShouldBeTrue();

        var (reopened, again, _) = await DuckDbTelemetryStore.OpenAsync(_dir, 256, CancellationToken.None);
        using (reopened)
        {
            again.ShouldBe(0);
            (await reopened.QueryAsync(level, Day, Day.AddDays(3), 100_000, CancellationToken.None)).Count.ShouldBe(3 * 1440);
            reopened.SeriesCount.ShouldBe(2);
        }
    }

    [Fact]
    public async Task A_migration_cut_short_starts_again_from_the_day_files()
    {
        var level = new SeriesKey("t", "s", "tank-1", "level");
        using (var old = new EmbeddedTelemetryStore(_dir))
        {
            await old.AppendAsync([new(level, new StoredSample(Day.ToUnixTimeMilliseconds(), 1.5, 0))], CancellationToken.None);
        }

        // What a crash during the copy leaves: a partial temporary file, the day files untouched.
        await File.WriteAllTextAsync(Path.Combine(_dir, DuckDbTelemetryStore.FileName + ".migrating"), "partial");

        var (store, migrated, _) = await DuckDbTelemetryStore.OpenAsync(_dir, 256, CancellationToken.None);
        using (store)
        {
            migrated.ShouldBe(1);
            (await store.QueryAsync(level, Day, Day.AddDays(1), 10, CancellationToken.None)).ShouldHaveSingleItem().Value.ShouldBe(1.5);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
