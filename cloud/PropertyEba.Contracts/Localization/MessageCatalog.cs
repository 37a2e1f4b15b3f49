using System.Collections.Frozen;
using System.Globalization;
using System.Resources;
using System.Text;

namespace PropertyEba.Contracts.Localization;

/// <summary>
/// The one catalogue of message templates (Messages.resx in zh-CN, the neutral language, and Messages.en.resx), the
/// texts made from it, and their rendering in a reader's culture. Plain <see cref="ResourceManager"/>, so the cloud,
/// the dashboard and any other client render the same way without a host.
/// </summary>
public static class MessageCatalog
{
    /// <summary>The resources behind the catalogue.</summary>
    public static ResourceManager Resources { get; } = new("PropertyEba.Contracts.Localization.Messages", typeof(MessageCatalog).Assembly);

    /// <summary>Every message id and the parameters its template uses.</summary>
    public static FrozenDictionary<string, string[]> Parameters { get; } = new Dictionary<string, string[]>
    {
        [MessageIds.LegacyText] = ["text"],
        [MessageIds.TypedText] = ["text"],
        [MessageIds.AlarmRaised] = ["rule"],
        [MessageIds.TicketForAlarm] = ["rule", "device"],
        [MessageIds.NotificationTestSubject] = [],
        [MessageIds.NotificationTestBody] = [],
        [MessageIds.TicketAssigned] = ["number", "site"],
        [MessageIds.TicketReminder] = ["number"],
        [MessageIds.TicketEscalated] = ["number", "assignee"],
        [MessageIds.TicketUnsatisfied] = ["number", "reason"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The test notification's subject and body (no parameters).</summary>
    public static (LocalizedText Subject, LocalizedText Body) NotificationTest() =>
        (Make(MessageIds.NotificationTestSubject), Make(MessageIds.NotificationTestBody));

    /// <summary>A dispatch notification's subject (<paramref name="id"/> one of the ticket.* ids) with plain parameters.</summary>
    public static LocalizedText Ticket(string id, params (string Parameter, string Value)[] args) =>
        Make(id, [.. args.Select(a => (a.Parameter, new LocalizedName(a.Value, null)))]);

    /// <summary>A text stored before messages had ids, kept readable as it was.</summary>
    public static LocalizedText Legacy(string text) => new(MessageIds.LegacyText, new Dictionary<string, string> { ["text"] = text });

    /// <summary>Text a person typed, kept as typed: it has no other language.</summary>
    public static LocalizedText Typed(string text) => new(MessageIds.TypedText, new Dictionary<string, string> { ["text"] = text });

    /// <summary>The message of an alarm raised by the rule named <paramref name="rule"/>.</summary>
    public static LocalizedText AlarmRaised(LocalizedName rule) => Make(MessageIds.AlarmRaised, ("rule", rule));

    /// <summary>The title of the ticket an alarm of <paramref name="rule"/> opens for <paramref name="device"/>.</summary>
    public static LocalizedText TicketForAlarm(LocalizedName rule, LocalizedName device) =>
        Make(MessageIds.TicketForAlarm, ("rule", rule), ("device", device));

    /// <summary>
    /// The text in <paramref name="culture"/> (default: the current UI culture): its template with each
    /// <c>{parameter}</c> replaced by the parameter's variant for that language, or its plain value. An id the
    /// catalogue does not know (a newer sender) shows as the id with its plain parameters, never as an error.
    /// </summary>
    public static string Render(LocalizedText text, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        culture ??= CultureInfo.CurrentUICulture;
        var template = Resources.GetString(text.Id, culture);
        if (template is null)
        {
            return text.Args.Count == 0 ? text.Id : $"{text.Id} ({string.Join(", ", text.Args.Where(a => !a.Key.Contains(LocalizedText.VariantSeparator)).Select(a => $"{a.Key}={a.Value}"))})";
        }

        // Names in the language of the template found: English for an English culture, else the neutral
        // resources, which are Chinese (as the dashboard decides, so a page never mixes the two).
        var language = culture.TwoLetterISOLanguageName == "en" ? "en" : "zh";
        var result = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                result.Append(template, i, template.Length - i);
                break;
            }

            result.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            result.Append(text.Arg(name, culture.Name, language) ?? "");
            i = close + 1;
        }

        return result.ToString();
    }

    /// <summary>The <c>{placeholders}</c> a template names, in order.</summary>
    public static IReadOnlyList<string> PlaceholdersOf(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var names = new List<string>();
        var i = 0;
        while (template.IndexOf('{', i) is var open and >= 0 && template.IndexOf('}', open + 1) is var close and >= 0)
        {
            names.Add(template[(open + 1)..close]);
            i = close + 1;
        }

        return names;
    }

    private static LocalizedText Make(string id, params (string Parameter, LocalizedName Value)[] names)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (parameter, value) in names)
        {
            value.AddTo(args, parameter);
        }

        return new LocalizedText(id, args);
    }
}
