using System.Collections;
using System.Globalization;
using System.Resources;
using PropertyEba.Dashboard.Localization;

namespace PropertyEba.Cloud.Tests.Dashboard;

public sealed class DashboardTextTests
{
    private static readonly ResourceManager Resources = new("PropertyEba.Dashboard.Localization.DashboardText", typeof(DashboardText).Assembly);

    [Fact]
    public void Chinese_and_english_resources_have_the_same_keys()
    {
        var chinese = Keys(CultureInfo.InvariantCulture);
        var english = Keys(CultureInfo.GetCultureInfo("en"));
        chinese.ShouldNotBeEmpty();
        chinese.Except(english).ShouldBeEmpty("keys in DashboardText.resx (zh-CN) missing from DashboardText.en.resx");
        english.Except(chinese).ShouldBeEmpty("keys in DashboardText.en.resx missing from DashboardText.resx (zh-CN)");
    }

    [Theory]
    [InlineData("zh-CN", "是 (1)", "否 (0)")]
    [InlineData("en", "ON (1)", "OFF (0)")]
    public void State_values_are_shown_in_the_chosen_language(string culture, string on, string off)
    {
        var c = CultureInfo.GetCultureInfo(culture);
        Resources.GetString("Value_On", c).ShouldBe(on);
        Resources.GetString("Value_Off", c).ShouldBe(off);
    }

    private static HashSet<string> Keys(CultureInfo culture)
    {
        // tryParents: false, so a key missing from the English file is not filled in from the neutral one.
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false).ShouldNotBeNull($"resources for '{culture.Name}'");
        return set.Cast<DictionaryEntry>().Select(e => (string)e.Key).ToHashSet(StringComparer.Ordinal);
    }
}
