namespace PropertyEba.Contracts.Localization;

/// <summary>
/// A text a person reads, kept as a message id of the <see cref="MessageCatalog"/> and its parameters, so every
/// reader (dashboard, phone, notification) renders it in their own language instead of a stored "中文 / English" string.
/// </summary>
/// <param name="Id">One of <see cref="MessageIds"/>, e.g. <c>alarm.raised</c>.</param>
/// <param name="Args">
/// The template's parameters by name. A parameter that is itself a name (a rule, a device) carries its variants:
/// <c>device</c> holds the name in English (or the only name there is) and <c>device@zh</c> the Chinese one; see
/// <see cref="LocalizedName"/>.
/// </param>
public sealed record LocalizedText(string Id, IReadOnlyDictionary<string, string> Args)
{
    /// <summary>The separator between a parameter's name and the language of its variant: <c>device@zh</c>.</summary>
    public const char VariantSeparator = '@';

    /// <summary>
    /// The parameter's variant for the first of <paramref name="languages"/> (culture names or two-letter languages)
    /// that it has, or else its plain value; null if the text has no such parameter.
    /// </summary>
    public string? Arg(string name, params ReadOnlySpan<string> languages)
    {
        foreach (var language in languages)
        {
            if (Args.TryGetValue(name + VariantSeparator + language, out var variant))
            {
                return variant;
            }
        }

        return Args.TryGetValue(name, out var value) ? value : null;
    }

    /// <inheritdoc/>
    public bool Equals(LocalizedText? other) =>
        other is not null && Id == other.Id && Args.Count == other.Args.Count
        && Args.All(a => other.Args.TryGetValue(a.Key, out var v) && v == a.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Args.Count);
}

/// <summary>A name kept in both languages, e.g. a device's <c>Name</c> and <c>NameZh</c>; a parameter of a <see cref="LocalizedText"/>.</summary>
/// <param name="Name">The name in English, or the only name there is.</param>
/// <param name="NameZh">The name in Chinese, if any.</param>
public readonly record struct LocalizedName(string Name, string? NameZh)
{
    /// <summary>Adds this name as parameter <paramref name="parameter"/> (and its Chinese variant) to <paramref name="args"/>.</summary>
    public void AddTo(IDictionary<string, string> args, string parameter)
    {
        args[parameter] = Name;
        if (!string.IsNullOrEmpty(NameZh))
        {
            args[parameter + LocalizedText.VariantSeparator + "zh"] = NameZh;
        }
    }
}
