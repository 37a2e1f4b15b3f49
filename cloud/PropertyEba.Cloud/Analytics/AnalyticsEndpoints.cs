using System.Globalization;
using System.Xml;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PropertyEba.Cloud.Hosting;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Analytics;

/// <summary>
/// Window aggregates, counter consumption and raw values over many series, as JSON or CSV. Every limit answers 400 with
/// what was asked, what is allowed and how to narrow the request, rather than a partial or slow answer.
/// </summary>
public static class AnalyticsEndpoints
{
    /// <summary>Most series one request may read.</summary>
    public const int MaxSeries = 2_000;

    /// <summary>Most rows (windows × groups, or raw samples) one request may return.</summary>
    public const int MaxRows = 100_000;

    /// <summary>Shortest fixed window.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(1);

    /// <summary>Longest range of a calendar (day, week, month) query.</summary>
    public static readonly TimeSpan MaxCalendarRange = TimeSpan.FromDays(3_700);

    /// <summary>Longest range of a fixed-interval query.</summary>
    public static readonly TimeSpan MaxFixedRange = TimeSpan.FromDays(366);

    /// <summary>Longest range of a raw-values query.</summary>
    public static readonly TimeSpan MaxRawRange = TimeSpan.FromDays(31);

    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapTenantGroup("/analytics", "Analytics");
        group.MapGet("/aggregates", GetAggregates).WithName("GetTelemetryAggregates")
            .WithSummary("Mean, min, max, first, last and count of one point over many devices, per fixed interval or per day, week or month of each site, grouped by series, device, location, building or site; JSON or CSV.");
        group.MapGet("/consumption", GetConsumption).WithName("GetTelemetryConsumption")
            .WithSummary("Consumption of a counter point (kWh, m³) per fixed interval or per day, week or month of each site, correct across rollovers, meter resets and gaps, grouped by series, device, location, building or site; JSON or CSV.");
        group.MapGet("/raw", GetRaw).WithName("GetTelemetryRaw")
            .WithSummary("Stored samples of one point of one device in a range, oldest first; JSON or CSV.");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<AggregateRow>>, FileContentHttpResult, ProblemHttpResult>> GetAggregates(
        string tenantId, [FromQuery] string? point, [FromQuery] string[]? site, [FromQuery] string[]? building, [FromQuery] string[]? device,
        DateTimeOffset? from, DateTimeOffset? to, string? window, string? groupBy, string? format,
        SeriesCatalog catalog, TelemetryAnalytics analytics, CancellationToken ct)
    {
        var request = await PrepareAsync(tenantId, point, site, building, device, from, to, window, groupBy, format, catalog, ct);
        if (request.Problem is { } problem)
        {
            return problem;
        }

        var rows = await analytics.AggregateAsync(request.Series, request.Query, ct);
        return request.Csv
            ? Csv("aggregates.csv", rows, r => [r.Group, Iso(r.Start), Iso(r.End), Iso(r.LocalStart), Num(r.Series), Num(r.Count), Num(r.Mean), Num(r.Min), Num(r.Max), Num(r.First), Num(r.Last)],
                "group", "start", "end", "localStart", "series", "count", "mean", "min", "max", "first", "last")
            : TypedResults.Ok(rows);
    }

    public static async Task<Results<Ok<IReadOnlyList<ConsumptionRow>>, FileContentHttpResult, ProblemHttpResult>> GetConsumption(
        string tenantId, [FromQuery] string? point, [FromQuery] string[]? site, [FromQuery] string[]? building, [FromQuery] string[]? device,
        DateTimeOffset? from, DateTimeOffset? to, string? window, string? groupBy, string? format, double? rolloverAt,
        SeriesCatalog catalog, TelemetryAnalytics analytics, CancellationToken ct)
    {
        if (rolloverAt is { } r && (!double.IsFinite(r) || r <= 0))
        {
            return ApiProblems.Invalid(nameof(rolloverAt), $"rolloverAt {r} is not a positive number: give the value at which the counter wraps to 0 (e.g. 1000000), or leave it out.");
        }

        var request = await PrepareAsync(tenantId, point, site, building, device, from, to, window, groupBy, format, catalog, ct);
        if (request.Problem is { } problem)
        {
            return problem;
        }

        var rows = await analytics.ConsumptionAsync(request.Series, request.Query, new CounterRules(rolloverAt), ct);
        return request.Csv
            ? Csv("consumption.csv", rows, r => [r.Group, Iso(r.Start), Iso(r.End), Iso(r.LocalStart), Num(r.Series), Num(r.Consumption), r.Unit ?? ""],
                "group", "start", "end", "localStart", "series", "consumption", "unit")
            : TypedResults.Ok(rows);
    }

    public static async Task<Results<Ok<IReadOnlyList<StoredSample>>, FileContentHttpResult, ProblemHttpResult>> GetRaw(
        string tenantId, [FromQuery] string? site, [FromQuery] string? device, [FromQuery] string? point, DateTimeOffset? from, DateTimeOffset? to, string? format,
        SeriesCatalog catalog, ITelemetryStore store, CancellationToken ct)
    {
        if (site is null || device is null || point is null || !MqttTopics.IsId(site) || !MqttTopics.IsId(device) || !MqttTopics.IsPointId(point))
        {
            return ApiProblems.Invalid("series", "Give site, device and point: ids of 1..64 letters, digits, '-' or '_' (a point id may also hold '.').");
        }

        if (RangeProblem(from, to, MaxRawRange) is { } rangeProblem)
        {
            return rangeProblem;
        }

        if (ParseFormat(format) is not { } csv)
        {
            return ApiProblems.Invalid(nameof(format), $"format '{format}' is not known; use 'json' or 'csv'.");
        }

        // Read through the catalog so a site the caller may not see answers as empty, like an unknown series.
        var series = await catalog.ResolveAsync(tenantId, new SeriesSelector(point, [site], [], [device]), ct);
        IReadOnlyList<StoredSample> samples = series.Count == 0 ? [] : await store.QueryAsync(series[0].Key, from!.Value, to!.Value, MaxRows + 1, ct);
        if (samples.Count > MaxRows)
        {
            return ApiProblems.Invalid("range", $"The range holds more than {MaxRows:N0} samples; at most {MaxRows:N0} are returned. Shorten the range, or ask /analytics/aggregates for windows.");
        }

        return csv
            ? Csv("raw.csv", samples, s => [Iso(DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampUtcMs)), Num(s.Value), Num(s.Quality)], "time", "value", "quality")
            : TypedResults.Ok(samples);
    }

    private sealed record Prepared(IReadOnlyList<ResolvedSeries> Series, WindowQuery Query, bool Csv, ProblemHttpResult? Problem);

    private static async Task<Prepared> PrepareAsync(
        string tenantId, string? point, string[]? sites, string[]? buildings, string[]? devices, DateTimeOffset? from, DateTimeOffset? to,
        string? window, string? groupBy, string? format, SeriesCatalog catalog, CancellationToken ct)
    {
        Prepared Fail(ProblemHttpResult problem) => new([], default!, false, problem);

        if (point is null || !MqttTopics.IsPointId(point))
        {
            return Fail(ApiProblems.Invalid(nameof(point), $"point '{point}' is missing or not a point id: use 1..64 letters, digits, '-', '_' or '.'."));
        }

        foreach (var (name, ids) in new[] { ("site", sites), ("building", buildings), ("device", devices) })
        {
            if (ids?.FirstOrDefault(id => !MqttTopics.IsId(id)) is { } bad)
            {
                return Fail(ApiProblems.Invalid(name, $"{name} '{bad}' is not an id: use 1..64 letters, digits, '-' or '_'."));
            }
        }

        if (ParseWindow(window) is not { } parsed)
        {
            return Fail(ApiProblems.Invalid(nameof(window), $"window '{window}' is not known; use 'day', 'week', 'month' or a fixed interval of at least 1 minute such as '15m', '1h' or 'PT15M'."));
        }

        var (kind, interval) = parsed;
        if (kind == WindowKind.Fixed && (interval < MinInterval || interval.Ticks % TimeSpan.TicksPerMinute != 0 || TimeSpan.FromDays(1).Ticks % interval.Ticks != 0 && interval < TimeSpan.FromDays(1)))
        {
            return Fail(ApiProblems.Invalid(nameof(window), $"window '{window}' is not allowed: a fixed interval must be whole minutes, at least {MinInterval.TotalMinutes:0} minute, and divide a day (e.g. 1m, 5m, 15m, 1h, 6h)."));
        }

        if (!Enum.TryParse<GroupBy>(groupBy ?? "series", ignoreCase: true, out var by) || int.TryParse(groupBy, out _))
        {
            return Fail(ApiProblems.Invalid(nameof(groupBy), $"groupBy '{groupBy}' is not known; use series, device, location, building or site."));
        }

        if (ParseFormat(format) is not { } csv)
        {
            return Fail(ApiProblems.Invalid(nameof(format), $"format '{format}' is not known; use 'json' or 'csv'."));
        }

        var maxRange = kind == WindowKind.Fixed ? MaxFixedRange : MaxCalendarRange;
        if (RangeProblem(from, to, maxRange) is { } rangeProblem)
        {
            return Fail(rangeProblem);
        }

        var series = await catalog.ResolveAsync(tenantId, new SeriesSelector(point, sites ?? [], buildings ?? [], devices ?? []), ct);
        if (series.Count > MaxSeries)
        {
            return Fail(ApiProblems.Invalid("series", $"The selection matches {series.Count:N0} series; at most {MaxSeries:N0} are read in one request. Narrow it with site, building or device."));
        }

        var query = new WindowQuery(kind, interval, by, from!.Value, to!.Value);
        long rows = 0;
        foreach (var siteSeries in series.GroupBy(s => s.Key.SiteId))
        {
            var groups = siteSeries.Select(s => s.GroupOf(by)).Distinct().Count();
            rows += (long)groups * CalendarWindows.Build(siteSeries.First().Zone, kind, interval, query.From, query.To).Count;
            if (rows > MaxRows)
            {
                return Fail(ApiProblems.Invalid("range", $"The request would return more than {MaxRows:N0} rows (windows × groups); at most {MaxRows:N0} are allowed. Use a longer window, a coarser groupBy, fewer series or a shorter range."));
            }
        }

        return new Prepared(series, query, csv, null);
    }

    private static ProblemHttpResult? RangeProblem(DateTimeOffset? from, DateTimeOffset? to, TimeSpan max)
    {
        if (from is null || to is null)
        {
            return ApiProblems.Invalid("range", "Give both 'from' and 'to' (ISO 8601, e.g. 2026-03-01T00:00:00+08:00).");
        }

        if (from < DateTimeOffset.UnixEpoch)
        {
            return ApiProblems.Invalid("range", "'from' must lie after 1970-01-01T00:00:00Z.");
        }

        if (from >= to)
        {
            return ApiProblems.Invalid("range", $"'from' ({from:o}) must be before 'to' ({to:o}).");
        }

        return to - from > max ? ApiProblems.Invalid("range", $"The range spans {(to - from).Value.TotalDays:0.#} days; this query allows at most {max.TotalDays:0} days.") : null;
    }

    private static (WindowKind Kind, TimeSpan Interval)? ParseWindow(string? window)
    {
        var text = (window ?? "day").Trim().ToLowerInvariant();
        switch (text)
        {
            case "day":
                return (WindowKind.Day, TimeSpan.FromDays(1));
            case "week":
                return (WindowKind.Week, TimeSpan.FromDays(7));
            case "month":
                return (WindowKind.Month, TimeSpan.Zero);
        }

        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 'm':
                    return (WindowKind.Fixed, TimeSpan.FromMinutes(n));
                case 'h':
                    return (WindowKind.Fixed, TimeSpan.FromHours(n));
            }
        }

        try
        {
            return text.StartsWith('p') ? (WindowKind.Fixed, XmlConvert.ToTimeSpan(text.ToUpperInvariant())) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool? ParseFormat(string? format) => (format ?? "json").ToLowerInvariant() switch
    {
        "json" => false,
        "csv" => true,
        _ => null,
    };

    private static FileContentHttpResult Csv<T>(string fileName, IReadOnlyList<T> rows, Func<T, string[]> fields, params string[] header)
    {
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true))
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            csv.WriteRow(header);
            foreach (var row in rows)
            {
                csv.WriteRow(fields(row));
            }
        }

        return TypedResults.File(buffer.ToArray(), "text/csv; charset=utf-8", fileName);
    }

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string Num(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}
