using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

/// <summary>Datasets in the real portal: stored only when valid, versioned, downloaded byte for byte; the example seeded read-only.</summary>
public sealed class DatasetServiceTests : IAsyncLifetime
{
    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await OpenAiPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Upload_StoresTheBytesAsUploaded_AndANewUploadIsTheNextVersion()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        await using var scope = host.App.Services.CreateAsyncScope();
        var datasets = scope.ServiceProvider.GetRequiredService<IDatasetService>();
        const string first = "input,expected\r\nWhat is 2 + 3?,5\r\n";
        const string second = "{\"input\": \"What is 1 + 1?\", \"expected\": \"2\"}\n{\"input\": \"What is 2 + 2?\", \"expected\": \"4\"}\n";

        var saved = await datasets.SaveAsync("sums", "two sums", Text(first), "sums.csv", null, CancellationToken.None);
        var again = await datasets.SaveAsync("ignored", null, Text(second), "sums.jsonl", saved.Dataset!.Id, CancellationToken.None);

        Assert.Empty(saved.Problems);
        Assert.Equal(1, saved.Version);
        Assert.Equal(2, again.Version);
        Assert.Equal("sums", again.Dataset!.Name);
        var versions = await datasets.VersionsAsync(saved.Dataset.Id, CancellationToken.None);
        Assert.Equal([2, 1], versions.Select(v => v.Version));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(first))), versions[1].Sha256);
        Assert.Equal(("csv", 1, (long)Encoding.UTF8.GetByteCount(first)), (versions[1].Format, versions[1].Rows, versions[1].Bytes));
        var download = await datasets.DownloadAsync(saved.Dataset.Id, 1, CancellationToken.None);
        Assert.Equal(Encoding.UTF8.GetBytes(first), download!.Content);
        Assert.Equal("sums.csv", download.FileName);
        Assert.Equal(2, (await datasets.RowsAsync(saved.Dataset.Id, null, CancellationToken.None)).Count);
        Assert.Equal("5", Assert.Single(await datasets.RowsAsync(saved.Dataset.Id, 1, CancellationToken.None)).Expected);
        Assert.Equal(2, (await datasets.GetAsync(saved.Dataset.Id, CancellationToken.None))!.LatestVersion);
        Assert.Null(await datasets.DownloadAsync(saved.Dataset.Id, 9, CancellationToken.None));
    }

    [Fact]
    public async Task AnInvalidFile_StoresNothing_AndSaysWhyByRow()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        await using var scope = host.App.Services.CreateAsyncScope();
        var datasets = scope.ServiceProvider.GetRequiredService<IDatasetService>();
        var before = (await datasets.ListAsync(CancellationToken.None)).Count;

        var result = await datasets.SaveAsync("broken", null, Text("{\"input\": \"ok\"}\n{\"input\": \n"), "broken.jsonl", null, CancellationToken.None);

        Assert.Null(result.Dataset);
        Assert.Equal(2, Assert.Single(result.Problems).Row);
        Assert.Equal(before, (await datasets.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task TheExampleDataset_IsSeededOnce_AndReadOnly()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        await using var scope = host.App.Services.CreateAsyncScope();
        var datasets = scope.ServiceProvider.GetRequiredService<IDatasetService>();

        var example = Assert.Single(await datasets.ListAsync(CancellationToken.None), d => d.IsExample);
        var version = await datasets.SaveAsync("x", null, Text("{\"input\": \"q\"}\n"), "x.jsonl", example.Id, CancellationToken.None);
        var delete = await Record.ExceptionAsync(() => datasets.DeleteAsync(example.Id, CancellationToken.None));

        Assert.Equal(EvaluationRunner.ExampleOwner, example.OwnerId);
        Assert.InRange(example.Rows, 10, 15);
        Assert.Contains("read-only", Assert.Single(version.Problems).Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(delete);
        Assert.Equal(1, (await datasets.GetAsync(example.Id, CancellationToken.None))!.LatestVersion);
    }

    [Fact]
    public async Task FromRows_WritesJsonl_AndADatasetRunsByItsId_WithTheMeasuredResultShownOnBenchmarks()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        await using var scope = host.App.Services.CreateAsyncScope();
        var datasets = scope.ServiceProvider.GetRequiredService<IDatasetService>();
        var saved = await datasets.CreateFromRowsAsync("from compare", null, EvaluationRunTests.Quiz, CancellationToken.None);
        Assert.Equal("application/jsonl", (await datasets.DownloadAsync(saved.Dataset!.Id, 1, CancellationToken.None))!.ContentType);

        var id = await host.StartRunAsync(new EvaluationSpec("by id", saved.Dataset.Id, null, null, [new(EvaluationHost.Connection, "peer-quiz")], ["substring-match", "judge:fluency"], new JudgeSpec(EvaluationHost.Connection, "peer-judge")));
        var run = await host.WaitAsync(id);
        var evaluations = scope.ServiceProvider.GetRequiredService<IEvaluationService>();
        Assert.Empty(await evaluations.MeasuredResultsAsync(CancellationToken.None));
        await evaluations.SetShownOnBenchmarksAsync(id, true, CancellationToken.None);
        var measured = Assert.Single(await evaluations.MeasuredResultsAsync(CancellationToken.None));

        Assert.Equal(("from compare", 1, 6), (run.DatasetName, run.DatasetVersion, run.Rows));
        Assert.Equal(("substring-match", 0.5, 6, "from compare", 1), (measured.Scorer, measured.Value, measured.Rows, measured.DatasetName, measured.DatasetVersion));
        Assert.Equal("peer-quiz", measured.Model);
        Assert.Null(measured.CatalogModelId);

        var csv = Encoding.UTF8.GetString((await evaluations.ExportAsync(id, "csv", CancellationToken.None))!.Content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("row,input,expected,target,connection,model,status,answer,error,ttft_ms,total_ms,input_tokens,output_tokens,tokens_estimated,cost_usd_estimate,trace_id,substring-match,judge:fluency,judge:fluency reasoning", csv[0], StringComparison.Ordinal);
        Assert.Equal(7, csv.Length);
        Assert.StartsWith("1,What is 2 + 3?,5,1,peer,peer-quiz,succeeded,The answer is 5.,", csv[1], StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse((await evaluations.ExportAsync(id, "json", CancellationToken.None))!.Content);
        Assert.Equal(0.75, json.RootElement.GetProperty("summary").GetProperty("targets")[0].GetProperty("scores").GetProperty("judge:fluency").GetDouble());
        Assert.Equal(6, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Null(await evaluations.ExportAsync(id, "xml", CancellationToken.None));
    }

    [Fact]
    public async Task BadSpecs_AreRefused_NamingEachField()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        await using var scope = host.App.Services.CreateAsyncScope();
        var evaluations = scope.ServiceProvider.GetRequiredService<IEvaluationService>();

        var result = await evaluations.StartAsync(new EvaluationSpec(
            "bad",
            null,
            null,
            [new DatasetRow(1, new DatasetInput("  ", null), null, new Dictionary<string, string>())],
            [new("peer", "peer-quiz"), new("nowhere", ""), new("peer", "peer-quiz", null, new Portal.Playground.Inference.GenerationParameters { Temperature = 5 })],
            ["substring-match", "regex:(", "judge:relevance"],
            null,
            null,
            40), CancellationToken.None);

        Assert.Null(result.Id);
        Assert.Equal(["concurrency", "judge", "rows[0].input", "scorers[1]", "targets[1].connection", "targets[1].model", "targets[2].parameters.temperature"], result.Problems.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await evaluations.ListAsync(CancellationToken.None), r => r.Name == "bad");
    }

    [Fact]
    public async Task AModelInTheCatalog_GetsAnEstimatedCost_AndItsCatalogIdOnTheBenchmarkDashboard()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        var catalog = host.App.Services.GetRequiredService<Portal.Catalog.ICatalogService>();
        var prices = host.App.Services.GetRequiredService<Portal.Catalog.Benchmarks.BenchmarkData>();
        var priced = catalog.Current.Models.First(m => prices.PricesFor(m.Id).Count > 0).Id;
        _peer.ExtraModels.Add(priced); // the peer answers for it like peer-chat

        var id = await host.StartRunAsync(new EvaluationSpec("priced", null, null, EvaluationRunTests.Quiz[..2], [new(EvaluationHost.Connection, priced)], ["substring-match-ci"]));
        var run = await host.WaitAsync(id);
        await using var scope = host.App.Services.CreateAsyncScope();
        var evaluations = scope.ServiceProvider.GetRequiredService<IEvaluationService>();
        await evaluations.SetShownOnBenchmarksAsync(id, true, CancellationToken.None);
        var measured = Assert.Single(await evaluations.MeasuredResultsAsync(CancellationToken.None));

        Assert.Equal(EvaluationStatus.Completed, run.Status);
        Assert.True(run.Targets[0].CostUsd > 0);
        Assert.All((await evaluations.RowsAsync(id, CancellationToken.None)).Select(r => r.Cells[0]), c => Assert.True(c.CostUsd > 0));
        Assert.Equal(priced, measured.CatalogModelId);
        Assert.Equal(0, measured.Value); // "Echo: …" holds neither expected answer
    }
}
