using System.Diagnostics;
using System.Net.Sockets;

namespace PropertyEba.Modbus.Tcp;

/// <summary>
/// Receives and sends for one connection: receives with a short spin and then a plain blocking call, bounded by a receive
/// timeout of a few milliseconds, while the peer answers that quickly (a slave on the same host or LAN, a master polling
/// back to back), and with the runtime's asynchronous calls once it does not.
/// </summary>
/// <remarks>
/// On Linux the runtime's asynchronous receive that has to wait registers the socket with its epoll
/// thread for good; from then on every arriving message wakes that thread, which hands the continuation
/// to a pool thread: two context switches per message, which kept the asynchronous transports below
/// libmodbus when both ends share a core (docs/benchmarks.md). A blocking receive sleeps in the kernel
/// and is woken directly, as libmodbus's select does. Waiting in poll(2) instead was measured slower: its
/// timeout arms a high-resolution timer on every call, which on a virtual machine is a trap to the host.
/// <para>
/// The first time the peer is slower than the window, the connection switches to asynchronous receives
/// for the rest of its life, so a slow device or an idle connection holds a thread for one window once
/// (1 ms asked; the kernel rounds it up to scheduler ticks, 4 to 12 ms measured on the CI machine).
/// A connection that has been answering back to back gets one longer wait (<see cref="DefaultGrace"/>) first, because
/// a late message is then almost always a pause (this process's JIT compiler or garbage collector, or
/// the peer, taking the shared core), not a change of pace. The sending side must use blocking sends
/// while <see cref="Asynchronous"/> is false: one asynchronous socket call would put the socket on the
/// runtime's engine, which then emulates every blocking call through it. Only as many connections as
/// <see cref="QuickConnectionBudget"/> allows receive quickly at once; the others are asynchronous from the start.
/// </para>
/// </remarks>
internal sealed class QuickPeerIo
{
    /// <summary>The receive timeout while the peer is quick; the kernel rounds it up to whole scheduler ticks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1);

    /// <summary>The one longer wait a back-to-back connection gets before it switches to asynchronous receives.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMilliseconds(50);

    // Quick waits in a row after which a connection counts as back to back.
    private const int BackToBackAfter = 10;

    // SpinWait rounds before the blocking receive (about 18 µs measured when nothing comes).
    private const int SpinRounds = 30;

    private readonly TimeSpan _grace;
    private readonly QuickConnectionBudget _budget;
    private int _quickWaits;
    private int _timeoutMilliseconds;
    private bool _holdsSlot;
    private int _receivesWithoutSpin;

    // A yield that kept the thread off the core longer than this lost it to another task for a time slice.
    private static readonly long CostlyYieldTicks = Stopwatch.Frequency / 1000;

    // How many receives skip the spin after a costly yield, before it is tried again: a busy core costs one slice per
    // this many messages, and a one-off (the JIT compiler or the garbage collector taking the core) only this many spins.
    private const int ReceivesWithoutSpinAfterCostlyYield = 1000;

    /// <summary>
    /// Calls for a connection whose one longer wait is <paramref name="grace"/> (a master keeps it well inside its timeout)
    /// and that receives quickly only while it holds a slot of <paramref name="budget"/>.
    /// </summary>
    public QuickPeerIo(TimeSpan grace, QuickConnectionBudget budget)
    {
        _grace = grace;
        _budget = budget;
    }

    /// <summary>True once the connection receives (and must send) asynchronously.</summary>
    public bool Asynchronous { get; private set; }

    /// <summary>
    /// Receives into <paramref name="buffer"/> within the window; false (and <see cref="Asynchronous"/> from
    /// now on) when nothing came in time. A closed connection is a receive of 0 bytes, as from the socket.
    /// </summary>
    public bool TryReceive(Socket socket, Span<byte> buffer, out int received)
    {
        if (!Asynchronous && !_holdsSlot && !(_holdsSlot = _budget.TryTake()))
        {
            // Every quick slot is taken: this connection waits asynchronously from the start.
            Asynchronous = true;
        }

        if (!Asynchronous)
        {
            if (_receivesWithoutSpin > 0)
            {
                _receivesWithoutSpin--;
            }
            else
            {
                SpinBriefly(socket);
            }

            if (TryReceiveWithin(socket, buffer, Window, out received))
            {
                _quickWaits = Math.Min(_quickWaits + 1, BackToBackAfter);
                return true;
            }

            if (_quickWaits == BackToBackAfter)
            {
                _quickWaits = 0;
                if (TryReceiveWithin(socket, buffer, _grace, out received))
                {
                    return true;
                }
            }

            SwitchToAsynchronous(socket);
        }

        received = 0;
        return false;
    }

    /// <summary>
    /// Sends <paramref name="frame"/> with blocking calls while the connection is quick; returns how much went
    /// out (nothing once asynchronous). Less than all means the peer stopped reading (its receive buffer and ours are full): the connection
    /// has then switched to asynchronous calls and the caller sends the rest asynchronously, holding no thread.
    /// </summary>
    public int SendQuickly(Socket socket, ReadOnlySpan<byte> frame)
    {
        var sent = 0;
        while (!Asynchronous && sent < frame.Length)
        {
            sent += socket.Send(frame[sent..], SocketFlags.None, out var error);
            if (error is SocketError.TimedOut or SocketError.WouldBlock)
            {
                SwitchToAsynchronous(socket);
            }
            else if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
        }

        return sent;
    }

    /// <summary>
    /// Starts over for a new connection (asynchronous from the start when it was connected asynchronously,
    /// since that socket is already on the runtime's engine), or ends the old one: gives its quick slot back.
    /// </summary>
    public void Reset(bool asynchronous = false)
    {
        ReturnSlot();
        _quickWaits = 0;
        _timeoutMilliseconds = 0;
        Asynchronous = asynchronous;
    }

    private void SwitchToAsynchronous(Socket socket)
    {
        Asynchronous = true;
        socket.ReceiveTimeout = 0;
        socket.SendTimeout = 0;
        ReturnSlot();
    }

    // Before sleeping in the receive, look for the data for about 20 µs: ten short busy spins, then rounds that
    // yield the core. With the peer on another core its answer usually comes within that, and the sleeping
    // thread's cross-core wake-up (what a blocking C loop pays per message) is saved: about 2.4× libmodbus
    // instead of 1.05× with one core each. With the peer on the same core, the yields hand it the core, so
    // the spin costs nothing there. But when another busy task shares the core (a CPU-bound process beside the
    // agent), a yield hands it a whole time slice, and a thread that yielded is runnable, not asleep, so the
    // data's arrival does not wake it: every message then waited for the next scheduler tick (250 transactions
    // a second instead of 9,000). Measured in docs/benchmarks.md.
    private void SpinBriefly(Socket socket)
    {
        var spinner = default(SpinWait);
        var last = Stopwatch.GetTimestamp();
        while (spinner.Count < SpinRounds && socket.Available == 0)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            var now = Stopwatch.GetTimestamp();
            if (now - last > CostlyYieldTicks)
            {
                // A yield gave the core to another task for a whole time slice: something else keeps this core busy, and
                // a yielding thread is not woken when the data comes. For a while, sleep in the receive at once instead.
                _receivesWithoutSpin = ReceivesWithoutSpinAfterCostlyYield;
                return;
            }

            last = now;
        }
    }

    private void ReturnSlot()
    {
        if (_holdsSlot)
        {
            _holdsSlot = false;
            _budget.Return();
        }
    }

    private bool TryReceiveWithin(Socket socket, Span<byte> buffer, TimeSpan timeout, out int received)
    {
        var milliseconds = Math.Max(1, (int)timeout.TotalMilliseconds); // 0 would mean no timeout at all
        if (_timeoutMilliseconds != milliseconds)
        {
            if (_timeoutMilliseconds == 0)
            {
                // A reply frame fits the socket buffers many times over, so a send waits only when the peer has
                // stopped reading; do not let that hold the thread longer than a receive would.
                socket.SendTimeout = (int)Window.TotalMilliseconds;
            }

            socket.ReceiveTimeout = milliseconds;
            _timeoutMilliseconds = milliseconds;
        }

        received = socket.Receive(buffer, SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            return true;
        }

        if (error is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }

        throw new SocketException((int)error);
    }
}
