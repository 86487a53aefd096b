using AngleSharp.Dom;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.TestPeers;
using Portal.Web.Components.Pages.FineTuning;
using Portal.Web.Connections;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// The training data page against the fine-tuning peer (an OpenAI-style connection "openai-ft"): the validation report
/// with row-numbered errors, Upload disabled with its reason for an invalid file, progress and the file id for a valid
/// one, and a refused upload in words with Retry and the file kept.
/// </summary>
public sealed class TrainingDataPageTests : PortalBunitContext, IAsyncLifetime
{
    private const string Key = "sk-training-page-key-1234";

    private static readonly string Valid = string.Join("\n", Enumerable.Range(1, 10).Select(i =>
        $$"""{"messages": [{"role": "user", "content": "What is {{i}} + {{i}}?"}, {"role": "assistant", "content": "{{i + i}}"}]}""")) + "\n";

    public TrainingDataPageTests()
        : this(OpenAiPeer.StartAsync(Key).GetAwaiter().GetResult(), new MemoryFineTuningStore())
    {
    }

    private TrainingDataPageTests(OpenAiPeer peer, MemoryFineTuningStore store)
        : base(services => services.AddSingleton<IFineTuningStore>(store), ConnectionSettings(
        [
            new ConfiguredConnection { Name = "openai-ft", Kind = "OpenAI", Endpoint = peer.V1.AbsoluteUri, ApiKey = Key, Models = ["gpt-4o-mini"] },
            new ConfiguredConnection { Name = "local-llm", Kind = "OpenAICompatible", Endpoint = peer.V1.AbsoluteUri, Auth = "None", Models = ["peer-chat"] },
        ]))
    {
        Peer = peer;
        Store = store;
    }

    private OpenAiPeer Peer { get; }

    private MemoryFineTuningStore Store { get; }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Peer.DisposeAsync();
    }

    private IRenderedComponent<TrainingData> RenderReady(string? url = null)
    {
        if (url is not null)
        {
            Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo(url);
        }

        var cut = Render<TrainingData>();
        cut.WaitForAssertion(() => Assert.Equal("Files on openai-ft", cut.Find("#ftd-provider-heading").TextContent.Trim()));
        return cut;
    }

    private static void Choose(IRenderedComponent<TrainingData> cut, string content, string name) =>
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, name));

    private static IElement UploadButton(IRenderedComponent<TrainingData> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Upload");

    [Fact]
    public void InvalidFile_ShowsItsErrorsByLine_AndUploadIsDisabledWithTheReason()
    {
        var cut = RenderReady();

        Choose(cut, Valid + """{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}""" + "\n{oops\n", "bad.jsonl");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=report-errors]")));
        var rows = cut.FindAll("[data-testid=report-errors] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.StartsWith("11", StringComparison.Ordinal) && r.Contains("empty assistant turn", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("12", StringComparison.Ordinal) && r.Contains("Not valid JSON", StringComparison.Ordinal));
        Assert.Contains("2 problems found", cut.Find("[data-testid=report-summary]").TextContent, StringComparison.Ordinal);
        Assert.True(UploadButton(cut).HasAttribute("disabled"));
        Assert.Contains("The file has problems", cut.Find("[data-testid=upload-why]").TextContent, StringComparison.Ordinal);
        Assert.Empty(Peer.UploadedFiles);
        Assert.Empty(Store.Files);
    }

    [Fact]
    public async Task ValidFile_ShowsStatistics_UploadsWithProgress_AndIsListedWithItsFileId()
    {
        var cut = RenderReady("fine-tuning/data?model=gpt-4o-mini");

        Choose(cut, Valid, "sums.jsonl");

        cut.WaitForAssertion(() => Assert.Contains("Valid: 10 examples", cut.Find("[data-testid=report-summary]").TextContent, StringComparison.Ordinal));
        Assert.Contains("estimated with the o200k_base tokenizer", cut.Find("[data-testid=total-tokens]").TextContent, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=longest]").TextContent.Contains("fits in the base model's context window of 128,000 tokens", StringComparison.Ordinal), cut.Find("[data-testid=longest]").TextContent);
        Assert.Contains("The catalog has no training price for", cut.Find("[data-testid=cost]").TextContent, StringComparison.Ordinal);
        Assert.False(UploadButton(cut).HasAttribute("disabled"));

        await cut.ClickButtonAsync("Upload");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=upload-result]")));
        var id = Assert.Single(Peer.UploadedFiles).Key;
        var result = cut.Find("[data-testid=upload-result]");
        Assert.Contains($"Uploaded to openai-ft as {id}", result.TextContent, StringComparison.Ordinal);
        Assert.Equal($"fine-tuning/new?connection=openai-ft&trainingFile={Uri.EscapeDataString(id)}&model=gpt-4o-mini", result.QuerySelector("a")!.GetAttribute("href"));
        cut.WaitForAssertion(() => Assert.Contains(id, cut.Find("[data-testid=kept-files] tr[data-file='sums.jsonl']").TextContent, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-testid=provider-files] tr[data-file-id='{id}']")));
        Assert.Equal(id, Assert.Single(Store.Files).ProviderFileId);
    }

    [Fact]
    public async Task RefusedUpload_IsShownInWords_WithRetry_AndTheFileIsKept()
    {
        var cut = RenderReady();
        Choose(cut, Valid, "fault-429.jsonl");
        cut.WaitForAssertion(() => Assert.False(UploadButton(cut).HasAttribute("disabled")));

        await cut.ClickButtonAsync("Upload");

        cut.WaitForAssertion(() => Assert.Contains("wait 7 s before retrying", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal));
        Assert.Contains("can be uploaded again", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("button"), b => b.TextContent.Trim() == "Retry");
        var kept = Assert.Single(Store.Files);
        Assert.NotNull(kept.UploadError);
        cut.WaitForAssertion(() => Assert.Contains("not uploaded to openai-ft", cut.Find("[data-testid=kept-files] tr[data-file='fault-429.jsonl']").TextContent, StringComparison.Ordinal));
        Assert.Empty(Peer.UploadedFiles);
    }

    [Fact]
    public async Task DeletingAProviderFile_AsksFirst_ThenDeletesIt()
    {
        var cut = RenderReady();
        Choose(cut, Valid, "sums.jsonl");
        cut.WaitForAssertion(() => Assert.False(UploadButton(cut).HasAttribute("disabled")));
        await cut.ClickButtonAsync("Upload");
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=provider-files]")));
        var id = Assert.Single(Peer.UploadedFiles).Key;

        await cut.ClickLabelledAsync($"Delete: {id} from openai-ft");
        Assert.True(Peer.UploadedFiles.ContainsKey(id)); // only asked so far
        Assert.Contains($"Delete {id} from openai-ft?", cut.Find("[data-testid=provider-files]").TextContent, StringComparison.Ordinal);
        await cut.InvokeAsync(() => cut.Find($"[data-testid=provider-files] tr[data-file-id='{id}']").QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Delete").Click());

        cut.WaitForAssertion(() => Assert.Empty(Peer.UploadedFiles));
        cut.WaitForAssertion(() => Assert.Contains("No fine-tuning file on openai-ft", cut.Markup, StringComparison.Ordinal));
        Assert.Null(Assert.Single(Store.Files).ProviderFileId); // the kept copy stays, ready to upload again
    }

    [Fact]
    public void PreferenceMethod_FromTheUrl_ChecksPreferenceExamples()
    {
        var cut = RenderReady("fine-tuning/data?method=dpo");

        Choose(cut, Valid, "sums.jsonl");

        cut.WaitForAssertion(() => Assert.Contains("Every line is a supervised (messages) example", cut.Find("[data-testid=report-errors]").TextContent, StringComparison.Ordinal));
    }
}

/// <summary>The page with no connection that serves fine-tuning, and for a Reader.</summary>
public sealed class TrainingDataPageWithoutConnectionTests() : PortalBunitContext(services => services.AddSingleton<IFineTuningStore>(new MemoryFineTuningStore()), new Dictionary<string, string?>
{
    ["Portal:Auth:Mode"] = "Oidc",
    ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
    ["Portal:Auth:Oidc:ClientId"] = "portal-tests",
})
{
    [Fact]
    public void NoFineTuningConnection_SaysWhatToConfigure_AndAReaderCanStillCheckAFile()
    {
        User.Set("oidc:rita", "Reader");
        var cut = Render<TrainingData>();

        cut.WaitForAssertion(() => Assert.Contains("Settings → Connections", cut.Find("[data-testid=no-connection]").TextContent, StringComparison.Ordinal));
        Assert.Contains("OpenAI or Azure OpenAI", cut.Find("[data-testid=no-connection]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("{\"messages\": []}\n", "one.jsonl"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=report-errors]")));
        Assert.True(cut.FindAll("button").Single(b => b.TextContent.Trim() == "Upload").HasAttribute("disabled"));
    }
}
