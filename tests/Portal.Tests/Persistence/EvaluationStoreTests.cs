using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Evaluations;
using Portal.TestPeers;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>Datasets, versions, runs and cells round trip through both providers' migrations.</summary>
public sealed class EvaluationStoreTests
{
    [Fact]
    public async Task Sqlite_RoundTripsDatasetsRunsAndCells()
    {
        using var temp = new TempDirectory();
        await using var provider = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = temp.File("portal.db") });

        await AssertRoundTripAsync(provider.GetRequiredService<IEvaluationStore>());
    }

    [PostgreSqlFact]
    public async Task PostgreSql_RoundTripsDatasetsRunsAndCells()
    {
        var server = new PostgreSqlServer();
        await server.InitializeAsync();
        try
        {
            await using var provider = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?>
            {
                ["Portal:Storage:Provider"] = "PostgreSQL",
                ["Portal:Storage:ConnectionString"] = server.ConnectionString("portal_eval"),
            });

            await AssertRoundTripAsync(provider.GetRequiredService<IEvaluationStore>());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task AssertRoundTripAsync(IEvaluationStore store)
    {
        var none = CancellationToken.None;
        var now = DateTimeOffset.UtcNow;
        byte[] first = [0x7B, 0x7D, 0x0A, 0xFF];
        var dataset = new StoredDataset { Id = Guid.NewGuid(), Name = "d", OwnerId = "u", OwnerName = "U", CreatedUtc = now, UpdatedUtc = now };
        await store.AddDatasetAsync(dataset, new StoredDatasetVersion { FileName = "a.jsonl", Format = "jsonl", Content = first, Sha256 = "x", Rows = 1, CreatedBy = "U", CreatedUtc = now }, none);
        var updated = await store.AddVersionAsync(dataset.Id, new StoredDatasetVersion { FileName = "b.csv", Format = "csv", Content = [1, 2], Sha256 = "y", Rows = 2, CreatedBy = "U", CreatedUtc = now }, none);

        Assert.Equal(2, updated!.LatestVersion);
        Assert.Equal([2, 1], (await store.ListVersionsAsync(dataset.Id, none)).Select(v => v.Version));
        Assert.Equal(first, (await store.GetVersionAsync(dataset.Id, 1, none))!.Content);
        Assert.Null(await store.AddVersionAsync(Guid.NewGuid(), new StoredDatasetVersion { FileName = "c", Format = "csv", Content = [], Sha256 = "", CreatedBy = "U" }, none));

        var run = new EvaluationRunRow { Id = Guid.NewGuid(), Name = "r", OwnerId = "u", OwnerName = "U", Status = "Queued", Spec = "{}", RowsJson = "[]", DatasetName = "d", Rows = 2, Targets = 1, CreatedUtc = now };
        await store.AddRunAsync(run, none);
        await store.UpdateRunAsync(run.Id, "Running", now, null, null, none);
        await store.SaveCellAsync(new EvaluationCellRow { RunId = run.Id, Row = 1, Target = 0, Status = "Failed", Error = "first", Scores = "[]", FinishedUtc = now }, none);
        await store.SaveCellAsync(new EvaluationCellRow { RunId = run.Id, Row = 1, Target = 0, Status = "Succeeded", Answer = "ok", Scores = "[{\"scorer\":\"x\",\"value\":1}]", TraceId = Guid.NewGuid(), FinishedUtc = now }, none);
        await store.SetShownAsync(run.Id, true, none);

        var cell = Assert.Single(await store.ListCellsAsync(run.Id, none));
        Assert.Equal(("Succeeded", "ok"), (cell.Status, cell.Answer));
        var listed = Assert.Single(await store.ListRunsAsync(none));
        Assert.Equal(("Running", true), (listed.Status, listed.ShownOnBenchmarks));
        Assert.Single(await store.ListCellsAsync([run.Id], none));

        Assert.True(await store.DeleteRunAsync(run.Id, none));
        Assert.Empty(await store.ListCellsAsync(run.Id, none));
        Assert.True(await store.DeleteDatasetAsync(dataset.Id, none));
        Assert.Empty(await store.ListVersionsAsync(dataset.Id, none));
    }
}
