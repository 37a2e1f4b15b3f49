using System.Collections.Concurrent;
using PropertyEba.Contracts.Api;
using PropertyEba.Contracts.Mqtt;

namespace PropertyEba.Cloud.Commands;

/// <summary>
/// The recent commands of each tenant and their outcome, so that the engineer who sent one sees what became of it.
/// In memory and bounded (<see cref="PerTenant"/> per tenant, oldest forgotten first): the audit log is the lasting
/// record of every command and result; this only answers "what happened to the one I just sent".
/// </summary>
public sealed class CommandLog(TimeProvider time)
{
    /// <summary>How long after its expiry a command without result is reported expired (the result may be on its way).</summary>
    public static readonly TimeSpan ResultGrace = TimeSpan.FromSeconds(5);

    public const int PerTenant = 500;

    private readonly ConcurrentDictionary<(string Tenant, string CommandId), CommandDto> _commands = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _order = new(StringComparer.Ordinal);

    public void Add(string tenantId, CommandDto command)
    {
        _commands[(tenantId, command.CommandId)] = command;
        var order = _order.GetOrAdd(tenantId, _ => new ConcurrentQueue<string>());
        order.Enqueue(command.CommandId);
        while (order.Count > PerTenant && order.TryDequeue(out var oldest))
        {
            _commands.TryRemove((tenantId, oldest), out _);
        }
    }

    public CommandDto? Get(string tenantId, string commandId) =>
        _commands.TryGetValue((tenantId, commandId), out var c) ? WithExpiry(c) : null;

    public IReadOnlyList<CommandDto> OfDevice(string tenantId, string siteId, string deviceId) =>
        [.. _commands.Where(p => p.Key.Tenant == tenantId && p.Value.SiteId == siteId && p.Value.DeviceId == deviceId)
            .Select(p => WithExpiry(p.Value)).OrderByDescending(c => c.IssuedUtc)];

    /// <summary>Records an edge's result; null when the command is unknown (issued before a restart, or by no one) or is not that edge's.</summary>
    public CommandDto? Complete(TopicAddress from, EdgeCommandResult result)
    {
        var key = (from.Tenant, result.CommandId);
        while (_commands.TryGetValue(key, out var current))
        {
            if (current.SiteId != from.Site || current.EdgeId != from.Edge)
            {
                return null;
            }

            var completed = current with
            {
                State = result.Outcome switch
                {
                    CommandOutcome.Ok => CommandState.Ok,
                    CommandOutcome.Rejected => CommandState.Rejected,
                    CommandOutcome.ReadBackMismatch => CommandState.ReadBackMismatch,
                    _ => CommandState.Failed,
                },
                Reason = result.Reason,
                ReadBack = result.ReadBack,
                ModbusException = result.ModbusException,
                CompletedUtc = time.GetUtcNow(),
            };
            if (_commands.TryUpdate(key, completed, current))
            {
                return completed;
            }
        }

        return null;
    }

    /// <summary>Marks a command the broker would not take as failed.</summary>
    public CommandDto Fail(string tenantId, CommandDto command, string reason)
    {
        var failed = command with { State = CommandState.Failed, Reason = reason, CompletedUtc = time.GetUtcNow() };
        _commands[(tenantId, command.CommandId)] = failed;
        return failed;
    }

    private CommandDto WithExpiry(CommandDto c) =>
        c.State == CommandState.Pending && time.GetUtcNow() > c.ExpiresUtc + ResultGrace
            ? c with { State = CommandState.Expired, Reason = "no result from the edge before the command expired (edge offline, or the device did not answer in time)" }
            : c;
}
