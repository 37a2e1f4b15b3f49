using Microsoft.Extensions.Logging;

namespace PropertyEba.Edge.Remote;

/// <summary>Source-generated log messages of remote configuration and commands (event ids 2000–2099).</summary>
internal static partial class RemoteLog
{
    [LoggerMessage(2000, LogLevel.Information, "Command {CommandId}: wrote {Value} to {DeviceId}.{PointId} and read it back (issued by {IssuedBy})")]
    public static partial void CommandExecuted(ILogger logger, string commandId, string deviceId, string pointId, double value, string issuedBy);

    [LoggerMessage(2001, LogLevel.Warning, "Command {CommandId} rejected: {Reason}")]
    public static partial void CommandRejected(ILogger logger, string commandId, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "Command {CommandId} to {DeviceId}.{PointId} failed: {Error}")]
    public static partial void CommandFailed(ILogger logger, string commandId, string deviceId, string pointId, string error);

    [LoggerMessage(2003, LogLevel.Warning, "Command {CommandId}: wrote {Value} to {DeviceId}.{PointId} but read back {ReadBack}")]
    public static partial void CommandMismatch(ILogger logger, string commandId, string deviceId, string pointId, double value, double readBack);

    [LoggerMessage(2004, LogLevel.Warning, "The result of command {CommandId} could not be published (not connected); the cloud sees the command expire")]
    public static partial void CommandResultNotSent(ILogger logger, string commandId);

    [LoggerMessage(2005, LogLevel.Warning, "Remote messages arrive faster than they are handled: one on {Channel} was dropped ({Dropped} so far)")]
    public static partial void RemoteMessageDropped(ILogger logger, string channel, long dropped);

    [LoggerMessage(2010, LogLevel.Information, "Applied desired configuration {Version}: {DeviceCount} devices; the offline buffer and sequence are kept")]
    public static partial void ConfigApplied(ILogger logger, string version, int deviceCount);

    [LoggerMessage(2011, LogLevel.Warning, "Rejected desired configuration {Version}; still running {Running}: {Problems}")]
    public static partial void ConfigRejected(ILogger logger, string version, string running, string problems);

    [LoggerMessage(2012, LogLevel.Debug, "Desired configuration {Version} is already applied")]
    public static partial void ConfigUnchanged(ILogger logger, string version);

    [LoggerMessage(2013, LogLevel.Warning, "Could not subscribe to {Filter}: {Reason}; remote configuration and commands do not reach this edge")]
    public static partial void SubscribeFailed(ILogger logger, string filter, string reason);

    [LoggerMessage(2014, LogLevel.Warning, "Could not keep the applied configuration in {Path} ({Error}); after a restart the local configuration runs until the broker sends the desired one again")]
    public static partial void ConfigNotSaved(ILogger logger, string path, string error);

    [LoggerMessage(2015, LogLevel.Information, "Starting with the desired configuration {Version} applied before the last stop (from {Path})")]
    public static partial void ConfigRestored(ILogger logger, string version, string path);
}
