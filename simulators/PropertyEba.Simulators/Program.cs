using PropertyEba.Simulators.Cli;

return await SimulatorCli.RunAsync(args, Console.Out, CancellationToken.None);
