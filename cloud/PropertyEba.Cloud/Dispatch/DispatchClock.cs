using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Events;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tickets;
using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Dispatch;

/// <summary>
/// Runs the time standards: every <see cref="DispatchOptions.CheckEvery"/> it asks <see cref="EscalationPolicy"/>
/// what is due for each ticket not yet on site, and applies it — a breach event, an escalation up the chain, a
/// reminder to the assignee — recording each on the ticket in the same transaction as its event. Because what is
/// due is computed from the ticket's stored times, a restart of the service loses no timer: the first check after
/// it does what came due while it was down (docs/adr, "dispatch timers").
/// </summary>
public sealed partial class DispatchClock(
    IDbContextFactory<EbaDbContext> dbFactory,
    DispatchNotifications notifications,
    AuditTrail audit,
    IOptions<DispatchOptions> options,
    TimeProvider time,
    ILogger<DispatchClock> logger) : BackgroundService
{
    private long _failures;

    public long Failures => Interlocked.Read(ref _failures);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Interlocked.Increment(ref _failures);
                LogCheckFailed(ex);
            }

            try
            {
                await Task.Delay(options.Value.CheckEvery, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Applies what is due now to every ticket not yet on site; returns how many steps it applied.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var waiting = await db.Set<Ticket>()
            .Where(t => t.Status == TicketStatus.Created || t.Status == TicketStatus.Dispatched || t.Status == TicketStatus.Accepted)
            .ToListAsync(ct);
        var applied = 0;
        var reminders = new List<Ticket>();
        foreach (var ticket in waiting)
        {
            var steps = EscalationPolicy.Due(Clock(ticket), now, options.Value);
            if (steps.Count == 0)
            {
                continue;
            }

            foreach (var step in steps)
            {
                switch (step)
                {
                    case EscalationStep.Breach breach:
                        if (breach.Standard == "accept")
                        {
                            ticket.AcceptBreached = true;
                        }
                        else
                        {
                            ticket.OnSiteBreached = true;
                        }

                        db.AddDomainEvent(new TimeStandardBreached(ticket.TenantId, ticket.Id, breach.Standard, ticket.Priority, breach.DueUtc, ticket.AssignedTo, now));
                        audit.Record(db, ticket.TenantId, "ticket.breach", $"ticket/{ticket.Number}", new { breach.Standard, breach.DueUtc, ticket.AssignedTo });
                        LogBreach(ticket.Number, breach.Standard, breach.DueUtc, ticket.AssignedTo);
                        break;
                    case EscalationStep.Escalate escalate:
                        var team = ticket.TeamId is null ? null
                            : await db.Set<Team>().SingleOrDefaultAsync(t => t.TenantId == ticket.TenantId && t.TeamId == ticket.TeamId, ct);
                        for (var level = ticket.EscalationLevel + 1; level <= escalate.Level; level++)
                        {
                            var recipient = level == 1 ? team?.Supervisor : team?.Manager;
                            if (recipient is not null)
                            {
                                db.AddDomainEvent(new TicketEscalated(ticket.TenantId, ticket.Id, level, recipient, ticket.AssignedTo, now));
                                audit.Record(db, ticket.TenantId, "ticket.escalate", $"ticket/{ticket.Number}", new { level, recipient, ticket.AssignedTo });
                            }

                            LogEscalated(ticket.Number, level, recipient);
                        }

                        ticket.EscalationLevel = escalate.Level;
                        break;
                    case EscalationStep.Remind:
                        ticket.LastNotifiedUtc = now;
                        reminders.Add(ticket);
                        break;
                }

                applied++;
            }

            await db.SaveChangesAsync(ct);
        }

        // Reminders after the commit: the notifier records its deliveries in a transaction of its own.
        foreach (var ticket in reminders)
        {
            await notifications.RemindAsync(ticket.TenantId, ticket.AssignedTo!, ticket.Id, ticket.Number, ct);
        }

        return applied;
    }

    internal static TicketClock Clock(Ticket t) =>
        new(t.Status, t.AssignedTo, t.DispatchedUtc, t.AcceptDueUtc, t.OnSiteDueUtc, t.LastNotifiedUtc, t.EscalationLevel, t.AcceptBreached, t.OnSiteBreached);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number}: {Standard} standard missed (due {DueUtc:u}), assignee {Assignee}")]
    private partial void LogBreach(string number, string standard, DateTimeOffset dueUtc, string? assignee);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Number} escalated to level {Level} ({Recipient})")]
    private partial void LogEscalated(string number, int level, string? recipient);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dispatch clock's check failed; it tries again at the next tick")]
    private partial void LogCheckFailed(Exception ex);
}
