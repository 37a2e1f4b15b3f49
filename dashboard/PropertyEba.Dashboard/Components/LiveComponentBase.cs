using Microsoft.AspNetCore.Components;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Dashboard.Components;

/// <summary>
/// A page that reads through <see cref="IDashboardQueries"/> and follows <see cref="ILiveFeed"/>. It
/// owns what must end with the page: queries are cancelled through <see cref="Aborted"/> when the
/// person leaves (or the circuit closes), and the live subscription is dropped.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _lifetime = new();
    private IDisposable? _subscription;
    private bool _disposed;

    protected LiveComponentBase() => Aborted = _lifetime.Token;

    /// <summary>Cancelled when the component is disposed; pass it to every query.</summary>
    protected CancellationToken Aborted { get; }

    [Inject]
    private ILiveFeed Live { get; set; } = default!;

    /// <summary>Follows live changes until the component is disposed.</summary>
    protected void Follow(LiveSubscription subscription)
    {
        _subscription?.Dispose();
        _subscription = Live.Subscribe(subscription);
    }

    /// <summary>
    /// Runs work for a live change on the component's renderer. A failure is handed to the circuit
    /// (as an exception thrown from a lifecycle method would be) instead of vanishing in a discarded
    /// task.
    /// </summary>
    protected void OnRenderer(Func<Task> work) => _ = InvokeAsync(async () =>
    {
        try
        {
            await UntilDisposedAsync(work);
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    });

    /// <summary>Runs work unless the component is gone; cancellation because it went away is expected, not an error.</summary>
    protected async Task UntilDisposedAsync(Func<Task> work)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await work();
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        _subscription?.Dispose();
        _lifetime.Cancel();
        _lifetime.Dispose();
    }
}
