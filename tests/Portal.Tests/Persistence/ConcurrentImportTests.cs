using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog.Sources;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>Imports under one name at the same moment each get their own version (the unique index used to refuse all but one).</summary>
public sealed class ConcurrentImportTests
{
    private const int Imports = 8;

    [Fact]
    public async Task SameName_AtOnce_Sqlite_EveryImportGetsItsOwnVersion()
    {
        using var temp = new TempDirectory();
        await using var provider = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = temp.File("portal.db") });

        await AssertEveryImportKeptAsync(provider);
    }

    [PostgreSqlFact]
    public async Task SameName_AtOnce_PostgreSql_EveryImportGetsItsOwnVersion()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            await using var provider = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?>
            {
                ["Portal:Storage:Provider"] = "PostgreSQL",
                ["Portal:Storage:ConnectionString"] = server.ConnectionString("portal_imports"),
            });

            await AssertEveryImportKeptAsync(provider);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task AssertEveryImportKeptAsync(ServiceProvider provider)
    {
        var store = provider.GetRequiredService<ICatalogImportStore>();
        using var start = new ManualResetEventSlim();
        var imports = Enumerable.Range(1, Imports)
            .Select(i => Task.Run(() =>
            {
                start.Wait();
                return store.AddAsync("team catalog", $"file-{i}.json", "{\"models\":[]}", 0, CancellationToken.None);
            }))
            .ToList();
        start.Set();

        var added = await Task.WhenAll(imports);

        Assert.Equal(Enumerable.Range(1, Imports), added.Select(a => a.Version).Order());
        var listed = await store.ListAsync(CancellationToken.None);
        Assert.Equal(Imports, listed.Count);
        Assert.Equal(Imports, Assert.Single(listed, r => r.IsActive).Version);
    }
}
