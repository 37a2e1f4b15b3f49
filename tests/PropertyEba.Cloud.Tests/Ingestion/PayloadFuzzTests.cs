using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PropertyEba.Cloud.Ingestion;
using PropertyEba.Cloud.Telemetry;
using PropertyEba.Contracts.Mqtt;
using Xunit.Abstractions;

namespace PropertyEba.Cloud.Tests.Ingestion;

/// <summary>
/// Issue 15: a seeded fuzz of a million telemetry and event payloads, each mutated from a valid one, through the
/// parsers the ingestion gate uses. No exception may escape, every reject carries a reason (counted per reason),
/// every accepted sample must say exactly what the payload's JSON said (checked against an independent
/// <see cref="JsonDocument"/> reading), and a sample of the accepted batches goes through a real store and back.
/// </summary>
public sealed partial class PayloadFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261206;
    private const int Payloads = 1_000_000;
    private const int Chunk = 5_000;
    private const long Now = 1_790_000_000_000;
    private static readonly TopicAddress TelemetryTopic = new("fuzz", "site-1", "edge-1", MqttTopics.Telemetry);
    private static readonly TopicAddress EventsTopic = new("fuzz", "site-1", "edge-1", MqttTopics.Events);
    private static readonly string[] Devices = ["tank-1", "pumps-1", "meter-9", "ahu_2", "chiller-1"];
    private static readonly string[] Points = ["level", "pump1.running", "pump2.vfdFault", "kwh", "supplyTemp", "outlet_pressure"];
    private static readonly string[] Qualities = ["good", "uncertain", "bad", "stale", "comm-lost"];
    private static readonly string[] Kinds = [EdgeEventKinds.DeviceCommLost, EdgeEventKinds.DeviceCommRestored, EdgeEventKinds.BufferOverflow, "something-new"];

    private readonly string _dir = Directory.CreateTempSubdirectory("fuzz-tsdb-").FullName;

    [Fact]
    public async Task A_million_mutated_payloads_never_crash_the_parsers_every_reject_has_a_reason_and_accepted_samples_are_stored_unaltered()
    {
        var clock = Stopwatch.StartNew();
        var reasons = new ConcurrentDictionary<string, long>();
        var failures = new ConcurrentQueue<string>();
        var toStore = new ConcurrentBag<(int Index, TelemetryBatch Batch)>();
        long accepted = 0, acceptedEvents = 0, acceptedSamples = 0, payloadBytes = 0;

        Parallel.For(0, Payloads / Chunk, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, chunk =>
        {
            // One generator per chunk, seeded from the seed and the chunk: the same payloads whatever the threads do.
            var random = new Random(HashCode.Combine(Seed, chunk));
            var local = new Dictionary<string, long>();
            long localAccepted = 0, localEvents = 0, localSamples = 0, localBytes = 0;
            for (var n = 0; n < Chunk && failures.Count < 20; n++)
            {
                var index = chunk * Chunk + n;
                var isEvent = random.Next(5) == 0;
                var valid = isEvent ? ValidEvent(random) : ValidBatch(random);
                var (payload, mutation) = random.Next(20) == 0 ? (valid, "none") : Mutate(random, valid);
                localBytes += payload.Length;
                var where = $"seed {Seed}, payload {index} (chunk {chunk}), mutation {mutation}: {Preview(payload)}";
                try
                {
                    if (isEvent)
                    {
                        var (ev, error) = EdgeEventPayloadParser.Parse(payload, EventsTopic, Now);
                        if (ev is null)
                        {
                            Count(local, error, where, failures);
                        }
                        else
                        {
                            localEvents++;
                            CheckEventUnaltered(payload, ev, where, failures);
                        }
                    }
                    else
                    {
                        var (batch, error) = TelemetryPayloadParser.Parse(payload, TelemetryTopic, Now);
                        if (batch is null)
                        {
                            Count(local, error, where, failures);
                        }
                        else
                        {
                            localAccepted++;
                            localSamples += batch.Samples.Count;
                            CheckBatchUnaltered(payload, batch, where, failures);
                            if (localAccepted % 100 == 0)
                            {
                                toStore.Add((index, batch));
                            }
                        }
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue($"{where}\n  threw {ex}");
                }
            }

            foreach (var (reason, count) in local)
            {
                reasons.AddOrUpdate(reason, count, (_, c) => c + count);
            }

            Interlocked.Add(ref accepted, localAccepted);
            Interlocked.Add(ref acceptedEvents, localEvents);
            Interlocked.Add(ref acceptedSamples, localSamples);
            Interlocked.Add(ref payloadBytes, localBytes);
        });
        var parseSeconds = clock.Elapsed.TotalSeconds;

        failures.ShouldBeEmpty($"seed {Seed}:\n{string.Join("\n", failures.Take(5))}");

        // A sample of the accepted batches through the real store: what comes back is exactly what was accepted.
        var expected = new Dictionary<SeriesKey, List<StoredSample>>();
        using (var store = new EmbeddedTelemetryStore(_dir))
        {
            foreach (var (_, batch) in toStore.OrderBy(b => b.Index))
            {
                var rows = batch.Samples.Select(s => new SeriesSample(new SeriesKey(TelemetryTopic.Tenant, TelemetryTopic.Site, s.DeviceId, s.PointId), new StoredSample(s.TimestampUtcMs, s.Value, (byte)s.Quality))).ToList();
                await store.AppendAsync(rows, CancellationToken.None);
                foreach (var row in rows)
                {
                    (expected.TryGetValue(row.Key, out var list) ? list : expected[row.Key] = []).Add(row.Sample);
                }
            }
        }

        long storedSamples = 0;
        using (var reopened = new EmbeddedTelemetryStore(_dir))
        {
            foreach (var (key, samples) in expected)
            {
                var back = await reopened.QueryAsync(key, DateTimeOffset.FromUnixTimeMilliseconds(0), DateTimeOffset.FromUnixTimeMilliseconds(Now + 7_200_000), 10_000_000, CancellationToken.None);
                Canonical(back).ShouldBe(Canonical(samples), $"seed {Seed}: series {key} read back differs from what was appended");
                storedSamples += back.Count;
            }
        }

        var rejected = reasons.Values.Sum();
        (accepted + acceptedEvents + rejected).ShouldBe(Payloads);
        accepted.ShouldBeGreaterThan(Payloads / 20, "the fuzz must also exercise the accepted path");
        rejected.ShouldBeGreaterThan(Payloads / 2, "the mutations must mostly break payloads");
        output.WriteLine($"seed {Seed}: {Payloads:N0} payloads ({payloadBytes / 1_048_576.0:N0} MiB) parsed in {parseSeconds:N1} s, total {clock.Elapsed.TotalSeconds:N1} s");
        output.WriteLine($"accepted: {accepted:N0} telemetry batches ({acceptedSamples:N0} samples, each checked against the JSON) + {acceptedEvents:N0} events");
        output.WriteLine($"stored and read back: {toStore.Count:N0} batches, {storedSamples:N0} samples in {expected.Count} series");
        output.WriteLine($"rejected: {rejected:N0} in {reasons.Count} reasons:");
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,9:N0}  {reason}");
        }
    }

    private static void Count(Dictionary<string, long> local, string? error, string where, ConcurrentQueue<string> failures)
    {
        if (string.IsNullOrWhiteSpace(error))
        {
            failures.Enqueue($"{where}\n  rejected without a reason");
            return;
        }

        var reason = ReasonClass(error);
        local[reason] = local.GetValueOrDefault(reason) + 1;
    }

    /// <summary>The reason without what varies between payloads (numbers, quoted values, JSON positions).</summary>
    private static string ReasonClass(string error)
    {
        var cut = error.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? error[..cut] : error;
        text = Quoted().Replace(text, "'…'");
        text = Digits().Replace(text, "#");
        return text.Length > 160 ? text[..160] : text;
    }

    private static void CheckBatchUnaltered(byte[] payload, TelemetryBatch batch, string where, ConcurrentQueue<string> failures)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var problems = new List<string>();
        Expect(problems, "schema", Prop(root, "schema")?.GetInt32(), batch.Schema);
        Expect(problems, "edgeId", Prop(root, "edgeId")?.GetString(), batch.EdgeId);
        Expect(problems, "seq", Prop(root, "seq")?.GetInt64(), batch.Seq);
        Expect(problems, "sentUtcMs", Prop(root, "sentUtcMs")?.GetInt64(), batch.SentUtcMs);
        Expect(problems, "replayed", Prop(root, "replayed") is { } r && r.ValueKind != JsonValueKind.Null && r.GetBoolean(), batch.Replayed);
        var samples = Prop(root, "samples")!.Value;
        Expect(problems, "samples.length", samples.GetArrayLength(), batch.Samples.Count);
        var i = 0;
        foreach (var json in samples.EnumerateArray())
        {
            if (i >= batch.Samples.Count)
            {
                break;
            }

            var s = batch.Samples[i];
            Expect(problems, $"samples[{i}].deviceId", Prop(json, "deviceId")?.GetString(), s.DeviceId);
            Expect(problems, $"samples[{i}].pointId", Prop(json, "pointId")?.GetString(), s.PointId);
            Expect(problems, $"samples[{i}].timestampUtcMs", Prop(json, "timestampUtcMs")?.GetInt64(), s.TimestampUtcMs);
            var value = Prop(json, "value") is { ValueKind: not JsonValueKind.Null } v ? v.GetDouble() : (double?)null;
            if (value.HasValue != s.Value.HasValue || (value is { } a && BitConverter.DoubleToInt64Bits(a) != BitConverter.DoubleToInt64Bits(s.Value!.Value)))
            {
                problems.Add($"samples[{i}].value: JSON says {value?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}, parsed {s.Value?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}");
            }

            var quality = Prop(json, "quality") is { ValueKind: not JsonValueKind.Null } q ? q : (JsonElement?)null;
            var meant = quality switch
            {
                null => SampleQuality.Good,
                { ValueKind: JsonValueKind.Number } n => (SampleQuality)n.GetInt32(),
                { } t => (SampleQuality)Array.FindIndex(Qualities, name => string.Equals(name, t.GetString(), StringComparison.OrdinalIgnoreCase)),
            };
            Expect(problems, $"samples[{i}].quality", meant, s.Quality);
            i++;
        }

        if (problems.Count > 0)
        {
            failures.Enqueue($"{where}\n  accepted but altered: {string.Join("; ", problems)}");
        }
    }

    private static void CheckEventUnaltered(byte[] payload, EdgeEvent ev, string where, ConcurrentQueue<string> failures)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var problems = new List<string>();
        Expect(problems, "schema", Prop(root, "schema")?.GetInt32(), ev.Schema);
        Expect(problems, "edgeId", Prop(root, "edgeId")?.GetString(), ev.EdgeId);
        Expect(problems, "kind", Prop(root, "kind")?.GetString(), ev.Kind);
        Expect(problems, "deviceId", Prop(root, "deviceId")?.GetString(), ev.DeviceId);
        Expect(problems, "detail", Prop(root, "detail")?.GetString(), ev.Detail);
        Expect(problems, "timestampUtcMs", Prop(root, "timestampUtcMs")?.GetInt64(), ev.TimestampUtcMs);
        if (problems.Count > 0)
        {
            failures.Enqueue($"{where}\n  accepted but altered: {string.Join("; ", problems)}");
        }
    }

    private static void Expect<T>(List<string> problems, string field, T json, T parsed)
    {
        if (!EqualityComparer<T>.Default.Equals(json, parsed))
        {
            problems.Add($"{field}: JSON says {json}, parsed {parsed}");
        }
    }

    /// <summary>The property as the serializer reads it: case-sensitive, and the last one when a name repeats.</summary>
    private static JsonElement? Prop(JsonElement obj, string name)
    {
        JsonElement? found = null;
        foreach (var p in obj.EnumerateObject())
        {
            if (p.NameEquals(name))
            {
                found = p.Value;
            }
        }

        return found is { ValueKind: JsonValueKind.Null } ? null : found;
    }

    private static List<(long, long, byte)> Canonical(IEnumerable<StoredSample> samples) =>
        [.. samples.Select(s => (s.TimestampUtcMs, s.Value is { } v ? BitConverter.DoubleToInt64Bits(v) : long.MinValue, s.Quality)).Order()];

    private static string Preview(byte[] payload) =>
        payload.Length <= 400 ? Encoding.UTF8.GetString(payload) : $"{Encoding.UTF8.GetString(payload, 0, 400)}… ({payload.Length} bytes)";

    private static byte[] ValidBatch(Random random)
    {
        var sb = new StringBuilder(1024);
        sb.Append(CultureInfo.InvariantCulture, $$"""{"schema":1,"edgeId":"edge-1","seq":{{random.NextInt64(0, 10_000_000)}},""");
        if (random.Next(3) == 0)
        {
            sb.Append("\"replayed\":true,");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\"sentUtcMs\":{Now - random.Next(60_000)},\"samples\":[");
        var count = random.Next(1, 16);
        for (var i = 0; i < count; i++)
        {
            var quality = random.Next(4) == 0 ? Qualities[random.Next(Qualities.Length)] : null;
            var value = quality is "bad" or "comm-lost" && random.Next(2) == 0 ? null : ValueText(random);
            sb.Append(i == 0 ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $$"""{"deviceId":"{{Devices[random.Next(Devices.Length)]}}","pointId":"{{Points[random.Next(Points.Length)]}}","timestampUtcMs":{{Now - random.NextInt64(0, 3 * 86_400_000L)}}""");
            if (value is not null)
            {
                sb.Append(",\"value\":").Append(value);
            }

            if (quality is not null)
            {
                sb.Append(",\"quality\":\"").Append(quality).Append('"');
            }

            sb.Append('}');
        }

        return Encoding.UTF8.GetBytes(sb.Append("]}").ToString());
    }

    private static string ValueText(Random random) => random.Next(6) switch
    {
        0 => random.Next(2).ToString(CultureInfo.InvariantCulture),
        1 => (random.NextDouble() * 1e6 - 5e5).ToString("R", CultureInfo.InvariantCulture),
        2 => (random.NextDouble() * 100).ToString("F3", CultureInfo.InvariantCulture),
        3 => (random.NextDouble() * 1e-300).ToString("R", CultureInfo.InvariantCulture),
        4 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000).ToString(CultureInfo.InvariantCulture),
        _ => (random.NextDouble() * 1e300).ToString("E16", CultureInfo.InvariantCulture),
    };

    private static byte[] ValidEvent(Random random)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        var device = kind == EdgeEventKinds.BufferOverflow ? null : Devices[random.Next(Devices.Length)];
        var sb = new StringBuilder(256);
        sb.Append(CultureInfo.InvariantCulture, $$"""{"schema":1,"edgeId":"edge-1","kind":"{{kind}}",""");
        if (device is not null)
        {
            sb.Append("\"deviceId\":\"").Append(device).Append("\",");
        }

        if (random.Next(2) == 0)
        {
            sb.Append("\"detail\":\"Modbus timeout after 3 retries (unit 7)\",");
        }

        sb.Append(CultureInfo.InvariantCulture, $"\"timestampUtcMs\":{Now - random.Next(600_000)}}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static readonly string[] Mutations =
    [
        "flip", "truncate", "duplicate", "numeric-edge", "huge-string", "deep-nesting", "wrong-type", "missing-field",
        "unicode", "far-timestamp", "bad-seq", "duplicate-property", "whitespace",
    ];

    private static (byte[] Payload, string Mutation) Mutate(Random random, byte[] valid)
    {
        var payload = valid;
        var names = new List<string>();
        var rounds = random.Next(3) == 0 ? random.Next(2, 4) : 1;
        for (var r = 0; r < rounds; r++)
        {
            var name = Mutations[random.Next(Mutations.Length)];
            names.Add(name);
            payload = Apply(random, name, payload);
        }

        return (payload, string.Join('+', names));
    }

    private static byte[] Apply(Random random, string mutation, byte[] payload)
    {
        var tokens = Tokens(payload);
        switch (mutation)
        {
            case "flip":
                {
                    var copy = (byte[])payload.Clone();
                    for (var k = random.Next(1, 4); k > 0 && copy.Length > 0; k--)
                    {
                        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    return copy;
                }

            case "truncate":
                return payload[..random.Next(payload.Length)];
            case "duplicate":
                {
                    if (payload.Length == 0)
                    {
                        return payload;
                    }

                    var start = random.Next(payload.Length);
                    var length = random.Next(1, Math.Min(200, payload.Length - start) + 1);
                    var at = random.Next(payload.Length + 1);
                    return [.. payload[..at], .. payload.AsSpan(start, length), .. payload[at..]];
                }

            case "whitespace":
                {
                    // Valid JSON still: the parser must accept what it accepted, unaltered.
                    var at = tokens.Count == 0 ? 0 : tokens[random.Next(tokens.Count)].Start;
                    return [.. payload[..at], .. " \n\t "u8, .. payload[at..]];
                }
        }

        if (tokens.Count == 0)
        {
            return payload;
        }

        Token Pick(Func<Token, bool> where)
        {
            var matching = tokens.Where(where).ToList();
            return matching.Count == 0 ? tokens[random.Next(tokens.Count)] : matching[random.Next(matching.Count)];
        }

        var t = mutation switch
        {
            "numeric-edge" => Pick(x => x.Kind == JsonTokenType.Number),
            "far-timestamp" => Pick(x => x.Name is "timestampUtcMs" or "sentUtcMs"),
            "bad-seq" => Pick(x => x.Name == "seq"),
            "huge-string" or "unicode" => Pick(x => x.Kind == JsonTokenType.String),
            "missing-field" or "duplicate-property" => Pick(x => x.Name is not null),
            _ => tokens[random.Next(tokens.Count)],
        };

        switch (mutation)
        {
            case "missing-field":
                {
                    // Remove "name":value and one comma next to it.
                    var start = t.NameStart;
                    var end = t.End;
                    if (end < payload.Length && payload[end] == ',')
                    {
                        end++;
                    }
                    else if (start > 0 && payload[start - 1] == ',')
                    {
                        start--;
                    }

                    return [.. payload[..start], .. payload[end..]];
                }

            case "duplicate-property":
                {
                    // The same property again, with another value, right after the first: the serializer keeps the last.
                    var other = Pick(x => x.Kind != JsonTokenType.StartArray && x.Kind != JsonTokenType.StartObject);
                    var insert = Encoding.UTF8.GetBytes($",\"{t.Name}\":").Concat(payload[other.Start..other.End]).ToArray();
                    return [.. payload[..t.End], .. insert, .. payload[t.End..]];
                }

            case "unicode":
                {
                    var at = random.Next(t.Start + 1, Math.Max(t.Start + 2, t.End));
                    at = Math.Min(at, payload.Length);
                    byte[] bits = random.Next(8) switch
                    {
                        0 => "é"u8.ToArray(),
                        1 => "\\u0000"u8.ToArray(),
                        2 => "\\ud800"u8.ToArray(),
                        3 => [0xC3, 0x28],
                        4 => "😀"u8.ToArray(),
                        5 => "１"u8.ToArray(),
                        6 => "\\u002e"u8.ToArray(),
                        _ => [0xEF, 0xBB, 0xBF],
                    };
                    return [.. payload[..at], .. bits, .. payload[at..]];
                }
        }

        var replacement = mutation switch
        {
            "numeric-edge" => (string[])["NaN", "Infinity", "-Infinity", "\"NaN\"", "1e308", "1e309", "-1e309", "-0", "-0.0", "0e0", "4.9e-324", "1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1.5", "01", "+1", ".5", "0x10", "\"1\"", "null", "true", "2147483648"],
            "far-timestamp" => ["0", "-1", "1", "1577836799999", "1577836800000", (Now + 3_600_000).ToString(CultureInfo.InvariantCulture), (Now + 3_600_001).ToString(CultureInfo.InvariantCulture), (Now + 86_400_000L * 365 * 100).ToString(CultureInfo.InvariantCulture), "9223372036854775807", "-9223372036854775808", "1.79e12", "1790000000000.5", "\"2026-12-06T00:00:00Z\""],
            "bad-seq" => ["-1", "-9223372036854775808", "9223372036854775807", "9223372036854775808", "1.5", "1e3", "\"5\"", "null", "[]", "0"],
            "huge-string" => [HugeString(random)],
            "deep-nesting" => [Nesting(random)],
            "wrong-type" => ["{}", "[]", "\"x\"", "123", "true", "false", "null", "[null]", "{\"a\":1}", "\"\"", "[1,2,3]"],
            _ => throw new InvalidOperationException(mutation),
        };
        var text = Encoding.UTF8.GetBytes(replacement[random.Next(replacement.Length)]);
        return [.. payload[..t.Start], .. text, .. payload[t.End..]];
    }

    private static string HugeString(Random random)
    {
        // Mostly long enough to break the 64-character id limit; now and then beyond the payload size limit.
        var length = random.Next(2_000) == 0 ? TelemetryPayloadParser.MaxPayloadBytes + random.Next(1, 10_000) : random.Next(60, 70) + (random.Next(4) == 0 ? random.Next(4_000) : 0);
        return "\"" + new string((char)('a' + random.Next(26)), length) + "\"";
    }

    private static string Nesting(Random random)
    {
        var depth = random.Next(2) == 0 ? random.Next(1, 70) : random.Next(60, 2_000);
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    private readonly record struct Token(JsonTokenType Kind, string? Name, int NameStart, int Start, int End);

    /// <summary>The values of a payload, with where they start and end (objects and arrays whole), when it is still JSON.</summary>
    private static List<Token> Tokens(byte[] payload)
    {
        var tokens = new List<Token>();
        var open = new Stack<(JsonTokenType Kind, string? Name, int NameStart, int Start)>();
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 4_096 });
        string? name = null;
        var nameStart = 0;
        try
        {
            while (reader.Read())
            {
                var start = (int)reader.TokenStartIndex;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        name = reader.GetString();
                        nameStart = start;
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        open.Push((reader.TokenType, name, name is null ? start : nameStart, start));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        var o = open.Pop();
                        tokens.Add(new Token(o.Kind, o.Name, o.NameStart, o.Start, (int)reader.BytesConsumed));
                        break;
                    default:
                        tokens.Add(new Token(reader.TokenType, name, name is null ? start : nameStart, start, (int)reader.BytesConsumed));
                        break;
                }

                name = null;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Broken by an earlier mutation (InvalidOperationException: a name that is not valid UTF-8): mutate the values found before the break.
        }

        return tokens;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
