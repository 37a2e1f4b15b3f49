namespace PropertyEba.Testing;

/// <summary>
/// The one way tests wait for something that happens asynchronously: poll a condition until it holds
/// or a deadline passes, then fail with a message that says what was awaited and what was last seen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> isDone,
        string whatIsAwaited,
        TimeSpan? timeout = null,
        TimeSpan? interval = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cts = new CancellationTokenSource(limit);
        T last = default!;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe(cts.Token);
                lastError = null;
                if (isDone(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (!cts.IsCancellationRequested)
            {
                lastError = ex;
            }
            catch (OperationCanceledException)
            {
                // The deadline passed while the probe ran.
            }

            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"Waited {limit.TotalSeconds:0.#} s for {whatIsAwaited}; last seen: {Describe(last)}" +
                    (lastError is null ? "" : $"; last error: {lastError.GetType().Name}: {lastError.Message}"));
            }

            try
            {
                await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Loop once more so the failure message is built in one place.
            }
        }
    }

    public static Task<bool> UntilAsync(Func<bool> condition, string whatIsAwaited, TimeSpan? timeout = null) =>
        UntilAsync(_ => Task.FromResult(condition()), ok => ok, whatIsAwaited, timeout);

    public static Task<bool> UntilAsync(Func<CancellationToken, Task<bool>> condition, string whatIsAwaited, TimeSpan? timeout = null) =>
        UntilAsync(condition, ok => ok, whatIsAwaited, timeout);

    private static string Describe<T>(T value) => value switch
    {
        null => "nothing",
        string s => s.Length > 500 ? s[..500] + "…" : s,
        System.Collections.IEnumerable e and not string => $"[{string.Join(", ", e.Cast<object?>().Take(10))}]",
        _ => value.ToString() ?? "",
    };
}
