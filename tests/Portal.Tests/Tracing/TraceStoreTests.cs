using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Tracing;
using Portal.Tests.Persistence;
using Portal.Tests.Support;

namespace Portal.Tests.Tracing;

/// <summary>The traces store's filters, paging and order on a real SQLite file, migrated as at start.</summary>
public sealed class TraceStoreTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private ServiceProvider _services = default!;
    private ITraceStore _store = default!;

    public async Task InitializeAsync()
    {
        _services = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = _temp.File("portal.db") });
        _store = _services.GetRequiredService<ITraceStore>();
        await _store.AddRangeAsync(
        [
            Row(Now.AddMinutes(-1), "oidc:alice", model: "gpt-4o", connection: "azure", response: "Paris is the capital."),
            Row(Now.AddMinutes(-2), "oidc:alice", model: "phi-3", connection: "local", feature: "compare", messages: """[{"role":"user","content":"What is the CAPITAL of France?"}]"""),
            Row(Now.AddMinutes(-3), "oidc:bob", model: "gpt-4o", connection: "azure", status: "error", error: "Rate limited. Too many requests (429)."),
            Row(Now.AddDays(-2), "oidc:bob", model: "phi-3", connection: "local", operation: "text_completion", feature: "completions"),
            Row(Now.AddDays(-10), "oidc:alice", model: "gpt-4o", connection: "azure", status: "cancelled"),
        ], CancellationToken.None);
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    /// <summary>xUnit calls this after <see cref="DisposeAsync"/>: the store's folder goes once the store is closed.</summary>
    public void Dispose() => _temp.Dispose();

    internal static TraceRow Row(
        DateTimeOffset started,
        string user,
        string model = "peer-chat",
        string connection = "peer",
        string operation = "chat",
        string feature = "chat",
        string status = "ok",
        string? messages = null,
        string? response = null,
        string? error = null,
        Guid? runId = null) => new()
        {
            Id = Guid.CreateVersion7(started),
            StartedUtc = started,
            UserId = user,
            Connection = connection,
            ServerAddress = "127.0.0.1:5000",
            Provider = "openai_compatible",
            Model = model,
            Operation = operation,
            Feature = feature,
            RunId = runId,
            Messages = messages ?? """[{"role":"user","content":"Hello"}]""",
            Response = response ?? "Hi there",
            ContentCaptured = true,
            FinishReason = status == "ok" ? "stop" : null,
            TimeToFirstTokenMs = 12.5,
            TotalMs = 250,
            InputTokens = 3,
            OutputTokens = 5,
            Status = status,
            ErrorType = error is null ? null : "RateLimited",
            ErrorMessage = error,
        };

    private async Task<List<string>> ModelsAtAsync(TraceQuery query) =>
        [.. (await _store.QueryAsync(query, CancellationToken.None)).Items.Select(t => $"{t.UserId}/{t.Model}/{(Now - t.StartedUtc).TotalMinutes:0}")];

    [Fact]
    public async Task Query_NoFilter_NewestFirst_WithTheTotal()
    {
        var (items, total) = await _store.QueryAsync(new TraceQuery(), CancellationToken.None);

        Assert.Equal(5, total);
        Assert.Equal(items.OrderByDescending(t => t.StartedUtc).Select(t => t.Id), items.Select(t => t.Id));
        Assert.All(items, t => Assert.Null(t.Messages)); // the list leaves the content out
    }

    [Fact]
    public async Task Query_ByUser_ShowsOnlyTheirs()
    {
        Assert.Equal(["oidc:bob/gpt-4o/3", "oidc:bob/phi-3/2880"], await ModelsAtAsync(new TraceQuery { UserId = "oidc:bob" }));
    }

    [Fact]
    public async Task Query_ByModelConnectionFeatureOperationStatus_Combine()
    {
        Assert.Equal(3, (await ModelsAtAsync(new TraceQuery { Model = "gpt-4o" })).Count);
        Assert.Equal(["oidc:alice/phi-3/2", "oidc:bob/phi-3/2880"], await ModelsAtAsync(new TraceQuery { Connection = "local" }));
        Assert.Equal(["oidc:alice/phi-3/2"], await ModelsAtAsync(new TraceQuery { Feature = "compare" }));
        Assert.Equal(["oidc:bob/phi-3/2880"], await ModelsAtAsync(new TraceQuery { Operation = "text_completion" }));
        Assert.Equal(["oidc:bob/gpt-4o/3"], await ModelsAtAsync(new TraceQuery { Status = "error" }));
        Assert.Equal(["oidc:alice/gpt-4o/14400"], await ModelsAtAsync(new TraceQuery { Model = "gpt-4o", Status = "cancelled", UserId = "oidc:alice" }));
    }

    [Fact]
    public async Task Query_TimeRange_FromIncludedToExcluded()
    {
        Assert.Equal(["oidc:alice/gpt-4o/1", "oidc:alice/phi-3/2"], await ModelsAtAsync(new TraceQuery { FromUtc = Now.AddMinutes(-2) }));
        Assert.Equal(["oidc:bob/phi-3/2880"], await ModelsAtAsync(new TraceQuery { FromUtc = Now.AddDays(-3), ToUtc = Now.AddDays(-1) }));
    }

    [Fact]
    public async Task Query_Text_FindsRequestResponseAndError_IgnoringCase()
    {
        Assert.Equal(["oidc:alice/gpt-4o/1", "oidc:alice/phi-3/2"], await ModelsAtAsync(new TraceQuery { Text = "capital" }));
        Assert.Equal(["oidc:bob/gpt-4o/3"], await ModelsAtAsync(new TraceQuery { Text = "RATE LIMITED" }));
        Assert.Empty(await ModelsAtAsync(new TraceQuery { Text = "nowhere-to-be-found" }));
    }

    [Fact]
    public async Task Query_Paging_SkipsAndTakes_KeepingTheTotal()
    {
        var (page, total) = await _store.QueryAsync(new TraceQuery { Skip = 2, Take = 2 }, CancellationToken.None);

        Assert.Equal(5, total);
        Assert.Equal(["oidc:bob/gpt-4o/3", "oidc:bob/phi-3/2880"], page.Select(t => $"{t.UserId}/{t.Model}/{(Now - t.StartedUtc).TotalMinutes:0}"));
    }

    [Fact]
    public async Task Get_SomeoneElsesTrace_IsNullForThem_ButReadableWithoutAUserFilter()
    {
        var (bobs, _) = await _store.QueryAsync(new TraceQuery { UserId = "oidc:bob", Take = 1 }, CancellationToken.None);
        var id = bobs[0].Id;

        Assert.Null(await _store.GetAsync(id, "oidc:alice", CancellationToken.None));
        var whole = await _store.GetAsync(id, null, CancellationToken.None);
        Assert.NotNull(whole);
        Assert.NotNull(whole.Messages);
    }

    [Fact]
    public async Task Facets_ListTheValuesAUserHas()
    {
        var alice = await _store.FacetsAsync("oidc:alice", CancellationToken.None);
        var everyone = await _store.FacetsAsync(null, CancellationToken.None);

        Assert.Equal(["gpt-4o", "phi-3"], alice.Models);
        Assert.Equal(["azure", "local"], alice.Connections);
        Assert.Equal(["oidc:alice", "oidc:bob"], everyone.Users);
    }
}
