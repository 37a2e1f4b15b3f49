using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PropertyEba.Cloud.Persistence;

/// <summary>Writes a DateTimeOffset as the same instant at offset zero, the only one PostgreSQL's timestamptz takes through Npgsql.</summary>
internal sealed class DateTimeOffsetToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    v => v.ToUniversalTime(),
    v => v);
