using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PropertyEba.Contracts.Localization;

namespace PropertyEba.Cloud.Persistence;

/// <summary>
/// Stores a <see cref="LocalizedText"/> as one JSON column, <c>{"id":"alarm.raised","args":{"rule":"…","rule@zh":"…"}}</c>:
/// the id and parameters, never a rendered string, so every reader gets their own language. A value that is not
/// such JSON (a row written before ids, which the migration should have converted) reads as
/// <see cref="MessageIds.LegacyText"/> with the stored text, so it still shows.
/// </summary>
internal sealed class LocalizedTextConverter() : ValueConverter<LocalizedText, string>(text => Write(text), json => Read(json))
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static string Write(LocalizedText text) => JsonSerializer.Serialize(new Stored(text.Id, text.Args), Json);

    private static LocalizedText Read(string json)
    {
        if (json.StartsWith('{'))
        {
            try
            {
                if (JsonSerializer.Deserialize<Stored>(json, Json) is { Id: { Length: > 0 } id } stored)
                {
                    return new LocalizedText(id, stored.Args ?? new Dictionary<string, string>());
                }
            }
            catch (JsonException)
            {
                // Not ours: shown as the text it is, below.
            }
        }

        return MessageCatalog.Legacy(json);
    }

    private sealed record Stored(string Id, IReadOnlyDictionary<string, string>? Args);
}
