using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Instances;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>The work leases' compare-and-set steps against a real SQLite file and a real PostgreSQL server.</summary>
public sealed class WorkLeaseTests
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Leases_OnSqlite_OneOwnerAtATime_TakenOverOnlyAfterTheyLapse()
    {
        using var temp = new TempDirectory();
        await using var store = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = temp.File("portal.db") });
        await LeaseRulesAsync(store);
    }

    [PostgreSqlFact]
    public async Task Leases_OnPostgreSql_OneOwnerAtATime_TakenOverOnlyAfterTheyLapse()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            await using var store = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?>
            {
                ["Portal:Storage:Provider"] = "PostgreSQL",
                ["Portal:Storage:ConnectionString"] = server.ConnectionString("portal_leases"),
            });
            await LeaseRulesAsync(store);
            await ConcurrentTakersAsync(store);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static (WorkLeases Leases, ManualTime Time) Instance(ServiceProvider store, ManualTime? shared = null)
    {
        var time = shared ?? new ManualTime(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        return (new WorkLeases(store.GetRequiredService<IDbContextFactory<PortalDbContext>>(), new InstanceIdentity(), time), time);
    }

    private static async Task LeaseRulesAsync(ServiceProvider store)
    {
        var (a, time) = Instance(store);
        var (b, _) = Instance(store, time);
        var none = CancellationToken.None;

        var held = await a.TryAcquireAsync("work:1", Duration, none);
        Assert.NotNull(held);
        Assert.Equal(a.InstanceId, held.Owner);
        Assert.Null(await b.TryAcquireAsync("work:1", Duration, none));
        Assert.Contains("work:1", await b.HeldElsewhereAsync(["work:1", "work:2"], none));
        Assert.Empty(await a.HeldElsewhereAsync(["work:1"], none));

        // Renewed before it lapses: still A's, however long the work takes.
        time.Advance(TimeSpan.FromSeconds(20));
        var renewed = await a.RenewAsync(held, Duration, none);
        Assert.NotNull(renewed);
        Assert.True(renewed.Version > held.Version);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await b.TryAcquireAsync("work:1", Duration, none));

        // A stops renewing (it died): once the lease lapsed, B takes it, and A's next renewal or release is refused.
        time.Advance(TimeSpan.FromSeconds(11));
        var takenOver = await b.TryAcquireAsync("work:1", Duration, none);
        Assert.NotNull(takenOver);
        Assert.Equal(b.InstanceId, takenOver.Owner);
        Assert.Null(await a.RenewAsync(renewed, Duration, none));
        Assert.False(await a.ReleaseAsync(renewed, none));
        Assert.Null(await a.TryAcquireAsync("work:1", Duration, none));

        // A stale renewal (an older version) is refused even for the owner.
        var current = await b.RenewAsync(takenOver, Duration, none);
        Assert.NotNull(current);
        Assert.Null(await b.RenewAsync(takenOver, Duration, none));

        // Released: free for anyone at once.
        Assert.True(await b.ReleaseAsync(current, none));
        Assert.NotNull(await a.TryAcquireAsync("work:1", Duration, none));
    }

    /// <summary>Many instances try to take the same lapsed lease at the same moment: exactly one gets it.</summary>
    private static async Task ConcurrentTakersAsync(ServiceProvider store)
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        for (var round = 0; round < 5; round++)
        {
            var takers = Enumerable.Range(0, 8).Select(_ => Instance(store, time).Leases).ToList();
            var name = $"race:{round}";
            if (round % 2 == 1)
            {
                // A lapsed lease of a dead instance to race for (the UPDATE path); even rounds race on the INSERT path.
                Assert.NotNull(await Instance(store, time).Leases.TryAcquireAsync(name, TimeSpan.FromSeconds(2), CancellationToken.None));
                time.Advance(TimeSpan.FromSeconds(3));
            }

            var results = await Task.WhenAll(takers.Select(t => Task.Run(() => t.TryAcquireAsync(name, Duration, CancellationToken.None))));
            Assert.Single(results, r => r is not null);
        }
    }
}

/// <summary>A clock the test moves.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
