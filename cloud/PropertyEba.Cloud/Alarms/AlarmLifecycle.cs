using PropertyEba.Contracts.Api;

namespace PropertyEba.Cloud.Alarms;

/// <summary>
/// The alarm lifecycle of ISA-18.2, pure: active-unacknowledged (<see cref="AlarmState.Active"/>), active-acknowledged
/// (<see cref="AlarmState.Acknowledged"/>), cleared-unacknowledged (<see cref="AlarmState.ClearedUnacknowledged"/>: a
/// latched alarm whose condition has gone, waiting for its reset) and normal (<see cref="AlarmState.Cleared"/>).
/// Shelving, out of service and suppression are not states of their own here but marks on the alarm that stop it being
/// announced (<see cref="Alarm.IsAnnounced"/>).
/// </summary>
public static class AlarmLifecycle
{
    /// <summary>Longest shelving: a shelved alarm always comes back, within a day.</summary>
    public static readonly TimeSpan MaxShelving = TimeSpan.FromHours(24);

    /// <summary>The state once the condition no longer holds (past its off-delay).</summary>
    public static AlarmState OnConditionCleared(bool latched) => latched ? AlarmState.ClearedUnacknowledged : AlarmState.Cleared;

    /// <summary>Acknowledging: an active alarm becomes active-acknowledged; a latched, cleared one still waits for its reset.</summary>
    public static AlarmState OnAcknowledged(AlarmState state) => state == AlarmState.Active ? AlarmState.Acknowledged : state;

    /// <summary>Re-alarm: an acknowledged alarm whose condition still holds after the rule's re-alarm time is unacknowledged again.</summary>
    public static AlarmState OnReAlarm(AlarmState state) => state == AlarmState.Acknowledged ? AlarmState.Active : state;

    /// <summary>Resetting a latched alarm: allowed once its condition has cleared; else why not.</summary>
    public static (AlarmState? Next, string? Error) Reset(AlarmState state, bool latched) => (state, latched) switch
    {
        (AlarmState.ClearedUnacknowledged, _) => (AlarmState.Cleared, null),
        (_, false) => (null, "Only a latched alarm is reset; this one clears on its own."),
        (AlarmState.Cleared, true) => (null, "The alarm has already been reset."),
        _ => (null, "The alarm's condition still holds; it can be reset once it has cleared."),
    };

    /// <summary>Shelving for <paramref name="duration"/> with a reason: allowed for an alarm that is not back to normal.</summary>
    public static string? CannotShelve(AlarmState state, TimeSpan duration, string? reason) =>
        state == AlarmState.Cleared ? "The alarm is back to normal; there is nothing to shelve."
        : duration <= TimeSpan.Zero || duration > MaxShelving ? $"Shelving lasts 1 minute to {MaxShelving.TotalMinutes:0} minutes; asked for {duration.TotalMinutes:0}."
        : string.IsNullOrWhiteSpace(reason) ? "Shelving needs a reason (why the alarm may be hidden for a while)."
        : null;
}
