using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Playground;

public sealed record PlaygroundSessionSummary(Guid Id, string Kind, string Title, DateTimeOffset CreatedUtc, DateTimeOffset UpdatedUtc);

/// <summary>Saved playground sessions (history), per user.</summary>
public interface IPlaygroundSessionStore
{
    Task<IReadOnlyList<PlaygroundSessionSummary>> ListAsync(string userId, CancellationToken cancellationToken);

    Task<PlaygroundSessionRow?> GetAsync(string userId, Guid id, CancellationToken cancellationToken);

    /// <summary>Adds (empty id) or replaces a session; returns its id.</summary>
    Task<Guid> SaveAsync(string userId, Guid id, string kind, string title, string state, CancellationToken cancellationToken);

    Task<bool> RenameAsync(string userId, Guid id, string title, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken);
}

internal sealed class PlaygroundSessionStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IPlaygroundSessionStore
{
    public const int MaxTitleLength = 200;

    public async Task<IReadOnlyList<PlaygroundSessionSummary>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.PlaygroundSessions.AsNoTracking().Where(s => s.UserId == userId)
            .Select(s => new PlaygroundSessionSummary(s.Id, s.Kind, s.Title, s.CreatedUtc, s.UpdatedUtc))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(s => s.UpdatedUtc)];
    }

    public async Task<PlaygroundSessionRow?> GetAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.PlaygroundSessions.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId && s.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Guid> SaveAsync(string userId, Guid id, string kind, string title, string state, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var row = id == Guid.Empty ? null : await db.PlaygroundSessions.FirstOrDefaultAsync(s => s.UserId == userId && s.Id == id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new PlaygroundSessionRow { Id = id == Guid.Empty ? Guid.NewGuid() : id, UserId = userId, Kind = kind, Title = Cut(title), State = state, CreatedUtc = now, UpdatedUtc = now };
            db.PlaygroundSessions.Add(row);
        }
        else
        {
            row.Kind = kind;
            row.State = state;
            row.UpdatedUtc = now;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return row.Id;
    }

    public async Task<bool> RenameAsync(string userId, Guid id, string title, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var cut = Cut(title);
        return await db.PlaygroundSessions.Where(s => s.UserId == userId && s.Id == id)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Title, cut), cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.PlaygroundSessions.Where(s => s.UserId == userId && s.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static string Cut(string title) => title.Trim() is { Length: > 0 } t ? (t.Length > MaxTitleLength ? t[..MaxTitleLength] : t) : "Untitled session";
}
