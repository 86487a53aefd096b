using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.Data.Instances;
using Portal.TestPeers;
using Portal.Tests.Access;
using Portal.Tests.Evaluations;
using Portal.Tests.Support;
using Portal.Web.Catalog;
using Portal.Web.Evaluations;
using Xunit.Abstractions;

namespace Portal.Tests.Hosting;

/// <summary>
/// Two portal instances on one store (one SQLite file, or one PostgreSQL database): a catalog import on one shows on the
/// other without a restart, and an evaluation run is worked on by exactly one of them, taken over when its owner stops
/// renewing the lease.
/// </summary>
public sealed class SeveralInstancesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string FastPolling = "--Portal:Instances:ChangePollInterval=00:00:00.200";
    private const string ShortLeases = "--Portal:Instances:LeaseDuration=00:00:02";
    private const string QuickRenewals = "--Portal:Instances:LeaseRenewInterval=00:00:00.300";

    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await OpenAiPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    [Fact]
    public async Task CatalogImportAndRemoval_OnOneInstance_ShowOnTheOther_OnOneSqliteFile()
    {
        using var temp = new TempDirectory();
        await CatalogChangesTravelAsync(temp, []);
    }

    [PostgreSqlFact]
    public async Task CatalogImportAndRemoval_OnOneInstance_ShowOnTheOther_OnOnePostgreSqlStore()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            using var temp = new TempDirectory();
            await CatalogChangesTravelAsync(temp, PostgreSql(server, "portal_catalog"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [PostgreSqlFact]
    public async Task TwoRunners_OnOnePostgreSqlStore_EveryRowOfEveryRunIsAskedExactlyOnce()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            using var temp = new TempDirectory();
            string[] settings =
            [
                .. PostgreSql(server, "portal_runners"), "--Portal:Instances:LeaseDuration=00:00:05", "--Portal:Instances:LeaseRenewInterval=00:00:01",
                "--Portal:Evaluations:MaxParallelRuns=1",
            ];
            var firstLog = new CapturingLoggerProvider();
            var secondLog = new CapturingLoggerProvider();
            await using var first = await EvaluationHost.StartAsync(_peer, temp, firstLog, configure: null, settings);
            await using var second = await EvaluationHost.StartAsync(_peer, temp, secondLog, configure: null, settings);
            using var dump = new Disposer(() => { Dump("first", firstLog); Dump("second", secondLog); });

            // Started on both; each instance's look-out sees the other's queued runs too, so both race for every run.
            var runs = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                runs.Add(await first.StartRunAsync(Spec("peer-chat", rows: 6)));
                runs.Add(await second.StartRunAsync(Spec("peer-chat", rows: 6)));
            }

            foreach (var id in runs)
            {
                var run = await first.WaitAsync(id, 90);
                Assert.Equal(EvaluationStatus.Completed, run.Status);
                Assert.Equal(6, run.Counts.Succeeded);
            }

            // Had both instances worked on one run, its rows would have been asked twice.
            Assert.Equal(runs.Count * 6, first.RequestsFor("peer-chat"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task OwnerStopsRenewing_TheOtherInstanceTakesTheRunOver_OnOneSqliteFile()
    {
        using var temp = new TempDirectory();
        await TakeoverAsync(temp, []);
    }

    [PostgreSqlFact]
    public async Task OwnerStopsRenewing_TheOtherInstanceTakesTheRunOver_OnOnePostgreSqlStore()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            using var temp = new TempDirectory();
            await TakeoverAsync(temp, PostgreSql(server, "portal_takeover"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunCancelledOnOneInstance_StopsOnTheInstanceRunningIt()
    {
        using var temp = new TempDirectory();
        string[] settings = [ShortLeases, QuickRenewals];
        await using var first = await EvaluationHost.StartAsync(_peer, temp, settings);
        await using var second = await EvaluationHost.StartAsync(_peer, temp, settings);
        var id = await first.StartRunAsync(Spec("peer-slow", rows: 8, concurrency: 1));
        await WithinAsync(TimeSpan.FromSeconds(20), () => first.WithServiceAsync(s => s.GetAsync(id, CancellationToken.None)).Result?.Counts.Succeeded >= 1, "the first instance did not start the run");

        // Cancelled through the second instance, which is not running it: the first sees it at its next renewal.
        await second.WithServiceAsync(async s =>
        {
            await s.CancelAsync(id, CancellationToken.None);
            return true;
        });
        var run = await first.WaitAsync(id, 10);
        await Task.Delay(1000); // a renewal (every 0.3 s) has seen it
        var asked = first.RequestsFor("peer-slow");
        await Task.Delay(1500);

        Assert.Equal(EvaluationStatus.Cancelled, run.Status);
        Assert.True(run.Counts.Succeeded < 8, $"The run finished ({run.Counts.Succeeded} answers) instead of stopping.");
        Assert.Equal(asked, first.RequestsFor("peer-slow"));
    }

    private static string[] PostgreSql(PostgreSqlServer server, string database) =>
    [
        "--Portal:Storage:Provider=PostgreSQL",
        $"--Portal:Storage:ConnectionString={server.ConnectionString(database)}",
        "--Portal:DataProtection:AllowUnprotectedKeys=true",
    ];

    private static EvaluationSpec Spec(string model, int rows, int concurrency = 2) =>
        new("several", null, null,
            [.. Enumerable.Range(1, rows).Select(n => new DatasetRow(n, new DatasetInput($"Question {n}?", null), "Echo", new Dictionary<string, string>()))],
            [new EvaluationTargetSpec(EvaluationHost.Connection, model)], ["substring-match"], null, null, concurrency);

    private static async Task CatalogChangesTravelAsync(TempDirectory temp, string[] store)
    {
        await using var first = PortalHost.Build(temp, [.. store, FastPolling]);
        await using var second = PortalHost.Build(temp, [.. store, FastPolling]);
        await first.StartAsync();
        await second.StartAsync();
        var id = "several-instances-" + Guid.NewGuid().ToString("N")[..6];

        CatalogImportOutcome outcome;
        await using (var scope = first.Services.CreateAsyncScope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<CatalogImporter>().ImportAsync("team", "team.json", PermissionMatrixCases.CatalogFile(id), CancellationToken.None);
        }

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => e.Reason)));
        var catalog = second.Services.GetRequiredService<ICatalogService>();
        await WithinAsync(TimeSpan.FromSeconds(5), () => catalog.Current.Models.Any(m => m.Id == id), "the import did not reach the other instance");

        await using (var scope = first.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<CatalogImporter>().RemoveAsync(outcome.Import!.Id, CancellationToken.None));
        }

        await WithinAsync(TimeSpan.FromSeconds(5), () => catalog.Current.Models.All(m => m.Id != id), "the removal did not reach the other instance");
        Assert.Equal(2, await second.Services.GetRequiredService<IStoreVersions>().GetAsync(StoreVersionKeys.Catalog, CancellationToken.None));
        await first.StopAsync();
        await second.StopAsync();
    }

    private async Task TakeoverAsync(TempDirectory temp, string[] store)
    {
        var firstLog = new CapturingLoggerProvider();
        var secondLog = new CapturingLoggerProvider();
        CuttableLeases? cut = null;
        string[] settings = [.. store, ShortLeases, QuickRenewals];
        var first = await EvaluationHost.StartAsync(_peer, temp, firstLog, builder => builder.Services.AddSingleton<IWorkLeases>(sp =>
            cut = new CuttableLeases(ActivatorUtilities.CreateInstance<WorkLeases>(sp))), settings);
        EvaluationHost? second = null;
        try
        {
            // peer-slow: ~1 s an answer, one at a time, so the run is well under way on the first instance when it "dies".
            // The second instance starts only once the first runs it, so the first surely holds the run's lease.
            var id = await first.StartRunAsync(Spec("peer-slow", rows: 8, concurrency: 1));
            await WithinAsync(TimeSpan.FromSeconds(20), () => first.WithServiceAsync(s => s.GetAsync(id, CancellationToken.None)).Result?.Counts.Succeeded >= 1, "the first instance did not start the run");
            Assert.NotNull(cut);
            second = await EvaluationHost.StartAsync(_peer, temp, secondLog, configure: null, settings);

            // The first instance can no longer reach the leases (as if it died): it stops before its lease lapses, and
            // the second takes the run over once it has.
            cut.Cut = true;
            var run = await second.WaitAsync(id, 60);

            Assert.Equal(EvaluationStatus.Completed, run.Status);
            Assert.Equal(8, run.Counts.Succeeded);
            Assert.Contains(firstLog.Lines, l => l.Contains("lapsed while the store did not answer", StringComparison.Ordinal));
            Assert.Contains(secondLog.Lines, l => l.Contains($"Evaluation run {id} taken over from instance", StringComparison.Ordinal));
            // At most the answer in flight when the first instance stopped is asked again.
            Assert.InRange(first.RequestsFor("peer-slow"), 8, 9);
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }

            Dump("first", firstLog);
            Dump("second", secondLog);
        }
    }

    private void Dump(string name, CapturingLoggerProvider logs)
    {
        foreach (var line in logs.Lines.Where(l => l.Contains("Evaluation", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal)))
        {
            output.WriteLine($"[{name}] {line}");
        }
    }

    private sealed class Disposer(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static async Task WithinAsync(TimeSpan limit, Func<bool> condition, string failure)
    {
        var until = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"{failure} within {limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    /// <summary>The real leases, until the test cuts this instance off from them (every call fails, as with a dead store link).</summary>
    private sealed class CuttableLeases(IWorkLeases inner) : IWorkLeases
    {
        public volatile bool Cut;

        public string InstanceId => inner.InstanceId;

        public Task<WorkLease?> TryAcquireAsync(string name, TimeSpan duration, CancellationToken cancellationToken) =>
            Cut ? throw new InvalidOperationException("cut off") : inner.TryAcquireAsync(name, duration, cancellationToken);

        public Task<WorkLease?> RenewAsync(WorkLease lease, TimeSpan duration, CancellationToken cancellationToken) =>
            Cut ? throw new InvalidOperationException("cut off") : inner.RenewAsync(lease, duration, cancellationToken);

        public Task<bool> ReleaseAsync(WorkLease lease, CancellationToken cancellationToken) =>
            Cut ? throw new InvalidOperationException("cut off") : inner.ReleaseAsync(lease, cancellationToken);

        public Task<IReadOnlySet<string>> HeldElsewhereAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken) =>
            Cut ? throw new InvalidOperationException("cut off") : inner.HeldElsewhereAsync(names, cancellationToken);
    }
}
