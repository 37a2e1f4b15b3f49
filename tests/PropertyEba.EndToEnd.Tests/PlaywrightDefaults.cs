using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace PropertyEba.EndToEnd.Tests;

internal static class PlaywrightDefaults
{
    // Playwright's 5 s for an expectation is short on a 2-core CI machine that also runs the cloud, its broker and
    // chromium: a page that answers in 6 s there is slow, not broken. Every expectation still has to come true.
    [ModuleInitializer]
    internal static void Apply() => Assertions.SetDefaultExpectTimeout(15_000);
}
