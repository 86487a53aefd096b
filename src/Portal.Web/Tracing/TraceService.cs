using Portal.Data.Tracing;
using Portal.Web.Access;

namespace Portal.Web.Tracing;

/// <summary>
/// Reads traces for the current user: their own, or with <see cref="PortalAction.ReadAllTraces"/> (Owners) everyone's.
/// Enforced here, in the store's query, not by what the page shows: asking for someone else's traces without the
/// permission is refused (and audited); someone else's trace by id is "not found".
/// </summary>
public sealed class TraceService(ITraceStore store, AccessControl access, TimeProvider time)
{
    /// <summary>Whose traces the current user may read: their id, and whether they may read everyone's.</summary>
    public async Task<(string UserId, bool All)> ScopeAsync(CancellationToken cancellationToken)
    {
        var role = await access.RoleAsync(cancellationToken);
        return (access.User.Id, role.Allows(PortalAction.ReadAllTraces));
    }

    /// <summary>The traces matching <paramref name="filter"/>, newest first; someone else's only with ReadAllTraces.</summary>
    public async Task<(IReadOnlyList<TraceRow> Items, int Total)> QueryAsync(TraceFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (self, all) = await ScopeAsync(cancellationToken);
        if (filter.User is { } user && user != self && !all)
        {
            await access.DemandAsync(PortalAction.ReadAllTraces, "traces of " + user, cancellationToken);
        }

        var userId = all ? filter.User : self;
        return await store.QueryAsync(filter.ToQuery(userId, time.GetUtcNow(), skip, take), cancellationToken);
    }

    /// <summary>One trace, or null when there is none the current user may read.</summary>
    public async Task<TraceRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var (self, all) = await ScopeAsync(cancellationToken);
        return await store.GetAsync(id, all ? null : self, cancellationToken);
    }

    /// <summary>The models, connections and (with ReadAllTraces) users the filters offer.</summary>
    public async Task<TraceFacets> FacetsAsync(CancellationToken cancellationToken)
    {
        var (self, all) = await ScopeAsync(cancellationToken);
        var facets = await store.FacetsAsync(all ? null : self, cancellationToken);
        return all ? facets : facets with { Users = [] };
    }
}
