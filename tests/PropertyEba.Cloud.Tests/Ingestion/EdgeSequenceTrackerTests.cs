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

    [Fact]
    public void Record_returns_the_gap_it_opened()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Record("e", 119).ShouldBeNull("the first batch of an edge opens no gap: where it started is not known");
        tracker.Record("e", 120).ShouldBeNull();
        tracker.Record("e", 131).ShouldBe(new SequenceGap(121, 130, 10));
        tracker.Record("e", 125).ShouldBeNull("a replay filling the gap opens none");
        tracker.Gaps.ShouldBe(9);
    }

    [Fact]
    public void Numbers_announced_as_never_used_before_the_next_batch_are_no_gap()
    {
        var tracker = new EdgeSequenceTracker();
        RecordRange(tracker, "e", 1, 95);

        // The birth status of the restarted edge comes before its first batch.
        tracker.RecordSkipped("e", 96, 1000).ShouldBe(0, "nothing was counted yet");
        tracker.Record("e", 1001).ShouldBeNull();
        tracker.Record("e", 1002).ShouldBeNull();

        tracker.Gaps.ShouldBe(0);
        tracker.Skipped.ShouldBe(905);
    }

    [Fact]
    public void Numbers_announced_as_never_used_after_a_later_batch_stop_counting_as_a_gap()
    {
        var tracker = new EdgeSequenceTracker();
        RecordRange(tracker, "e", 1, 95);
        tracker.Record("e", 1001).ShouldBe(new SequenceGap(96, 1000, 905));
        tracker.Gaps.ShouldBe(905);

        tracker.RecordSkipped("e", 96, 1000).ShouldBe(905);

        tracker.Gaps.ShouldBe(0);
        tracker.Record("e", 500).ShouldBeNull();
        tracker.Gaps.ShouldBe(0, "a number announced as never used was not counted, so its arrival takes nothing off");
    }

    [Fact]
    public void Batches_lost_next_to_numbers_never_used_remain_a_gap()
    {
        var tracker = new EdgeSequenceTracker();
        RecordRange(tracker, "e", 1, 90);
        tracker.RecordSkipped("e", 96, 1000);

        // 91..95 were used, and lost in the crash; 96..1000 were never used.
        tracker.Record("e", 1001).ShouldBe(new SequenceGap(91, 95, 5));
        tracker.Gaps.ShouldBe(5);
    }

    [Fact]
    public void A_gap_around_numbers_never_used_names_the_missing_ones_at_both_ends()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Record("e", 10);
        tracker.RecordSkipped("e", 11, 20);
        tracker.RecordSkipped("e", 25, 29);

        // 21..24 missing between two announced ranges; 30 missing after the second.
        tracker.Record("e", 31).ShouldBe(new SequenceGap(21, 30, 5));
        tracker.Gaps.ShouldBe(5);
    }

    [Fact]
    public void An_announcement_repeated_by_every_status_of_a_run_counts_once()
    {
        var tracker = new EdgeSequenceTracker();
        RecordRange(tracker, "e", 1, 10);
        tracker.Record("e", 100);
        tracker.RecordSkipped("e", 11, 99).ShouldBe(89);
        tracker.RecordSkipped("e", 11, 99).ShouldBe(0);
        tracker.RecordSkipped("e", 101, 120).ShouldBe(0, "101..120 lie ahead: nothing was counted yet");
        tracker.RecordSkipped("e", 105, 125).ShouldBe(0);
        tracker.Record("e", 126).ShouldBeNull("101..125 were announced as never used");

        tracker.Gaps.ShouldBe(0);
        tracker.Skipped.ShouldBe(89 + 25, "overlapping announcements count each number once");
    }

    [Fact]
    public void An_announcement_does_not_take_off_what_arrived()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Record("e", 1);
        tracker.Record("e", 10);
        tracker.Record("e", 5);
        tracker.Gaps.ShouldBe(7);

        // Only 2..4 and 6..9 were counted; 5 arrived.
        tracker.RecordSkipped("e", 2, 9).ShouldBe(7);
        tracker.Gaps.ShouldBe(0);
    }

    [Fact]
    public void An_announcement_before_any_batch_of_the_edge_is_kept()
    {
        var tracker = new EdgeSequenceTracker();

        // The cloud restarts and reads the retained status before any telemetry.
        tracker.RecordSkipped("e", 1, 1000).ShouldBe(0);
        tracker.Record("e", 1001).ShouldBeNull();
        tracker.Record("e", 1002).ShouldBeNull();
        tracker.Gaps.ShouldBe(0);
    }

    [Fact]
    public void A_seq_of_long_MaxValue_neither_overflows_the_counters_nor_loops_per_number()
    {
        var tracker = new EdgeSequenceTracker();
        tracker.Record("a", 1);

        tracker.Record("a", long.MaxValue).ShouldBe(new SequenceGap(2, long.MaxValue - 1, long.MaxValue - 2));
        tracker.Gaps.ShouldBe(long.MaxValue - 2);
        tracker.Check("a", long.MaxValue).ShouldBe(SequenceVerdict.Duplicate);
        tracker.Check("a", 1).ShouldBe(SequenceVerdict.New, "1 fell out of the window");

        tracker.Record("b", 0);
        tracker.Record("b", long.MaxValue);
        tracker.Gaps.ShouldBe(long.MaxValue, "the count saturates instead of going negative");
        tracker.RecordSkipped("b", 0, long.MaxValue);
        tracker.Gaps.ShouldBe(long.MaxValue, "a saturated count stays saturated");
        tracker.Skipped.ShouldBe(long.MaxValue);
    }

    [Fact]
    public void A_jump_larger_than_the_window_counts_every_number_jumped_over_and_forgets_the_older_ones()
    {
        var tracker = new EdgeSequenceTracker();
        RecordRange(tracker, "e", 1, 10);
        const long far = 10 + EdgeSequenceTracker.Window + 100;

        tracker.Record("e", far).ShouldBe(new SequenceGap(11, far - 1, far - 11));

        tracker.Check("e", 5).ShouldBe(SequenceVerdict.New, "older than the window: it cannot be told from a new batch");
        tracker.Record("e", 20).ShouldBeNull();
        tracker.Gaps.ShouldBe(far - 11, "a batch older than the window takes nothing off the count");
        tracker.Record("e", far - 1);
        tracker.Gaps.ShouldBe(far - 12, "a batch within the window fills its place");
        tracker.Check("e", far - 1).ShouldBe(SequenceVerdict.Duplicate);
        tracker.Check("e", far - 2).ShouldBe(SequenceVerdict.New);
    }

    [Fact]
    public void Duplicates_are_recognised_across_the_whole_window_after_the_ring_wraps()
    {
        var tracker = new EdgeSequenceTracker();
        const int count = EdgeSequenceTracker.Window + 5000;
        for (var seq = 1L; seq <= count; seq += 3)
        {
            tracker.Record("e", seq);
        }

        var highest = 1L + ((count - 1) / 3 * 3);
        for (var seq = highest - EdgeSequenceTracker.Window + 1; seq <= highest; seq++)
        {
            tracker.Check("e", seq).ShouldBe((seq - 1) % 3 == 0 ? SequenceVerdict.Duplicate : SequenceVerdict.New, $"seq {seq}");
        }
    }

    [Fact]
    public void Negative_numbers_and_reversed_ranges_are_refused()
    {
        var tracker = new EdgeSequenceTracker();
        Should.Throw<ArgumentOutOfRangeException>(() => tracker.Record("e", -1));
        Should.Throw<ArgumentOutOfRangeException>(() => tracker.Check("e", -1));
        Should.Throw<ArgumentOutOfRangeException>(() => tracker.RecordSkipped("e", -1, 5));
        Should.Throw<ArgumentOutOfRangeException>(() => tracker.RecordSkipped("e", 6, 5));
    }

    private static void RecordRange(EdgeSequenceTracker tracker, string edge, long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            tracker.Record(edge, seq).ShouldBeNull();
        }
    }
}
