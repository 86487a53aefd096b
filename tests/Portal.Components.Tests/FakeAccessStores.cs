using System.Security.Claims;
using Portal.Data.Access;
using Portal.Web.Access;

namespace Portal.Components.Tests;

/// <summary>The user a component test runs as: the local user by default; a test gives claims to be someone else.</summary>
public sealed class TestUser : ICurrentUser
{
    public TestUser(string id, string? role = null, string? email = null)
    {
        Set(id, role, email);
    }

    public string Id { get; private set; } = "";

    public string DisplayName => Principal.Get(PortalClaims.Name) ?? Id;

    public string? Email => Principal.Get(PortalClaims.Email);

    public bool IsSignedIn { get; set; }

    public ClaimsPrincipal Principal { get; private set; } = new();

    /// <summary>Becomes <paramref name="id"/>; with <paramref name="role"/>, that role comes from the provider's token.</summary>
    public void Set(string id, string? role = null, string? email = null)
    {
        Id = id;
        var claims = new List<Claim> { new(PortalClaims.UserId, id), new(PortalClaims.Name, id) };
        if (role is not null)
        {
            claims.Add(new Claim(PortalClaims.ProviderRole, role));
            claims.Add(new Claim(PortalClaims.Role, role));
        }

        if (email is not null)
        {
            claims.Add(new Claim(PortalClaims.Email, email));
        }

        Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "test", PortalClaims.Name, PortalClaims.Role));
        IsSignedIn = role is not null;
    }
}

public sealed class FakeUserDirectoryStore : IUserDirectoryStore
{
    private readonly object _gate = new();

    public Dictionary<string, PortalUserRow> Users { get; } = [];

    public Dictionary<Guid, UserSessionRow> Sessions { get; } = [];

    public Task<PortalUserRow?> GetAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Users.GetValueOrDefault(userId));
        }
    }

    public Task<IReadOnlyList<PortalUserRow>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<PortalUserRow>>([.. Users.Values.OrderBy(u => u.DisplayName ?? u.UserId, StringComparer.OrdinalIgnoreCase)]);
        }
    }

    public Task<Guid> RecordSignInAsync(string userId, string? email, string? displayName, string? providerRole, CancellationToken cancellationToken, bool emailVerified = false)
    {
        lock (_gate)
        {
            if (!Users.TryGetValue(userId, out var user))
            {
                user = Users[userId] = new PortalUserRow { UserId = userId };
            }

            user.Email = email;
            user.EmailVerified = emailVerified && email is not null;
            user.DisplayName = displayName;
            user.ProviderRole = providerRole;
            var session = new UserSessionRow { Id = Guid.NewGuid(), UserId = userId };
            Sessions[session.Id] = session;
            return Task.FromResult(session.Id);
        }
    }

    public Task<bool> AssignRoleAsync(string userId, string? role, string changedBy, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!Users.TryGetValue(userId, out var user))
            {
                return Task.FromResult(false);
            }

            user.AssignedRole = role;
            user.RoleChangedBy = changedBy;
            return Task.FromResult(true);
        }
    }

    public Task EndSessionAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Sessions.TryGetValue(sessionId, out var session))
            {
                session.EndedUtc = DateTimeOffset.UnixEpoch;
            }

            return Task.CompletedTask;
        }
    }

    public Task<bool> IsSessionActiveAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Sessions.TryGetValue(sessionId, out var session) && session.EndedUtc is null);
        }
    }

    public Task<int> ReassignDataAsync(string fromUserId, string toUserId, CancellationToken cancellationToken) => Task.FromResult(0);
}

public sealed class FakeApiTokenStore : IApiTokenStore
{
    private readonly List<ApiTokenRow> _tokens = [];

    public Task<ApiTokenRow> AddAsync(ApiTokenRow token, CancellationToken cancellationToken)
    {
        token.Id = token.Id == Guid.Empty ? Guid.NewGuid() : token.Id;
        lock (_tokens)
        {
            _tokens.Add(token);
        }

        return Task.FromResult(token);
    }

    public Task<IReadOnlyList<ApiTokenRow>> ListAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_tokens)
        {
            return Task.FromResult<IReadOnlyList<ApiTokenRow>>([.. _tokens.Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedUtc)]);
        }
    }

    public Task<ApiTokenRow?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        lock (_tokens)
        {
            return Task.FromResult(_tokens.FirstOrDefault(t => t.Hash == hash));
        }
    }

    public Task<bool> RevokeAsync(string userId, Guid id, CancellationToken cancellationToken)
    {
        lock (_tokens)
        {
            var token = _tokens.FirstOrDefault(t => t.Id == id && t.UserId == userId && t.RevokedUtc is null);
            if (token is null)
            {
                return Task.FromResult(false);
            }

            token.RevokedUtc = DateTimeOffset.UnixEpoch;
            return Task.FromResult(true);
        }
    }

    public Task TouchAsync(Guid id, DateTimeOffset usedUtc, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> RevokeAllAsync(string userId, CancellationToken cancellationToken)
    {
        lock (_tokens)
        {
            var active = _tokens.Where(t => t.UserId == userId && t.RevokedUtc is null).ToList();
            active.ForEach(t => t.RevokedUtc = DateTimeOffset.UnixEpoch);
            return Task.FromResult(active.Count);
        }
    }
}

public sealed class FakeAuditStore : IAuditStore
{
    private readonly List<AuditEntryRow> _entries = [];

    public IReadOnlyList<AuditEntryRow> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public Task AddAsync(AuditEntryRow entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            entry.Id = _entries.Count + 1;
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<AuditEntryRow> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var matching = Matching(query);
        return Task.FromResult<(IReadOnlyList<AuditEntryRow>, int)>(([.. matching.Skip(query.Skip).Take(query.Take)], matching.Count));
    }

    public async IAsyncEnumerable<AuditEntryRow> StreamAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in Matching(query))
        {
            await Task.Yield();
            yield return entry;
        }
    }

    public Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.RemoveAll(e => e.WhenUtc < beforeUtc));
        }
    }

    private List<AuditEntryRow> Matching(AuditQuery query)
    {
        lock (_entries)
        {
            return [.. _entries
                .Where(e => query.FromUtc is null || e.WhenUtc >= query.FromUtc)
                .Where(e => query.ToUtc is null || e.WhenUtc < query.ToUtc)
                .Where(e => string.IsNullOrWhiteSpace(query.User) || e.UserId.Contains(query.User, StringComparison.Ordinal) || (e.UserName?.Contains(query.User, StringComparison.Ordinal) ?? false))
                .Where(e => string.IsNullOrWhiteSpace(query.Action) || e.Action == query.Action)
                .Where(e => string.IsNullOrWhiteSpace(query.Outcome) || e.Outcome == query.Outcome)
                .OrderByDescending(e => e.Id)];
        }
    }
}
