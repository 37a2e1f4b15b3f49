using PropertyEba.Cloud.Messaging;

namespace PropertyEba.Cloud.Ingestion;

/// <summary>
/// Ingestion inside the embedded broker: each telemetry, status or event message is validated and queued, and the
/// broker's PUBACK waits until the worker has handled it — a batch is on disk before its publisher may delete it
/// from its buffer. A full queue therefore slows the publisher (its in-flight window fills), and a message the worker
/// could not handle is refused, so the publisher keeps it and sends it again (docs/adr/0008-acknowledge-after-store.md).
/// </summary>
internal sealed class BrokerIngestion(IngestionGate gate, IngestionStats stats) : IInboundPublishHandler
{
    public bool Handles(string topic) => IngestionGate.IsIngestTopic(topic);

    public async ValueTask<PublishRefusal?> HandleAsync(InboundPublish publish, CancellationToken cancellationToken)
    {
        // Completed by the worker: null once handled, else the reason it could not be.
        var outcome = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivery = new Delivery(
            _ =>
            {
                outcome.TrySetResult(null);
                return Task.CompletedTask;
            },
            reason => outcome.TrySetResult(reason));

        // The payload is parsed here, before the first await, while the broker still holds its buffer.
        if (gate.Accept(publish.Topic, publish.Payload, delivery) is not { } accepted)
        {
            return null;
        }

        await gate.EnqueueAsync(accepted, cancellationToken);

        // If the publisher disconnects meanwhile, the wait ends without a PUBACK; the publisher sends the message
        // again and the worker skips it as a duplicate if it was stored after all.
        var refusal = await outcome.Task.WaitAsync(cancellationToken);
        if (refusal is null)
        {
            return null;
        }

        stats.Refused(publish.Topic, refusal);
        return new PublishRefusal(refusal);
    }
}
