using PropertyEba.Cloud.Messaging;

namespace PropertyEba.Cloud.Commands;

public static class CommandsServiceCollectionExtensions
{
    /// <summary>Commands to devices and desired configurations of edges, with the intake of the edges' command results.</summary>
    public static IServiceCollection AddCommands(this IServiceCollection services)
    {
        services.AddSingleton<CommandLog>();
        services.AddSingleton<EdgeCommands>();
        services.AddSingleton<DesiredConfigs>();
        services.AddSingleton<IInboundPublishHandler, CommandResultIntake>();
        return services;
    }
}
