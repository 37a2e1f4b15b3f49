using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using PropertyEba.Contracts.Localization;
using PropertyEba.Testing;

namespace PropertyEba.Cloud.Tests.Localization;

/// <summary>The one catalogue of texts a person reads: every id in both languages, with the parameters the code fills.</summary>
public sealed partial class MessageCatalogTests
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    private static readonly string[] AllIds = [.. typeof(MessageIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!)];

    public static TheoryData<string> Ids() => [.. AllIds];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_message_id_has_a_template_in_Chinese_and_in_English_naming_exactly_its_parameters(string id)
    {
        var parameters = MessageCatalog.Parameters.GetValueOrDefault(id).ShouldNotBeNull($"MessageCatalog.Parameters has no entry for '{id}'");
        foreach (var culture in new[] { Chinese, English })
        {
            // Only the resource set of that language itself, so an id missing from Messages.en.resx is not hidden by the Chinese fallback.
            var own = MessageCatalog.Resources.GetResourceSet(culture.Name == "en" ? English : CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)
                .ShouldNotBeNull($"no {culture.Name} resources");
            var template = own.GetString(id).ShouldNotBeNull($"'{id}' has no {culture.Name} template");
            MessageCatalog.PlaceholdersOf(template).Distinct().Order().ShouldBe(parameters.Order(), $"the {culture.Name} template of '{id}' is \"{template}\"");
        }
    }

    [Fact]
    public void Catalogue_declares_parameters_only_for_ids_that_exist()
    {
        MessageCatalog.Parameters.Keys.Order().ShouldBe(AllIds.Order());
    }

    [Fact]
    public void Code_makes_texts_only_from_the_catalogue_ids()
    {
        // A `new LocalizedText("some.id", ...)` outside the catalogue would be an id no test checks: only MessageIds go in.
        var root = RepositoryRoot.Path;
        var offenders = new[] { "cloud", "dashboard", "edge" }
            .Select(d => Path.Combine(root, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => NewText().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(root, f)}: {m.Value}"))
            .Where(hit => !hit.Contains("(MessageIds.", StringComparison.Ordinal) && !hit.Contains("(id,", StringComparison.Ordinal))
            .ToList();
        offenders.ShouldBeEmpty("texts must be made from MessageIds through MessageCatalog");
    }

    [Fact]
    public void Stored_text_is_rendered_in_the_reader_s_language_with_names_in_that_language()
    {
        var title = MessageCatalog.TicketForAlarm(new LocalizedName("Pump 1 VFD fault", "1#泵变频器故障"), new LocalizedName("Domestic pump set", "生活泵组"));

        MessageCatalog.Render(title, Chinese).ShouldBe("生活泵组：1#泵变频器故障");
        MessageCatalog.Render(title, English).ShouldBe("Pump 1 VFD fault — Domestic pump set");
        MessageCatalog.Render(title, CultureInfo.GetCultureInfo("en-GB")).ShouldBe("Pump 1 VFD fault — Domestic pump set");
        MessageCatalog.Render(title, CultureInfo.InvariantCulture).ShouldBe("生活泵组：1#泵变频器故障", "without a culture the default language, Chinese");
        MessageCatalog.Render(title, CultureInfo.GetCultureInfo("fr")).ShouldBe("生活泵组：1#泵变频器故障", "a language the catalogue lacks reads the default template with its names, never a mix");
    }

    [Fact]
    public void Name_without_a_Chinese_variant_shows_as_it_is_in_Chinese()
    {
        var title = MessageCatalog.TicketForAlarm(new LocalizedName("Edge gateway offline", "边缘网关离线"), new LocalizedName("edge-7", null));

        MessageCatalog.Render(title, Chinese).ShouldBe("edge-7：边缘网关离线");
    }

    [Fact]
    public void Old_text_and_typed_text_show_as_they_were_in_every_language()
    {
        foreach (var text in new[] { MessageCatalog.Legacy("设备通讯中断 / Device communication lost"), MessageCatalog.Typed("Pump noise {loud}") })
        {
            MessageCatalog.Render(text, Chinese).ShouldBe(text.Args["text"]);
            MessageCatalog.Render(text, English).ShouldBe(text.Args["text"]);
        }
    }

    [Fact]
    public void Unknown_id_from_a_newer_sender_shows_its_id_and_parameters_instead_of_failing()
    {
        var text = new LocalizedText("alarm.future", new Dictionary<string, string> { ["rule"] = "Fan", ["rule@zh"] = "风机" });

        MessageCatalog.Render(text, English).ShouldBe("alarm.future (rule=Fan)");
    }

    [GeneratedRegex(@"new\s+LocalizedText\s*\([^;]*")]
    private static partial Regex NewText();
}
