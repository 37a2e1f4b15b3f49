using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PropertyEba.Modbus.Tcp;

namespace PropertyEba.Modbus.Tests.Tcp;

/// <summary>
/// One connection's quick receives, on a real loopback socket pair: a blocking receive bounded by the
/// window while the peer is quick, one longer grace wait for a connection that has been back to back,
/// and asynchronous receives for good once the peer is slower than that.
/// </summary>
public sealed class QuickPeerIoTests : IDisposable
{
    // A message this late misses the window: 1 ms, which the kernel rounds up to a tick or two (4 to 12 ms measured here).
    private static readonly TimeSpan Late = TimeSpan.FromMilliseconds(20);

    // Later still, for the tests where a message must miss the window even when a loaded machine runs the
    // receiving thread late after its wait timed out (the kernel then still hands it what came meanwhile).
    private static readonly TimeSpan VeryLate = TimeSpan.FromMilliseconds(100);

    // Generous, so that a loaded machine cannot make a late message miss the grace wait; a grace wait given
    // by mistake still catches a message VeryLate late, and that fails the test.
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(250);

    // An upper bound for calls that must not wait long, far above the window and far below a hang.
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(2);

    private readonly Socket _receiving;
    private readonly Socket _peer;
    private readonly byte[] _buffer = new byte[64];

    public QuickPeerIoTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _peer.Connect(listener.LocalEndPoint!);
        _receiving = listener.Accept();
        _receiving.NoDelay = true;
    }

    public void Dispose()
    {
        _peer.Dispose();
        _receiving.Dispose();
    }

    [Fact]
    public void Receives_a_message_that_is_already_there_without_switching()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        _peer.Send([1, 2, 3]);

        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();

        _buffer.AsSpan(0, received).ToArray().ShouldBe(new byte[] { 1, 2, 3 });
        receiver.Asynchronous.ShouldBeFalse();
        _receiving.ReceiveTimeout.ShouldBe((int)QuickPeerIo.Window.TotalMilliseconds);
    }

    [Fact]
    public void Keeps_receiving_quickly_while_every_message_arrives_within_the_window()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));

        for (byte i = 0; i < 50; i++)
        {
            _peer.Send([i, (byte)(i + 1)]);
            receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();
            _buffer.AsSpan(0, received).ToArray().ShouldBe(new[] { i, (byte)(i + 1) });
        }

        receiver.Asynchronous.ShouldBeFalse();
    }

    [Fact]
    public void Switches_to_asynchronous_receives_when_nothing_arrives_within_the_window()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));

        var watch = Stopwatch.StartNew();
        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeFalse();

        watch.Elapsed.ShouldBeLessThan(Grace, "a connection that was never back to back gets no grace wait");
        received.ShouldBe(0);
        receiver.Asynchronous.ShouldBeTrue();
        _receiving.ReceiveTimeout.ShouldBe(0);
    }

    [Fact]
    public void Once_asynchronous_returns_false_at_once_and_leaves_the_data_to_the_asynchronous_receive()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();
        _peer.Send([7, 8, 9]);
        WaitUntil(() => _receiving.Available == 3);

        // 1000 calls that each waited even one window would take 4 s or more.
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 1000; i++)
        {
            receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeFalse();
            received.ShouldBe(0);
        }

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
        receiver.Asynchronous.ShouldBeTrue();
        _receiving.Available.ShouldBe(3, "the bytes stay for the asynchronous receive");
    }

    [Fact]
    public async Task Switches_to_asynchronous_receives_when_the_peer_is_slower_than_the_window()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        _peer.Send([1]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();

        var sending = SendAfter(VeryLate, [42]);
        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeFalse();
        await sending;

        received.ShouldBe(0);
        receiver.Asynchronous.ShouldBeTrue();
        _receiving.ReceiveTimeout.ShouldBe(0);
        (await ReceiveAsynchronously()).ShouldBe(new byte[] { 42 });
    }

    [Fact]
    public async Task Gives_a_connection_that_was_back_to_back_one_grace_wait_for_a_late_message()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        ReceiveQuickly(receiver, 10);

        var sending = SendAfter(Late, [42, 43]);
        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();
        await sending;

        _buffer.AsSpan(0, received).ToArray().ShouldBe(new byte[] { 42, 43 });
        receiver.Asynchronous.ShouldBeFalse();
    }

    [Fact]
    public async Task Switches_on_the_next_late_message_after_a_grace_wait_because_the_grace_starts_the_count_over()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        ReceiveQuickly(receiver, 10);
        var sending = SendAfter(VeryLate, [1]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();
        await sending;

        sending = SendAfter(VeryLate, [2]);
        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeFalse();
        await sending;

        received.ShouldBe(0);
        receiver.Asynchronous.ShouldBeTrue();
        (await ReceiveAsynchronously()).ShouldBe(new byte[] { 2 });
    }

    [Fact]
    public async Task Earns_another_grace_wait_with_ten_more_quick_receives()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        ReceiveQuickly(receiver, 10);
        var sending = SendAfter(VeryLate, [1]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();
        await sending;

        ReceiveQuickly(receiver, 10);
        sending = SendAfter(VeryLate, [2]);
        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();
        await sending;

        _buffer.AsSpan(0, received).ToArray().ShouldBe(new byte[] { 2 });
        receiver.Asynchronous.ShouldBeFalse();
    }

    [Fact]
    public async Task Gives_no_grace_wait_after_only_nine_quick_receives()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        ReceiveQuickly(receiver, 9);

        var sending = SendAfter(VeryLate, [42]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();
        await sending;

        receiver.Asynchronous.ShouldBeTrue();
        (await ReceiveAsynchronously()).ShouldBe(new byte[] { 42 });
    }

    [Fact]
    public void Switches_after_the_grace_wait_when_nothing_comes_within_it_either()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        ReceiveQuickly(receiver, 10);

        var watch = Stopwatch.StartNew();
        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeFalse();
        watch.Stop();

        received.ShouldBe(0);
        receiver.Asynchronous.ShouldBeTrue();
        _receiving.ReceiveTimeout.ShouldBe(0);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(Grace - TimeSpan.FromMilliseconds(10), "the grace wait was taken");
        watch.Elapsed.ShouldBeLessThan(Grace + Bounded);
    }

    [Fact]
    public void Reports_a_peer_that_closed_the_connection_as_a_receive_of_nothing()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        _peer.Shutdown(SocketShutdown.Send);

        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();

        received.ShouldBe(0);
        receiver.Asynchronous.ShouldBeFalse();
    }

    [Fact]
    public void Reports_a_peer_that_closed_after_its_last_message_with_the_message_first()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        _peer.Send([5, 6]);
        _peer.Close();

        receiver.TryReceive(_receiving, _buffer, out var first).ShouldBeTrue();
        _buffer.AsSpan(0, first).ToArray().ShouldBe(new byte[] { 5, 6 });
        receiver.TryReceive(_receiving, _buffer, out var second).ShouldBeTrue();
        second.ShouldBe(0);
    }

    [Fact]
    public void Tries_quick_receives_again_after_a_reset()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();
        receiver.Asynchronous.ShouldBeTrue();

        receiver.Reset();
        receiver.Asynchronous.ShouldBeFalse();
        _peer.Send([3, 1, 4]);

        receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();
        _buffer.AsSpan(0, received).ToArray().ShouldBe(new byte[] { 3, 1, 4 });
        receiver.Asynchronous.ShouldBeFalse();
    }

    [Fact]
    public async Task Bounds_the_first_wait_after_a_reset_by_the_window_again()
    {
        // The switch left the socket without a receive timeout: a reset must restore it, or this wait never ends.
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();
        receiver.Reset();

        var waiting = Task.Factory.StartNew(
            () => receiver.TryReceive(_receiving, new byte[16], out _),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        (await waiting.WaitAsync(Bounded)).ShouldBeFalse();
        _receiving.ReceiveTimeout.ShouldBe(0);
    }

    [Fact]
    public async Task Forgets_the_quick_receives_before_a_reset()
    {
        var receiver = new QuickPeerIo(Grace, new QuickConnectionBudget(1));
        ReceiveQuickly(receiver, 10);

        receiver.Reset();
        var sending = SendAfter(VeryLate, [42]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();
        await sending;

        receiver.Asynchronous.ShouldBeTrue();
    }

    [Fact]
    public void Waits_asynchronously_from_the_start_when_every_quick_slot_is_taken()
    {
        var budget = new QuickConnectionBudget(1);
        var first = new QuickPeerIo(Grace, budget);
        var second = new QuickPeerIo(Grace, budget);
        _peer.Send([1]);
        first.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();
        _peer.Send([2]);

        var started = Stopwatch.GetTimestamp();
        second.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();

        second.Asynchronous.ShouldBeTrue();
        Stopwatch.GetElapsedTime(started).ShouldBeLessThan(Bounded);
        _receiving.Available.ShouldBe(1, "the byte is left to the asynchronous receive");
        budget.Free.ShouldBe(0);
    }

    [Fact]
    public void Gives_its_quick_slot_back_when_it_switches_to_asynchronous_receives()
    {
        var budget = new QuickConnectionBudget(1);
        var receiver = new QuickPeerIo(Grace, budget);
        _peer.Send([1]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();
        budget.Free.ShouldBe(0);

        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeFalse();

        budget.Free.ShouldBe(1);
    }

    [Fact]
    public void Gives_its_quick_slot_back_once_when_the_connection_ends()
    {
        var budget = new QuickConnectionBudget(1);
        var receiver = new QuickPeerIo(Grace, budget);
        _peer.Send([1]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();

        receiver.Reset();
        receiver.Reset();

        budget.Free.ShouldBe(1);
    }

    [Fact]
    public void Switches_to_asynchronous_calls_when_a_peer_that_stopped_reading_blocks_a_send()
    {
        var budget = new QuickConnectionBudget(1);
        var receiver = new QuickPeerIo(Grace, budget);
        _peer.Send([1]);
        receiver.TryReceive(_receiving, _buffer, out _).ShouldBeTrue();
        var frame = new byte[64 * 1024];

        // The peer never reads: the socket buffers fill, and a blocking send would then wait for ever.
        var started = Stopwatch.GetTimestamp();
        var sends = 0;
        while (!receiver.Asynchronous && Stopwatch.GetElapsedTime(started) < Bounded)
        {
            receiver.SendQuickly(_receiving, frame).ShouldBeLessThanOrEqualTo(frame.Length);
            sends++;
        }

        receiver.Asynchronous.ShouldBeTrue($"still quick after {sends} sends of {frame.Length} bytes");
        _receiving.SendTimeout.ShouldBe(0);
        budget.Free.ShouldBe(1);
    }

    [Fact]
    public void Quick_connect_tries_every_address_of_the_host()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        // Nothing listens on 127.0.0.2 at that port: refused, then the next address is tried. A loaded machine
        // can make an attempt miss its 1 ms window (null: the caller then connects asynchronously), so a few tries.
        Socket? socket = null;
        for (var attempt = 0; attempt < 20 && socket is null; attempt++)
        {
            socket = TcpMasterTransport.TryConnectQuickly([IPAddress.Parse("127.0.0.2"), IPAddress.Loopback], port);
        }

        using var connected = socket;
        socket.ShouldNotBeNull();
        ((IPEndPoint)socket.RemoteEndPoint!).Address.ShouldBe(IPAddress.Loopback);

        // With no other address to try, the refusal is the caller's error (unless the window was missed again).
        SocketException? refused = null;
        for (var attempt = 0; attempt < 20 && refused is null; attempt++)
        {
            try
            {
                TcpMasterTransport.TryConnectQuickly([IPAddress.Parse("127.0.0.2")], port).ShouldBeNull();
            }
            catch (SocketException ex)
            {
                refused = ex;
            }
        }

        refused.ShouldNotBeNull().SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
    }

    private void ReceiveQuickly(QuickPeerIo receiver, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _peer.Send([(byte)i]);
            receiver.TryReceive(_receiving, _buffer, out var received).ShouldBeTrue();
            received.ShouldBe(1);
        }

        receiver.Asynchronous.ShouldBeFalse();
    }

    // Sends from a thread of its own, so the late message does not depend on a busy thread pool.
    private Task SendAfter(TimeSpan delay, byte[] message)
    {
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Thread.Sleep(delay);
                _peer.Send(message);
                sent.SetResult();
            }
            catch (Exception ex)
            {
                sent.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "late sender",
        };
        thread.Start();
        return sent.Task;
    }

    private async Task<byte[]> ReceiveAsynchronously()
    {
        using var cts = new CancellationTokenSource(Bounded);
        var received = await _receiving.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cts.Token);
        return _buffer.AsSpan(0, received).ToArray();
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            watch.Elapsed.ShouldBeLessThan(Bounded, "waited for the loopback to deliver");
            Thread.Sleep(1);
        }
    }
}
