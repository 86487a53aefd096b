using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Access;

/// <summary>Personal API tokens, kept as hashes.</summary>
public interface IApiTokenStore
{
    Task<ApiTokenRow> AddAsync(ApiTokenRow token, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The token with that hash, whatever its state (the caller checks expiry and revocation).</summary>
    Task<ApiTokenRow?> FindByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Revokes one of the user's tokens. False when the user has no such token or it was revoked already.</summary>
    Task<bool> RevokeAsync(string userId, Guid id, CancellationToken cancellationToken);

    Task TouchAsync(Guid id, DateTimeOffset usedUtc, CancellationToken cancellationToken);

    /// <summary>Revokes every active token of the user (an Owner stopping someone's scripts); returns how many.</summary>
    Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken);
}

internal sealed class ApiTokenStore(IDbContextFactory<PortalDbContext> contexts, TimeProvider time) : IApiTokenStore
{
    public async Task<ApiTokenRow> AddAsync(ApiTokenRow token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (token.Id == Guid.Empty)
        {
            token.Id = Guid.NewGuid();
        }

        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return token;
    }

    public async Task<IReadOnlyList<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderByDescending(t => t.CreatedUtc)];
    }

    public async Task<ApiTokenRow?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RevokeAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId && t.RevokedUtc == null, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return false;
        }

        token.RevokedUtc = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), cancellationToken).ConfigureAwait(false);
    }

    public async Task TouchAsync(Guid id, DateTimeOffset usedUtc, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.ApiTokens.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, usedUtc), cancellationToken).ConfigureAwait(false);
    }
}
