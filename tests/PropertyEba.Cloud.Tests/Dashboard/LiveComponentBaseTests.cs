using Bunit;
using Microsoft.Extensions.DependencyInjection;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;
using PropertyEba.Dashboard.Components;
using PropertyEba.Dashboard.Services;

namespace PropertyEba.Cloud.Tests.Dashboard;

public sealed class LiveComponentBaseTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();
    private readonly FakeFeed _feed = new();

    public LiveComponentBaseTests() => _context.Services.AddSingleton<ILiveFeed>(_feed);

    [Fact]
    public async Task Leaving_the_page_cancels_its_queries_and_ends_its_live_subscription()
    {
        var page = _context.Render<SlowPage>();
        var query = page.Instance.QueryToken;
        query.CanBeCanceled.ShouldBeTrue();
        _feed.Active.ShouldBe(1);

        await _context.DisposeComponentsAsync();

        query.IsCancellationRequested.ShouldBeTrue("the page's pending query should be cancelled");
        _feed.Active.ShouldBe(0);
        _context.Renderer.UnhandledException.IsCompleted.ShouldBeFalse("a cancelled query after leaving is not an error");
    }

    [Fact]
    public async Task A_failure_while_handling_a_live_change_reaches_the_renderer_instead_of_vanishing()
    {
        _context.Render<SlowPage>();
        _feed.RaiseAlarm();
        var error = await _context.Renderer.UnhandledException.WaitAsync(TimeSpan.FromSeconds(10));
        error.Message.ShouldBe("live handler failed");
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    /// <summary>A page whose first query never finishes, and whose live handler throws.</summary>
    private sealed class SlowPage : LiveComponentBase
    {
        public CancellationToken QueryToken { get; private set; }

        protected override Task OnInitializedAsync()
        {
            Follow(new LiveSubscription(OnAlarm: _ => OnRenderer(() => throw new InvalidOperationException("live handler failed"))));
            return UntilDisposedAsync(async () =>
            {
                QueryToken = Aborted;
                await Task.Delay(Timeout.Infinite, Aborted);
            });
        }
    }

    private sealed class FakeFeed : ILiveFeed
    {
        private readonly List<LiveSubscription> _subscriptions = [];

        public int Active => _subscriptions.Count;

        public IDisposable Subscribe(LiveSubscription subscription)
        {
            _subscriptions.Add(subscription);
            return new Unsubscribe(() => _subscriptions.Remove(subscription));
        }

        public void RaiseAlarm()
        {
            foreach (var s in _subscriptions.ToList())
            {
                s.OnAlarm?.Invoke(new AlarmDto(1, "demo", "site", "dev", "p", "rule", Severity.Urgent, AlarmState.Active, "m", 1, DateTimeOffset.UnixEpoch, null, null, null, null, MessageCatalog.Legacy("m")));
            }
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}
