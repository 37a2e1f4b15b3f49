using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PropertyEba.Cloud.Audit;
using PropertyEba.Cloud.Persistence;
using PropertyEba.Cloud.Tenancy;

namespace PropertyEba.Cloud.Tickets;

/// <summary>
/// Photos of a repair, as files in <c>{DataDirectory}/ticket-photos/{tenant}/{ticket}/</c>. The type is decided by the
/// file's first bytes, never by the name or the header the browser sent, and the stored name is generated, so an
/// upload cannot choose where it lands or what it is served as.
/// </summary>
public sealed partial class TicketPhotos(
    IDbContextFactory<EbaDbContext> dbFactory,
    IOptions<PersistenceOptions> persistence,
    IOptions<TicketOptions> options,
    AuditTrail audit,
    CallerAccessor callers,
    TimeProvider time,
    ILogger<TicketPhotos> logger)
{
    public static readonly IReadOnlyList<string> AllowedTypes = ["image/jpeg", "image/png", "image/webp"];

    private string Root => Path.Combine(Path.GetFullPath(persistence.Value.DataDirectory), "ticket-photos");

    /// <summary>Stores a photo; the error says what is wrong (too big, not a photo), null/null when the ticket is unknown.</summary>
    public async Task<(TicketPhoto? Photo, string? Error)> AddAsync(string tenantId, long ticketId, Stream content, long length, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxPhotoBytes;
        if (length <= 0 || length > max)
        {
            LogRefused(tenantId, ticketId, "size", length);
            return (null, $"A photo must be 1 to {max} bytes; this one is {length}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await VisibleAsync(db, tenantId, ticketId, cancellationToken))
        {
            return (null, null);
        }

        // Read at most one byte past the limit: a body without (or lying about) its length cannot fill the memory.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= max && (read = await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, max + 1 - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        if (bytes.Length > max)
        {
            LogRefused(tenantId, ticketId, "size", bytes.Length);
            return (null, $"A photo must be 1 to {max} bytes; this one is longer.");
        }

        if (Sniff(bytes) is not { } type)
        {
            LogRefused(tenantId, ticketId, "type", bytes.Length);
            return (null, $"Only photos are accepted: {string.Join(", ", AllowedTypes)} (decided by the file's content).");
        }

        var storedName = $"{Guid.NewGuid():N}{type.Extension}";
        var folder = Folder(tenantId, ticketId);
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, storedName), bytes, cancellationToken);

        var photo = new TicketPhoto
        {
            TicketId = ticketId, TenantId = tenantId, StoredName = storedName, ContentType = type.ContentType, Length = bytes.Length,
            By = callers.Current is { IsAuthenticated: true } c ? c.UserName : AuditTrail.SystemUser, AtUtc = time.GetUtcNow(),
        };
        db.Add(photo);
        audit.Record(db, tenantId, "ticket.photo", $"ticket/{ticketId}", new { storedName, type.ContentType, length = bytes.Length });
        await db.SaveChangesAsync(cancellationToken);
        return (photo, null);
    }

    public async Task<IReadOnlyList<TicketPhoto>> ListAsync(string tenantId, long ticketId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await VisibleAsync(db, tenantId, ticketId, cancellationToken))
        {
            return [];
        }

        return await db.Set<TicketPhoto>().Where(p => p.TenantId == tenantId && p.TicketId == ticketId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The photo's file and type, only for the tenant that owns it; null otherwise.</summary>
    public async Task<(string Path, string ContentType)?> OpenAsync(string tenantId, long ticketId, long photoId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await VisibleAsync(db, tenantId, ticketId, cancellationToken))
        {
            return null;
        }

        var photo = await db.Set<TicketPhoto>().SingleOrDefaultAsync(p => p.TenantId == tenantId && p.TicketId == ticketId && p.Id == photoId, cancellationToken);
        if (photo is null)
        {
            return null;
        }

        var path = Path.Combine(Folder(tenantId, ticketId), photo.StoredName);
        return File.Exists(path) ? (path, photo.ContentType) : null;
    }

    // Photos carry no site: the ticket's query filters (tenant and the caller's sites) decide who sees them.
    private static Task<bool> VisibleAsync(EbaDbContext db, string tenantId, long ticketId, CancellationToken cancellationToken) =>
        db.Set<Ticket>().AnyAsync(t => t.TenantId == tenantId && t.Id == ticketId, cancellationToken);

    // The tenant id is validated by the route group (1..64 of [a-z0-9-]), so it is safe as a folder name.
    private string Folder(string tenantId, long ticketId) => Path.Combine(Root, tenantId, ticketId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal static (string ContentType, string Extension)? Sniff(ReadOnlySpan<byte> b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? ("image/jpeg", ".jpg")
        : b.Length >= 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? ("image/png", ".png")
        : b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8) ? ("image/webp", ".webp")
        : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Photo for ticket {TicketId} of {TenantId} refused ({Reason}, {Length} bytes)")]
    private partial void LogRefused(string tenantId, long ticketId, string reason, long length);
}
