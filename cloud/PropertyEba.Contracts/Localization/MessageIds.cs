namespace PropertyEba.Contracts.Localization;

/// <summary>
/// The ids of every text the system composes for a person, each a template in Messages.resx (zh-CN) and
/// Messages.en.resx. A text is only made through <see cref="MessageCatalog"/>'s methods, which fill the
/// parameters each template names; a test checks that both languages have every id and the same placeholders.
/// </summary>
public static class MessageIds
{
    /// <summary>A text stored before messages had ids (a "中文 / English" string), shown as it was: <c>{text}</c>.</summary>
    public const string LegacyText = "legacy.text";

    /// <summary>Text a person typed (a ticket they opened by hand), shown as typed in every language: <c>{text}</c>.</summary>
    public const string TypedText = "text.typed";

    /// <summary>An alarm raised by a rule: <c>{rule}</c>.</summary>
    public const string AlarmRaised = "alarm.raised";

    /// <summary>The title of the ticket an alarm opens: <c>{rule}</c> on <c>{device}</c>.</summary>
    public const string TicketForAlarm = "ticket.alarm";

    /// <summary>The subject of the test notification a person sends themselves from the phone page.</summary>
    public const string NotificationTestSubject = "notification.test.subject";

    /// <summary>Its body.</summary>
    public const string NotificationTestBody = "notification.test.body";

    /// <summary>A ticket was assigned to the reader (<c>{number}</c>, <c>{site}</c>).</summary>
    public const string TicketAssigned = "ticket.assigned";

    /// <summary>A reminder: the ticket <c>{number}</c> is still waiting to be accepted.</summary>
    public const string TicketReminder = "ticket.reminder";

    /// <summary>Escalation: nobody accepted <c>{number}</c> (assigned to <c>{assignee}</c>) in time.</summary>
    public const string TicketEscalated = "ticket.escalated";

    /// <summary>The callback of <c>{number}</c> was unsatisfied: <c>{reason}</c>.</summary>
    public const string TicketUnsatisfied = "ticket.unsatisfied";
}
