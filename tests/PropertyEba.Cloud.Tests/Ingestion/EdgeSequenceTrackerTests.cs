using PropertyEba.Cloud.Ingestion;

namespace PropertyEba.Cloud.Tests.Ingestion;

public sealed class EdgeSequenceTrackerTests
{
    [Fact]
    public void Redelivered_batch_is_a_duplicate()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Observe("e", 1).ShouldBe(SequenceVerdict.New);
        tracker.Observe("e", 1).ShouldBe(SequenceVerdict.Duplicate);
        tracker.Duplicates.ShouldBe(1);
    }

    [Fact]
    public void Gap_is_counted_and_filled_by_a_replayed_batch()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Observe("e", 1);
        tracker.Observe("e", 4);
        tracker.Gaps.ShouldBe(2);
        tracker.Observe("e", 2).ShouldBe(SequenceVerdict.New);
        tracker.Observe("e", 3).ShouldBe(SequenceVerdict.New);
        tracker.Gaps.ShouldBe(0);
    }

    [Fact]
    public void Edges_are_tracked_separately()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Observe("a", 5);
        tracker.Observe("b", 5).ShouldBe(SequenceVerdict.New);
    }
}
