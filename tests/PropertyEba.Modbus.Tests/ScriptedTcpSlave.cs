using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PropertyEba.Modbus.Tests;

/// <summary>
/// A deliberately misbehaving Modbus TCP slave for tests: for each request frame, the script returns
/// the raw frames to send back (possibly stale, for another unit, or none) and whether to hang up after.
/// </summary>
internal sealed class ScriptedTcpSlave : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<byte[], int, (IEnumerable<byte[]> Replies, bool HangUp)> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;
    private int _connections;

    public ScriptedTcpSlave(Func<byte[], int, (IEnumerable<byte[]> Replies, bool HangUp)> script)
    {
        _script = script;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Requests => Volatile.Read(ref _requests);

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A correct reply to a read holding registers request, every register set to <paramref name="value"/>.</summary>
    public static byte[] RegistersReply(byte[] request, ushort value, ushort? transactionId = null, byte? unitId = null)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(10));
        var frame = new byte[9 + 2 * count];
        BinaryPrimitives.WriteUInt16BigEndian(frame, transactionId ?? BinaryPrimitives.ReadUInt16BigEndian(request));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), (ushort)(3 + 2 * count));
        frame[6] = unitId ?? request[6];
        frame[7] = request[7];
        frame[8] = (byte)(2 * count);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(9 + 2 * i), value);
        }

        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var header = new byte[7];
            try
            {
                while (true)
                {
                    await stream.ReadExactlyAsync(header, _stop.Token);
                    var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
                    var frame = new byte[6 + length];
                    header.CopyTo(frame, 0);
                    await stream.ReadExactlyAsync(frame.AsMemory(7), _stop.Token);
                    var n = Interlocked.Increment(ref _requests);
                    var (replies, hangUp) = _script(frame, n);
                    foreach (var reply in replies)
                    {
                        await stream.WriteAsync(reply, _stop.Token);
                    }

                    if (hangUp)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is EndOfStreamException or IOException or OperationCanceledException)
            {
            }
        }
    }
}
