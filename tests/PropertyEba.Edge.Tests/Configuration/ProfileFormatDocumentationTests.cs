using System.Text.Json;
using PropertyEba.Modbus;
using PropertyEba.Modbus.Codecs;
using PropertyEba.Modbus.Profiles;

namespace PropertyEba.Edge.Tests.Configuration;

/// <summary>docs/profiles.md and the JSON schema list every field and every allowed value the reader accepts, so they cannot drift.</summary>
public sealed class ProfileFormatDocumentationTests
{
    private static readonly string Docs = Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "docs");
    private static readonly string Page = File.ReadAllText(Path.Combine(Docs, "profiles.md"));
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Docs, "schemas", "device-profile.schema.json"))).RootElement;
    private static readonly JsonElement PointSchema = Schema.GetProperty("$defs").GetProperty("point");

    // Built once: the library registers a schema by its $id, globally, and refuses to register it twice.
    private static readonly Lazy<Json.Schema.JsonSchema> JsonSchemaOnce = new(() => Json.Schema.JsonSchema.FromText(File.ReadAllText(Path.Combine(Docs, "schemas", "device-profile.schema.json"))));

    private static List<string> SchemaEnum(JsonElement properties, string field) =>
        [.. properties.GetProperty("properties").GetProperty(field).GetProperty("enum").EnumerateArray().Select(e => e.ToString())];

    public static TheoryData<string, string[]> Vocabularies() => new()
    {
        { "table", [.. ProfileVocabulary.Tables.Select(t => t.Json)] },
        { "kind", [.. ProfileVocabulary.Kinds.Select(t => t.Json)] },
        { "type", [.. ProfileVocabulary.Types.Select(t => t.Json)] },
        { "order", [.. ProfileVocabulary.Orders.Select(t => t.Json)] },
        { "criticality", [.. ProfileVocabulary.Criticalities.Select(t => t.Json)] },
        { "byteOrder", [.. ProfileVocabulary.Endianness] },
        { "wordOrder", [.. ProfileVocabulary.Endianness] },
        { "addressBase", [.. ProfileVocabulary.AddressBases.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))] },
    };

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Every_allowed_value_of_a_point_field_is_in_the_schema_and_on_the_page(string field, string[] values)
    {
        SchemaEnum(PointSchema, field).ShouldBe(values, ignoreOrder: true);
        var row = Page.Split('\n').Single(l => l.StartsWith($"| `{field}` |", StringComparison.Ordinal));
        foreach (var value in values)
        {
            row.ShouldContain($"`{value}`", customMessage: $"docs/profiles.md, row {field}");
        }
    }

    [Fact]
    public void Every_system_is_in_the_schema_and_on_the_page()
    {
        SchemaEnum(Schema, "system").ShouldBe(ProfileVocabulary.Systems, ignoreOrder: true);
        var row = Page.Split('\n').Single(l => l.StartsWith("| `system` |", StringComparison.Ordinal));
        ProfileVocabulary.Systems.ShouldAllBe(s => row.Contains($"`{s}`"));
    }

    [Fact]
    public void Every_enum_value_has_a_spelling_in_the_vocabulary()
    {
        Enum.GetValues<ModbusTable>().ShouldBe(ProfileVocabulary.Tables.Select(t => t.Value), ignoreOrder: true);
        Enum.GetValues<PointKind>().ShouldBe(ProfileVocabulary.Kinds.Select(t => t.Value), ignoreOrder: true);
        Enum.GetValues<ModbusDataType>().ShouldBe(ProfileVocabulary.Types.Select(t => t.Value), ignoreOrder: true);
        Enum.GetValues<RegisterOrder>().ShouldBe(ProfileVocabulary.Orders.Select(t => t.Value), ignoreOrder: true);
        Enum.GetValues<PointCriticality>().ShouldBe(ProfileVocabulary.Criticalities.Select(t => t.Value), ignoreOrder: true);
        ProfileVocabulary.Types.ShouldAllBe(t => t.Json == t.Value.ToString());
        ProfileVocabulary.Orders.ShouldAllBe(t => t.Json == t.Value.ToString());
    }

    [Fact]
    public void The_json_spellings_match_the_serializer_attributes_the_cloud_uses()
    {
        foreach (var (json, value) in ProfileVocabulary.Tables)
        {
            JsonSerializer.Serialize(value).ShouldBe($"\"{json}\"");
        }

        foreach (var (json, value) in ProfileVocabulary.Kinds)
        {
            JsonSerializer.Serialize(value).ShouldBe($"\"{json}\"");
        }

        foreach (var (json, value) in ProfileVocabulary.Criticalities)
        {
            JsonSerializer.Serialize(value).ShouldBe($"\"{json}\"");
        }
    }

    [Fact]
    public void Every_field_the_reader_accepts_is_in_the_schema_and_on_the_page()
    {
        PointSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(DeviceProfileReader.PointFields, ignoreOrder: true);
        Schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(DeviceProfileReader.RootFields, ignoreOrder: true);
        foreach (var field in DeviceProfileReader.PointFields.Concat(DeviceProfileReader.RootFields))
        {
            Page.ShouldContain($"`{field}`", customMessage: $"docs/profiles.md documents '{field}'");
        }
    }

    [Fact]
    public void Shipped_profiles_are_valid_against_the_json_schema()
    {
        var schema = JsonSchemaOnce.Value;
        var files = Directory.GetFiles(Path.Combine(PropertyEba.Testing.RepositoryRoot.Path, "edge", "profiles"), "*.json");
        files.Length.ShouldBeGreaterThanOrEqualTo(15);
        foreach (var file in files)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            schema.Evaluate(doc.RootElement).IsValid.ShouldBeTrue(file);
        }
    }

    [Theory]
    [InlineData("""{ "model": "m", "name": "n", "system": "gas", "points": [ { "id": "x", "name": "x", "kind": "analog", "table": "input", "address": 0 } ] }""")]
    [InlineData("""{ "model": "m", "name": "n", "system": "power", "points": [ { "id": "x", "name": "x", "kind": "analog", "table": "inputs", "address": 0 } ] }""")]
    [InlineData("""{ "model": "m", "name": "n", "system": "power", "points": [ { "id": "x", "name": "x", "kind": "analog", "table": "input", "address": 0, "criticality": "urgent" } ] }""")]
    [InlineData("""{ "model": "m", "name": "n", "system": "power", "points": [ { "id": "x", "name": "x", "kind": "analog", "table": "input", "address": 0, "order": "CDAB", "wordOrder": "little" } ] }""")]
    public void The_schema_refuses_what_the_reader_refuses(string json)
    {
        var schema = JsonSchemaOnce.Value;
        using var doc = JsonDocument.Parse(json);

        schema.Evaluate(doc.RootElement).IsValid.ShouldBeFalse();
        DeviceProfileReader.Read(json, "x.json").Profile.ShouldBeNull();
    }
}
