using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Hosting;
using Portal.Web.Evaluations;

namespace Portal.Tests.Evaluations;

/// <summary>
/// The pages' download links: a dataset version exactly as the dataset service stores it, and a run's export, as
/// attachments; a missing one is a 404 problem, a store failure a 500 problem (never a raw exception), a bad format 400.
/// </summary>
public sealed class EvaluationDownloadTests
{
    private static readonly Guid Known = Guid.Parse("7b1c0e55-0000-4000-8000-000000000001");

    private static Task<PortalHost> StartAsync(Files files) => PortalHost.StartAsync(builder =>
    {
        builder.Services.AddSingleton<IDatasetService>(files);
        builder.Services.AddSingleton<IEvaluationService>(files);
    });

    [Fact]
    public async Task DatasetVersion_IsTheStoredFile_AsAnAttachment()
    {
        await using var host = await StartAsync(new Files());
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri($"/{EvaluationUrls.DatasetDownload(Known, 2)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"question\":\"What is 2 + 2?\",\"expected\":\"4\"}\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/jsonl", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("arith-v2.jsonl", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact]
    public async Task MissingVersion_Is404Problem()
    {
        await using var host = await StartAsync(new Files());
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri($"/{EvaluationUrls.DatasetDownload(Guid.NewGuid(), 1)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StoreFailure_Is500Problem_WithoutTheException()
    {
        await using var host = await StartAsync(new Files { Fail = true });
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri($"/{EvaluationUrls.DatasetDownload(Known, 1)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("could not be read from the store", body, StringComparison.Ordinal);
        Assert.DoesNotContain("disk on fire", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("csv", HttpStatusCode.OK)]
    [InlineData("json", HttpStatusCode.OK)]
    [InlineData("xml", HttpStatusCode.BadRequest)]
    public async Task RunExport_ByFormat(string format, HttpStatusCode expected)
    {
        await using var host = await StartAsync(new Files());
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri($"/{EvaluationUrls.RunExport(Known, format)}", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal($"run.{format}", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        }
    }

    /// <summary>The two services at the edge: only the downloads are answered.</summary>
    private sealed class Files : IDatasetService, IEvaluationService
    {
        public bool Fail { get; init; }

        public IReadOnlyList<ScorerInfo> Scorers => [];

        public event Action<Guid>? Changed
        {
            add { }
            remove { }
        }

        public Task<DatasetDownload?> DownloadAsync(Guid id, int version, CancellationToken cancellationToken) => Fail
            ? throw new IOException("disk on fire")
            : Task.FromResult(id == Known ? new DatasetDownload("{\"question\":\"What is 2 + 2?\",\"expected\":\"4\"}\n"u8.ToArray(), $"arith-v{version}.jsonl", "application/jsonl") : null);

        public Task<DatasetDownload?> ExportAsync(Guid id, string format, CancellationToken cancellationToken) =>
            Task.FromResult(id == Known ? new DatasetDownload("x"u8.ToArray(), $"run.{format}", format == "csv" ? "text/csv" : "application/json") : null);

        public Task<DatasetParseResult> ParseAsync(Stream content, string fileName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DatasetSummary?> GetAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DatasetVersionInfo>> VersionsAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<DatasetRow>> RowsAsync(Guid id, int? version, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DatasetSaveResult> SaveAsync(string name, string? description, Stream content, string fileName, Guid? addVersionTo, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DatasetSaveResult> CreateFromRowsAsync(string name, string? description, IReadOnlyList<DatasetRow> rows, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<EvaluationStartResult> StartAsync(EvaluationSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

        Task<IReadOnlyList<EvaluationRunInfo>> IEvaluationService.ListAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        Task<EvaluationRunInfo?> IEvaluationService.GetAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        Task<IReadOnlyList<EvaluationRowResult>> IEvaluationService.RowsAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelAsync(Guid id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SetShownOnBenchmarksAsync(Guid id, bool shown, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<MeasuredResult>> MeasuredResultsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
