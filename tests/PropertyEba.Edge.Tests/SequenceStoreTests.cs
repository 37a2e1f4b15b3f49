using PropertyEba.Contracts.Mqtt;
using PropertyEba.Edge.Buffering;
using PropertyEba.Edge.Tests.Infrastructure;

namespace PropertyEba.Edge.Tests;

public sealed class SequenceStoreTests : IDisposable
{
    private readonly string _directory = TestOptions.TempDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Continues_without_a_gap_after_a_clean_stop()
    {
        using (var first = SequenceStore.Open(_directory, Boot))
        {
            Enumerable.Range(0, 5).Select(_ => first.Next()).ShouldBe([1, 2, 3, 4, 5]);
            first.Close();
        }

        using var second = SequenceStore.Open(_directory, Boot);
        second.Next().ShouldBe(6);
        second.Skipped.ShouldBeEmpty();
        second.SkippedAtStart.ShouldBeNull();
    }

    [Fact]
    public void Skips_ahead_but_never_reuses_a_number_after_a_crash()
    {
        UseAndKill(1500, Boot);

        // No Close: the process died. The next run starts after the block reserved on disk.
        using var next = SequenceStore.Open(_directory, Boot);
        var seq = next.Next();
        seq.ShouldBeGreaterThan(1500);
        seq.ShouldBeLessThanOrEqualTo(2001);
    }

    [Fact]
    public void After_a_kill_on_the_same_boot_the_unused_rest_of_the_block_is_announced_as_skipped()
    {
        UseAndKill(1500, Boot);

        using var next = SequenceStore.Open(_directory, Boot);
        var announced = new SeqRange { From = 1501, To = 2000 };
        next.SkippedAtStart.ShouldBe(announced);
        next.Skipped.ShouldBe([announced]);
        next.Uncertain.ShouldBeNull();
        next.Next().ShouldBe(2001);
    }

    [Fact]
    public void After_a_restart_of_the_machine_the_rest_of_the_block_is_not_announced_because_it_may_have_been_used()
    {
        UseAndKill(1500, Boot);

        using var next = SequenceStore.Open(_directory, Guid.NewGuid());
        next.Skipped.ShouldBeEmpty();
        next.Uncertain.ShouldNotBeNull();
        next.Uncertain!.To.ShouldBe(2000);
        next.Next().ShouldBe(2001);
    }

    [Fact]
    public void A_skipped_range_is_announced_again_after_later_restarts_until_it_falls_far_behind()
    {
        UseAndKill(10, Boot);
        using (var second = SequenceStore.Open(_directory, Boot))
        {
            second.Next().ShouldBe(1001);
            second.Close();
        }

        using (var third = SequenceStore.Open(_directory, Boot))
        {
            // The announcement may never have reached the cloud (the broker was down for that whole run).
            third.Skipped.ShouldBe([new SeqRange { From = 11, To = 1000 }]);
            third.SkippedAtStart.ShouldBeNull();
            for (var i = 0; i < SequenceStore.AnnouncedFor + 1000; i++)
            {
                third.Next();
            }

            third.Close();
        }

        using var fourth = SequenceStore.Open(_directory, Boot);
        fourth.Skipped.ShouldBeEmpty();
    }

    private static readonly Guid Boot = Guid.NewGuid();

    // Uses numbers and "dies": no Close, so only what every Next wrote is left.
    private void UseAndKill(int count, Guid boot)
    {
        using var store = SequenceStore.Open(_directory, boot);
        for (var i = 0; i < count; i++)
        {
            store.Next();
        }
    }
}
