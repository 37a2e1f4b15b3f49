using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using PropertyEba.Cloud.Realtime;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Realtime;

public sealed class LiveHubForwarderTests
{
    [Fact]
    public async Task A_stalled_hub_drops_and_counts_the_oldest_values_and_the_newest_alarms_beyond_the_caps()
    {
        var hub = new StalledHub();
        var live = new LiveEvents(NullLogger<LiveEvents>.Instance);
        var forwarder = new LiveHubForwarder(live, hub, NullLogger<LiveHubForwarder>.Instance);
        await forwarder.StartAsync(CancellationToken.None);
        try
        {
            // ExecuteAsync runs on the thread pool; wait until it has subscribed.
            await Eventually.UntilAsync(() => live.SubscriberCount == 1, "the forwarder to subscribe to live events");

            // One value batch and one alarm are taken by the forwarder and then stall in the hub...
            live.PublishValues([Value()]);
            live.PublishAlarm(Alarm(0));
            await Eventually.UntilAsync(() => hub.Stalled == 2, "both forwarding loops to be stalled in the hub");

            // ...so the queues fill up behind them.
            for (var i = 0; i < LiveHubForwarder.ValueCapacity + 5; i++)
            {
                live.PublishValues([Value()]);
            }

            for (var i = 1; i <= LiveHubForwarder.EventCapacity + 3; i++)
            {
                live.PublishAlarm(Alarm(i));
            }

            forwarder.ValueBatchesDropped.ShouldBe(5);
            forwarder.EventsDropped.ShouldBe(3);
        }
        finally
        {
            hub.Release();
            await forwarder.StopAsync(CancellationToken.None);
            forwarder.Dispose();
        }
    }

    private static LiveValueDto Value() => new("demo", "site", "dev", "p", 1, "good", 1_790_000_000_000);

    private static AlarmDto Alarm(long id) => new(id, "demo", "site", "dev", "p", "rule", Severity.Urgent, AlarmState.Active, "m", 1, DateTimeOffset.UnixEpoch, null, null, null, null, MessageCatalog.Legacy("m"));

    /// <summary>A hub whose every send waits until released, like clients that stopped reading.</summary>
    private sealed class StalledHub : IHubContext<LiveHub>, IHubClients, IClientProxy
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _stalled;

        public int Stalled => Volatile.Read(ref _stalled);

        IHubClients IHubContext<LiveHub>.Clients => this;

        IGroupManager IHubContext<LiveHub>.Groups => throw new NotSupportedException();

        public void Release() => _release.TrySetResult();

        public async Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _stalled);
            await _release.Task.WaitAsync(cancellationToken);
        }

        public IClientProxy Group(string groupName) => this;

        public IClientProxy All => this;

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => this;

        public IClientProxy Client(string connectionId) => this;

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => this;

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => this;

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => this;

        public IClientProxy User(string userId) => this;

        public IClientProxy Users(IReadOnlyList<string> userIds) => this;
    }
}
