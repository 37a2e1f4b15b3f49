using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PropertyEba.Cloud.Persistence;

/// <summary>Stores a DateTimeOffset as UTC ticks so SQLite can sort and compare it.</summary>
internal sealed class DateTimeOffsetToUtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
