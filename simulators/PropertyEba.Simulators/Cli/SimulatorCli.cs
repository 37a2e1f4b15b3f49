namespace PropertyEba.Simulators.Cli;

internal static class SimulatorCli
{
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) => Task.FromResult(0);
}
