using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Access;

/// <summary>The people who signed in, their assigned roles and their sign-in sessions.</summary>
public interface IUserDirectoryStore
{
    Task<PortalUserRow?> GetAsync(string userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PortalUserRow>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Records a sign-in (creating the user the first time) and starts a session; returns the session's id.</summary>
    Task<Guid> RecordSignInAsync(string userId, string? email, string? displayName, string? providerRole, CancellationToken cancellationToken, bool emailVerified = false);

    /// <summary>Sets (or, with null, removes) the role assigned in the portal. False when the user is unknown.</summary>
    Task<bool> AssignRoleAsync(string userId, string? role, string changedBy, CancellationToken cancellationToken);

    Task EndSessionAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>True while the session exists and has not been ended by a sign-out.</summary>
    Task<bool> IsSessionActiveAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Gives everything the single-user mode kept for <paramref name="fromUserId"/> (connections, playground history,
    /// preferences) to <paramref name="toUserId"/>. A connection whose name the new owner already uses gets " (local)"
    /// appended; a preference the new owner already set keeps the owner's value. Returns how many rows moved.
    /// </summary>
    Task<int> ReassignDataAsync(string fromUserId, string toUserId, CancellationToken cancellationToken);
}

internal sealed class UserDirectoryStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IUserDirectoryStore
{
    public async Task<PortalUserRow?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.PortalUsers.AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PortalUserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.PortalUsers.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(u => u.DisplayName ?? u.Email ?? u.UserId, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<Guid> RecordSignInAsync(string userId, string? email, string? displayName, string? providerRole, CancellationToken cancellationToken, bool emailVerified = false)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var user = await db.PortalUsers.FirstOrDefaultAsync(u => u.UserId == userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            user = new PortalUserRow { UserId = userId, FirstSeenUtc = now };
            db.PortalUsers.Add(user);
        }

        user.Email = Trim(email, 320);
        user.EmailVerified = emailVerified && email is not null;
        user.DisplayName = Trim(displayName, 200);
        user.ProviderRole = providerRole;
        user.LastSignInUtc = now;
        var session = new UserSessionRow { Id = Guid.NewGuid(), UserId = userId, CreatedUtc = now };
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return session.Id;
    }

    public async Task<bool> AssignRoleAsync(string userId, string? role, string changedBy, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var user = await db.PortalUsers.FirstOrDefaultAsync(u => u.UserId == userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return false;
        }

        user.AssignedRole = role;
        user.RoleChangedUtc = time.GetUtcNow();
        user.RoleChangedBy = Trim(changedBy, 200);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task EndSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var session = await db.UserSessions.FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken).ConfigureAwait(false);
        if (session is { EndedUtc: null })
        {
            session.EndedUtc = now;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> IsSessionActiveAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserSessions.AsNoTracking().AnyAsync(s => s.Id == sessionId && s.EndedUtc == null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> ReassignDataAsync(string fromUserId, string toUserId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var moved = 0;

        var taken = await db.Connections.Where(c => c.UserId == toUserId).Select(c => c.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = new HashSet<string>(taken, StringComparer.Ordinal);
        foreach (var connection in await db.Connections.Where(c => c.UserId == fromUserId).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = connection.Name;
            for (var n = 1; names.Contains(name); n++)
            {
                name = n == 1 ? $"{connection.Name} (local)" : $"{connection.Name} (local {n})";
            }

            names.Add(name);
            connection.Name = name;
            connection.UserId = toUserId;
            moved++;
        }

        foreach (var session in await db.PlaygroundSessions.Where(s => s.UserId == fromUserId).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            session.UserId = toUserId;
            moved++;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        // Preferences are keyed by (user, key): the owner's own value wins, the local one is dropped.
        var ownKeys = await db.UserPreferences.Where(p => p.UserId == toUserId).Select(p => p.Key).ToListAsync(cancellationToken).ConfigureAwait(false);
        var preferences = await db.UserPreferences.AsNoTracking().Where(p => p.UserId == fromUserId).ToListAsync(cancellationToken).ConfigureAwait(false);
        await db.UserPreferences.Where(p => p.UserId == fromUserId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        foreach (var preference in preferences.Where(p => !ownKeys.Contains(p.Key)))
        {
            preference.UserId = toUserId;
            db.UserPreferences.Add(preference);
            moved++;
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return moved;
    }

    private static string? Trim(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];
}
