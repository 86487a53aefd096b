using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Hosting;

/// <summary>
/// A locked or corrupted SQLite file: readiness says so (a real query, not "can open the file"), and pages do not
/// wait on the store for what they can do without (layout preference, compare tray).
/// </summary>
public sealed class StoreFailureTests
{
    // Far below SQLite's 30 s busy retries that pages used to wait on (twice), far above the 2 s quick timeout.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task Ready_StoreLockedByAnotherProcess_Unhealthy_WithinTheQuickTimeout()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative))).StatusCode);

        await using var holder = await HoldExclusiveLockAsync(host.StoreFolder);
        var watch = Stopwatch.StartNew();
        var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        watch.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        Assert.True(watch.Elapsed < Bound, $"Readiness took {watch.Elapsed} with the store locked.");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Ready_StoreFileCorrupted_Unhealthy()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        SqliteConnection.ClearAllPools();
        await File.WriteAllBytesAsync(Path.Combine(host.StoreFolder, "portal.db"), [.. Enumerable.Repeat((byte)0x5A, 8192)]);

        var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Pages_StoreLocked_RenderPromptly_WithDefaults()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();
        await using var holder = await HoldExclusiveLockAsync(host.StoreFolder);

        var watch = Stopwatch.StartNew();
        var first = await client.GetAsync(new Uri("/models", UriKind.Relative));
        var second = await client.GetAsync(new Uri("/benchmarks", UriKind.Relative));
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        // The prerender reads nothing from the store (layout preference and compare tray are read by the circuit, which
        // shows the notice: MainLayoutTests); Prerender_ReadsNoPreference_FromTheStore counts the reads.
        Assert.True(watch.Elapsed < Bound, $"Two pages took {watch.Elapsed} with the store locked.");
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("aria-label=\"Collapse navigation\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prerender_ReadsNoPreference_FromTheStore()
    {
        var reads = new CountingPreferenceStore();
        await using var host = await PortalHost.StartAsync(builder =>
            builder.Services.AddSingleton<Portal.Data.Preferences.IPreferenceStore>(reads));
        using var client = host.CreateClient();

        foreach (var path in new[] { "/", "/models", "/models?q=gpt", "/benchmarks" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        }

        Assert.Equal(0, reads.Reads);
    }

    [Fact]
    public async Task Pages_StoreHealthy_ShowNoStoreNotice()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        var html = await client.GetStringAsync(new Uri("/models", UriKind.Relative));

        Assert.DoesNotContain("could not be read from the portal", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// Another process holding the file (the store is in WAL mode, where an exclusive transaction alone does not stop
    /// readers): exclusive locking mode and a write, kept until disposed. The portal's idle pooled connections are
    /// closed first, as a restart or idle timeout would, so the holder can take the lock.
    /// </summary>
    private static async Task<SqliteConnection> HoldExclusiveLockAsync(string folder)
    {
        SqliteConnection.ClearAllPools();
        var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "portal.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE lock_holder (x INTEGER); COMMIT;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Counts reads; answers as an empty store would.</summary>
    private sealed class CountingPreferenceStore : Portal.Data.Preferences.IPreferenceStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            return Task.FromResult<string?>(null);
        }

        public Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
