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
        var first = SequenceStore.Open(_directory);
        Enumerable.Range(0, 5).Select(_ => first.Next()).ShouldBe([1, 2, 3, 4, 5]);
        first.Close();

        SequenceStore.Open(_directory).Next().ShouldBe(6);
    }

    [Fact]
    public void Skips_ahead_but_never_reuses_a_number_after_a_crash()
    {
        var crashed = SequenceStore.Open(_directory);
        for (var i = 0; i < 1500; i++)
        {
            crashed.Next();
        }

        // No Close: the process died. The next run starts after the block reserved on disk.
        var next = SequenceStore.Open(_directory).Next();
        next.ShouldBeGreaterThan(1500);
        next.ShouldBeLessThanOrEqualTo(2001);
    }
}
