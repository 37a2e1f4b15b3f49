using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PropertyEba.Cloud.Telemetry.InfluxDb;

/// <summary>
/// A client of InfluxDB's v1 HTTP API (<c>/write</c>, <c>/query</c>, <c>/ping</c>), which InfluxDB 1.x
/// serves and 2.x/3.x serve as v1 compatibility (docs/adr/0011-influxdb-v1-client.md). Retries of network
/// errors and 5xx, with backoff and jitter, are the resilience handler's job (see
/// <see cref="InfluxDbServiceCollectionExtensions"/>); what reaches this class after them is final.
/// </summary>
public sealed class InfluxDbClient(HttpClient http, InfluxDbOptions options)
{
    /// <summary>Writes line protocol (timestamps in milliseconds), gzip-compressed; creates the database once if influxd says it is missing.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> lineProtocol, CancellationToken cancellationToken)
    {
        var body = Gzip(lineProtocol.Span);
        try
        {
            await SendWriteAsync(body, cancellationToken);
        }
        catch (InfluxDbRejectedException ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.Message.Contains("database not found", StringComparison.Ordinal))
        {
            await CreateDatabaseAsync(cancellationToken);
            await SendWriteAsync(body, cancellationToken);
        }
    }

    /// <summary><c>CREATE DATABASE</c>, which influxd treats as a no-op when it exists.</summary>
    public async Task CreateDatabaseAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"CREATE DATABASE {QuoteIdentifier(options.Database)}", cancellationToken, post: true);

    /// <summary>Runs InfluxQL (read queries with GET, anything else with POST) and returns the series of each statement's result.</summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, CancellationToken cancellationToken, bool post = false)
    {
        var query = new List<KeyValuePair<string, string>>
        {
            new("db", options.Database),
            new("q", influxQl),
            new("epoch", "ms"),
        };
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            query.Add(new("rp", options.RetentionPolicy));
        }

        using var request = post
            ? new HttpRequestMessage(HttpMethod.Post, "query") { Content = new FormUrlEncodedContent(query) }
            : new HttpRequestMessage(HttpMethod.Get, "query?" + await new FormUrlEncodedContent(query).ReadAsStringAsync(cancellationToken));
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, text, "query");
        }

        return ParseQueryResult(text);
    }

    /// <summary><c>/ping</c>: the server's version when it answers 204, else an exception.</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "ping");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw Failure(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), "ping");
        }

        return response.Headers.TryGetValues("X-Influxdb-Version", out var versions) ? versions.First() : "unknown";
    }

    /// <summary>An InfluxQL string literal: single quotes, with quotes and backslashes escaped.</summary>
    public static string QuoteString(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>An InfluxQL identifier: double quotes, with quotes and backslashes escaped.</summary>
    public static string QuoteIdentifier(string name) =>
        "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    internal static IReadOnlyList<InfluxSeries> ParseQueryResult(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InfluxDbRejectedException(HttpStatusCode.OK, $"influxd refused the query: {topError.GetString()}");
        }

        var result = new List<InfluxSeries>();
        if (!root.TryGetProperty("results", out var results))
        {
            return result;
        }

        foreach (var statement in results.EnumerateArray())
        {
            if (statement.TryGetProperty("error", out var error))
            {
                throw new InfluxDbRejectedException(HttpStatusCode.OK, $"influxd refused the query: {error.GetString()}");
            }

            if (!statement.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                if (s.TryGetProperty("tags", out var t))
                {
                    foreach (var p in t.EnumerateObject())
                    {
                        tags[p.Name] = p.Value.GetString() ?? "";
                    }
                }

                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
                var rows = new List<object?[]>();
                if (s.TryGetProperty("values", out var values))
                {
                    foreach (var row in values.EnumerateArray())
                    {
                        rows.Add([.. row.EnumerateArray().Select(Cell)]);
                    }
                }

                result.Add(new InfluxSeries(s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "", tags, columns, rows));
            }
        }

        return result;
    }

    private static object? Cell(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private async Task SendWriteAsync(byte[] gzipped, CancellationToken cancellationToken)
    {
        var path = "write?db=" + Uri.EscapeDataString(options.Database) + "&precision=ms";
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            path += "&rp=" + Uri.EscapeDataString(options.RetentionPolicy);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(gzipped) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        request.Content.Headers.ContentEncoding.Add("gzip");
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken), "write");
        }
    }

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(options.Username))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
        }
    }

    private static Exception Failure(HttpStatusCode status, string body, string what)
    {
        // influxd answers {"error":"..."}; that sentence is what an operator needs (field type conflict, database not found...).
        var message = body;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e))
            {
                message = e.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the body as it is.
        }

        message = $"influxd answered {(int)status} to {what}: {(message.Length > 500 ? message[..500] : message).Trim()}";
        return InfluxDbServiceCollectionExtensions.IsRetried(status) ? new InfluxDbUnavailableException(message) : new InfluxDbRejectedException(status, message);
    }

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream(data.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}

/// <summary>One series of a query result: name, group-by tags, columns and rows (time first, as epoch ms).</summary>
public sealed record InfluxSeries(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Values);

/// <summary>influxd refused the request (4xx, or a query error): sending it again would not help.</summary>
public sealed class InfluxDbRejectedException(HttpStatusCode statusCode, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}

/// <summary>influxd answered 5xx after every retry: it may accept the same request later.</summary>
public sealed class InfluxDbUnavailableException(string message) : Exception(message);
