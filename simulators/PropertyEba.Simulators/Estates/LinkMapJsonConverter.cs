using System.Text.Json;
using System.Text.Json.Serialization;

namespace PropertyEba.Simulators.Estates;

/// <summary>Reads <c>"links": { "fills": "tank-1", "loads": ["pumps-1", "fan-1"] }</c>: each value a device id or a list of them.</summary>
internal sealed class LinkMapJsonConverter : JsonConverter<IReadOnlyDictionary<string, IReadOnlyList<string>>>
{
    public override IReadOnlyDictionary<string, IReadOnlyList<string>> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("'links' must be an object: link name -> device id or list of device ids.");
        }

        var links = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                links[name] = [reader.GetString()!];
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                var ids = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ids.Add(reader.TokenType == JsonTokenType.String
                        ? reader.GetString()!
                        : throw new JsonException($"link '{name}' lists something that is not a device id."));
                }

                links[name] = ids;
            }
            else
            {
                throw new JsonException($"link '{name}' must be a device id or a list of device ids.");
            }
        }

        return links;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, IReadOnlyList<string>> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, ids) in value)
        {
            writer.WriteStartArray(name);
            foreach (var id in ids)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
