using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.FineTuning;

namespace Portal.Tests.FineTuning;

/// <summary>
/// The training file service in the real portal (sign-in off: the local Owner, its store in a SQLite file) against the
/// fine-tuning peer: valid files kept and uploaded with progress, invalid ones neither kept nor sent, every refusal
/// (400, 401, 429, unreachable) in words with the file kept for another try, listing and deleting on both sides.
/// Who may do this is the permission matrix's (<c>PermissionMatrixCases</c>, ManageTrainingFiles).
/// </summary>
public sealed class TrainingFileServiceTests : IAsyncLifetime, IDisposable
{
    private const string Key = "sk-training-files-key-4711";
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly string Valid = string.Join("\n", Enumerable.Range(1, 10).Select(i =>
        $$"""{"messages": [{"role": "user", "content": "What is {{i}} + {{i}}?"}, {"role": "assistant", "content": "{{i + i}}"}]}""")) + "\n";

    private OpenAiPeer _peer = default!;
    private TempDirectory _temp = default!;
    private WebApplication _app = default!;

    public async Task InitializeAsync()
    {
        _peer = await OpenAiPeer.StartAsync(Key);
        _temp = new TempDirectory();
        _app = PortalHost.Build(_temp,
            "--Portal:Inference:Timeout=00:00:05",
            "--Portal:Connections:0:Name=openai-ft",
            "--Portal:Connections:0:Kind=OpenAI",
            $"--Portal:Connections:0:Endpoint={_peer.V1}",
            $"--Portal:Connections:0:ApiKey={Key}",
            "--Portal:Connections:1:Name=aoai-ft",
            "--Portal:Connections:1:Kind=AzureOpenAI",
            $"--Portal:Connections:1:Endpoint={new Uri(_peer.BaseUrl, "openai/v1/")}",
            $"--Portal:Connections:1:ApiKey={Key}",
            "--Portal:Connections:2:Name=wrong-key",
            "--Portal:Connections:2:Kind=OpenAI",
            $"--Portal:Connections:2:Endpoint={_peer.V1}",
            "--Portal:Connections:2:ApiKey=sk-not-the-peers-key",
            "--Portal:Connections:3:Name=gone",
            "--Portal:Connections:3:Kind=OpenAI",
            "--Portal:Connections:3:Endpoint=http://127.0.0.1:1/v1/",
            $"--Portal:Connections:3:ApiKey={Key}",
            "--Portal:Connections:4:Name=compatible",
            "--Portal:Connections:4:Kind=OpenAICompatible",
            $"--Portal:Connections:4:Endpoint={_peer.V1}",
            "--Portal:Connections:4:Auth=None");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _peer.DisposeAsync();
    }

    /// <summary>xUnit calls this after <see cref="DisposeAsync"/>: the store's folder goes once the portal is stopped.</summary>
    public void Dispose() => _temp?.Dispose();

    private async Task<T> WithServiceAsync<T>(Func<TrainingFileService, Task<T>> use)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TrainingFileService>());
    }

    private Task<TrainingUploadResult> UploadNewAsync(string connection, string content = "", string name = "train.jsonl", IProgress<long>? progress = null) =>
        WithServiceAsync(s => s.UploadNewAsync(name, Encoding.UTF8.GetBytes(content.Length == 0 ? Valid : content), FineTuningMethod.Supervised, "gpt-4o-mini", connection, progress, None));

    private Task<IReadOnlyList<TrainingFileView>> KeptAsync() => WithServiceAsync(s => s.ListKeptAsync(None));

    [Theory]
    [InlineData("openai-ft")]
    [InlineData("aoai-ft")]
    public async Task UploadNew_AValidFile_IsKeptAndUploaded_WithProgress(string connection)
    {
        var sent = new List<long>();

        var result = await UploadNewAsync(connection, progress: new SyncProgress(sent));

        Assert.True(result.Succeeded, result.Problem);
        Assert.Equal(Valid, _peer.UploadedFiles[result.Uploaded!.Id].Content);
        Assert.Equal(Encoding.UTF8.GetByteCount(Valid), sent.Max());
        var kept = Assert.Single(await KeptAsync());
        Assert.Equal((connection, result.Uploaded.Id, (string?)null), (kept.Connection, kept.ProviderFileId, kept.UploadError));
        Assert.Equal(10, kept.Examples);
        Assert.Equal(result.Report!.TotalTokens, kept.EstimatedTokens);
        var row = await _app.Services.GetRequiredService<IFineTuningStore>().GetFileAsync(kept.Id, None);
        Assert.Contains("\"examples\":10", row!.StatsJson, StringComparison.Ordinal);
        Assert.Contains("o200k_base", row.StatsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadNew_AnInvalidFile_IsNeitherKeptNorSent()
    {
        var result = await UploadNewAsync("openai-ft", Valid + "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n");

        Assert.False(result.Succeeded);
        Assert.Null(result.File);
        Assert.Equal(11, Assert.Single(result.Report!.Errors).Line);
        Assert.Empty(_peer.UploadedFiles);
        Assert.Empty(await KeptAsync());
    }

    [Fact]
    public async Task UploadNew_ToAConnectionWithoutFineTuning_IsRefusedInWords_AndNothingIsKept()
    {
        var result = await UploadNewAsync("compatible");

        Assert.Contains("has no fine-tuning API", result.Problem, StringComparison.Ordinal);
        Assert.Empty(await KeptAsync());
        Assert.Empty(_peer.UploadedFiles);
    }

    [Fact]
    public async Task Refused400_IsInTheProvidersWords_AndTheFileStaysKept()
    {
        var result = await UploadNewAsync("openai-ft", name: "fault-400.jsonl");

        Assert.False(result.Succeeded);
        Assert.Contains("(400)", result.Problem, StringComparison.Ordinal);
        Assert.Contains("line 3 exceeds the maximum number of tokens", result.Problem, StringComparison.Ordinal);
        var kept = Assert.Single(await KeptAsync());
        Assert.Equal(result.Problem, kept.UploadError);
        Assert.Null(kept.ProviderFileId);
    }

    [Fact]
    public async Task RateLimited429_SaysHowLongToWait_AndTheFileStaysKept()
    {
        var result = await UploadNewAsync("openai-ft", name: "fault-429.jsonl");

        Assert.Contains("429", result.Problem, StringComparison.Ordinal);
        Assert.Contains("wait 7 s before retrying", result.Problem, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(await KeptAsync()).UploadError);
    }

    [Fact]
    public async Task Unauthorized401_ThenUploadAgainToAnotherConnection_LosesNothing()
    {
        var refused = await UploadNewAsync("wrong-key");
        Assert.Contains("refused the credentials (401)", refused.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-not-the-peers-key", refused.Problem, StringComparison.Ordinal);
        var kept = Assert.Single(await KeptAsync());

        var again = await WithServiceAsync(s => s.UploadAgainAsync(kept.Id, "openai-ft", null, None));

        Assert.True(again.Succeeded, again.Problem);
        Assert.Equal(Valid, _peer.UploadedFiles[again.Uploaded!.Id].Content);
        var now = Assert.Single(await KeptAsync());
        Assert.Equal(("openai-ft", again.Uploaded.Id, (string?)null), (now.Connection, now.ProviderFileId, now.UploadError));
    }

    [Fact]
    public async Task UploadsAndRefusals_AreAudited_NeverWithTheKey()
    {
        await UploadNewAsync("wrong-key", name: "audited.jsonl");
        await UploadNewAsync("openai-ft", name: "audited.jsonl");

        var (entries, _) = await _app.Services.GetRequiredService<Portal.Data.Access.IAuditStore>()
            .QueryAsync(new Portal.Data.Access.AuditQuery(Action: nameof(Portal.Web.Access.PortalAction.ManageTrainingFiles)), None);

        Assert.Contains(entries, e => e.Outcome == "Failed" && e.Target == "training-file:audited.jsonl");
        Assert.Contains(entries, e => e.Outcome == "Succeeded" && e.Target == "training-file:audited.jsonl" && (e.Detail ?? "").Contains("uploaded to openai-ft", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain(Key, $"{e.Target} {e.Detail}", StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain("sk-not-the-peers-key", $"{e.Target} {e.Detail}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreachable_IsSaidInWords_AndTheFileStaysKept()
    {
        var result = await UploadNewAsync("gone");

        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
        Assert.Equal(result.Problem, Assert.Single(await KeptAsync()).UploadError);
    }

    [Fact]
    public async Task ProviderFiles_AreListed_AndDeletingOneForgetsItsUpload_ButKeepsTheFile()
    {
        var uploaded = (await UploadNewAsync("openai-ft")).Uploaded!;

        var listed = await WithServiceAsync(s => s.ListProviderFilesAsync("openai-ft", None));
        Assert.Null(listed.Problem);
        Assert.Contains(listed.Files, f => f.Id == uploaded.Id && f.FileName == "train.jsonl");

        Assert.Null(await WithServiceAsync(s => s.DeleteProviderFileAsync("openai-ft", uploaded.Id, None)));

        Assert.False(_peer.UploadedFiles.ContainsKey(uploaded.Id));
        var kept = Assert.Single(await KeptAsync());
        Assert.Null(kept.ProviderFileId);
        var missing = await WithServiceAsync(s => s.DeleteProviderFileAsync("openai-ft", uploaded.Id, None));
        Assert.Contains("404", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProviderFiles_OnAConnectionWithAWrongKey_SayWhy()
    {
        var listed = await WithServiceAsync(s => s.ListProviderFilesAsync("wrong-key", None));

        Assert.Empty(listed.Files);
        Assert.Contains("401", listed.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteKept_RemovesOnlyTheKeptCopy()
    {
        var uploaded = (await UploadNewAsync("openai-ft")).Uploaded!;
        var kept = Assert.Single(await KeptAsync());

        Assert.True(await WithServiceAsync(s => s.DeleteKeptAsync(kept.Id, None)));

        Assert.Empty(await KeptAsync());
        Assert.True(_peer.UploadedFiles.ContainsKey(uploaded.Id));
    }

    [Fact]
    public async Task SomeoneElsesFile_IsNotListed_NorUploaded_NorDeleted()
    {
        var store = _app.Services.GetRequiredService<IFineTuningStore>();
        var other = new FineTuningFileRow
        {
            Id = Guid.NewGuid(),
            OwnerId = "oidc:someone-else",
            Connection = "",
            FileName = "theirs.jsonl",
            Content = Encoding.UTF8.GetBytes(Valid),
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        await store.AddFileAsync(other, None);

        Assert.Empty(await KeptAsync());
        var again = await WithServiceAsync(s => s.UploadAgainAsync(other.Id, "openai-ft", null, None));
        Assert.Contains("no longer kept", again.Problem, StringComparison.Ordinal);
        Assert.False(await WithServiceAsync(s => s.DeleteKeptAsync(other.Id, None)));
        Assert.NotNull(await store.GetFileAsync(other.Id, None));
        Assert.Empty(_peer.UploadedFiles);
    }

    [Fact]
    public async Task Connections_AreTheOnesThatServeFineTuning()
    {
        var names = (await WithServiceAsync(s => s.ConnectionsAsync(None))).Select(c => c.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["aoai-ft", "gone", "openai-ft", "wrong-key"], names);
    }

    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
