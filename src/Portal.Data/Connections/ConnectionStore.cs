using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Connections;

/// <summary>The connections users saved. Keys arrive here already encrypted; this store never sees a plain key.</summary>
public interface IConnectionStore
{
    Task<IReadOnlyList<StoredConnection>> ListAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Adds (when <see cref="StoredConnection.Id"/> is empty) or replaces a connection.</summary>
    /// <exception cref="DuplicateConnectionNameException">The user already has another connection with that name.</exception>
    Task<StoredConnection> SaveAsync(StoredConnection connection, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken);
}

public sealed class DuplicateConnectionNameException(string name) : Exception($"A connection named '{name}' already exists.");

internal sealed class ConnectionStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IConnectionStore
{
    public async Task<IReadOnlyList<StoredConnection>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Connections.AsNoTracking().Where(c => c.UserId == userId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<StoredConnection> SaveAsync(StoredConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var sameName = await db.Connections.AsNoTracking()
            .Where(c => c.UserId == connection.UserId && c.Name == connection.Name && c.Id != connection.Id)
            .AnyAsync(cancellationToken).ConfigureAwait(false);
        if (sameName)
        {
            throw new DuplicateConnectionNameException(connection.Name);
        }

        var now = time.GetUtcNow();
        connection.UpdatedUtc = now;
        if (connection.Id == Guid.Empty)
        {
            connection.Id = Guid.NewGuid();
            connection.CreatedUtc = now;
            db.Connections.Add(connection);
        }
        else
        {
            db.Connections.Update(connection);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task<bool> DeleteAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Connections.Where(c => c.UserId == userId && c.Id == id).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
