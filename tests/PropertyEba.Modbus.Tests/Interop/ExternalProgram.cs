using PropertyEba.Testing;

namespace PropertyEba.Modbus.Tests.Interop;

/// <summary>Runs an external program to completion and returns its exit code and output.</summary>
internal static class ExternalProgram
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        await using var process = ServerProcess.Start(program, args);
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        try
        {
            var exitCode = await process.WaitForExitAsync(limit);

            // The exit can overtake the last lines of the asynchronous output readers.
            await Task.Delay(50);
            return (exitCode, process.Output);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {limit.TotalSeconds:0} s; output: {process.Output}");
        }
    }

    /// <summary>The repository root, found from the test binaries by walking up to PropertyEba.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PropertyEba.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"No PropertyEba.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The "[ref]: value" lines mbpoll prints, as (reference, value) pairs.</summary>
    public static IReadOnlyList<(int Reference, int Value)> MbpollValues(string output) =>
        System.Text.RegularExpressions.Regex.Matches(output, @"^\[(\d+)\]:\s+(-?\d+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
}
