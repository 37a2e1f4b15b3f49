using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace PropertyEba.Cloud.Telemetry.InfluxDb;

public static class InfluxDbServiceCollectionExtensions
{
    public const string HttpClientName = "influxdb";

    /// <summary>
    /// The <see cref="InfluxDbClient"/>'s HttpClient: retries of network errors, timeouts, 408, 429 and 5xx
    /// with exponential backoff and jitter; a 4xx other than those is final (influxd's message says why).
    /// </summary>
    public static IServiceCollection AddInfluxDbClient(this IServiceCollection services, Func<IServiceProvider, InfluxDbOptions> options)
    {
        services.AddHttpClient(HttpClientName, (sp, http) =>
            {
                var o = options(sp);
                http.BaseAddress = new Uri(o.Url.TrimEnd('/') + "/");

                // The resilience handler's timeouts govern; this only keeps a hung request from living for ever.
                http.Timeout = o.RequestTimeout * (o.MaxRetryAttempts + 2);
            })
            .AddResilienceHandler("influxdb", (pipeline, context) =>
            {
                var o = options(context.ServiceProvider);
                var retry = new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(o.MaxRetryAttempts, 1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = o.RetryDelay,
                };
                if (o.MaxRetryAttempts == 0)
                {
                    retry.ShouldHandle = _ => PredicateResult.False();
                }

                pipeline.AddRetry(retry);
                pipeline.AddTimeout(o.RequestTimeout);
            });
        services.AddSingleton(sp => new InfluxDbClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), options(sp)));
        return services;
    }

    /// <summary>What the resilience handler retries (besides network errors and timeouts), and so what counts as "unavailable" after it.</summary>
    internal static bool IsRetried(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
