using PropertyEba.Cloud.Ingestion;

namespace PropertyEba.Cloud.Tests.Ingestion;

public sealed class EdgeSequenceTrackerTests
{
    [Fact]
    public void Redelivery_of_a_stored_batch_is_a_duplicate()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Check("e", 1).ShouldBe(SequenceVerdict.New);
        tracker.Record("e", 1);
        tracker.Check("e", 1).ShouldBe(SequenceVerdict.Duplicate);
        tracker.Duplicates.ShouldBe(1);
    }

    [Fact]
    public void Batch_that_was_never_stored_is_not_a_duplicate_when_it_comes_again()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Check("e", 7).ShouldBe(SequenceVerdict.New);
        tracker.Check("e", 7).ShouldBe(SequenceVerdict.New, "storing failed the first time, so the redelivery must be stored");
    }

    [Fact]
    public void Gap_is_counted_and_filled_by_a_replayed_batch()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Record("e", 1);
        tracker.Record("e", 4);
        tracker.Gaps.ShouldBe(2);
        tracker.Check("e", 2).ShouldBe(SequenceVerdict.New);
        tracker.Record("e", 2);
        tracker.Record("e", 3);
        tracker.Gaps.ShouldBe(0);
    }

    [Fact]
    public void Edges_are_tracked_separately()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Record("a", 5);
        tracker.Check("b", 5).ShouldBe(SequenceVerdict.New);
    }
}
