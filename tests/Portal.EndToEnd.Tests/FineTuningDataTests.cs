using System.Text;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Training data in Chromium against the fine-tuning peer: an invalid file shows its errors by line and never reaches the
/// peer; a valid one is uploaded to openai-ft and listed with its file id; the page is accessible in both themes.
/// </summary>
[Collection(FineTuningServerGroup.Name)]
public sealed class FineTuningDataTests(FineTuningServerFixture server) : PortalPageTest(server)
{
    private FineTuningServerFixture FineTuning => (FineTuningServerFixture)Server;

    private static readonly string Valid = string.Join("\n", Enumerable.Range(1, 10).Select(i =>
        $$"""{"messages": [{"role": "system", "content": "Answer with the number."}, {"role": "user", "content": "What is {{i}} + {{i}}?"}, {"role": "assistant", "content": "{{i + i}}"}]}""")) + "\n";

    private static FilePayload Jsonl(string name, string content) => new() { Name = name, MimeType = "application/jsonl", Buffer = Encoding.UTF8.GetBytes(content) };

    [Fact]
    public async Task AnInvalidFile_ShowsItsErrorsByLine_AndNeverReachesThePeer_AValidOneIsUploadedAndListed()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        await Page.SetViewportSizeAsync(1440, 900);
        await OpenInteractiveAsync("fine-tuning/data?model=gpt-4o-mini");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Files on {FineTuningServerFixture.AzureConnection}" })).ToBeVisibleAsync();
        await Page.GetByLabel("Fine-tuning connection").SelectOptionAsync(new SelectOptionValue { Value = FineTuningServerFixture.OpenAIConnection });
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = $"Files on {FineTuningServerFixture.OpenAIConnection}" })).ToBeVisibleAsync();

        // An invalid file: its problems with their lines, Upload disabled with the reason.
        var bad = $"bad-{tag}.jsonl";
        var invalid = Valid + """{"messages": [{"role": "user", "content": "Hi"}]}""" + "\n" + """{"messages": [{"role": "user", "content": "Hi"}, {"role": "robot", "content": "Beep"}, {"role": "assistant", "content": "Hello"}]}""" + "\n";
        await ChooseFilesAsync(Jsonl(bad, invalid));
        var errors = Page.GetByRole(AriaRole.Table, new() { Name = "Problems in the file" });
        await Assertions.Expect(errors.GetByRole(AriaRole.Row).Filter(new() { HasText = "No assistant turn" })).ToContainTextAsync("11");
        await Assertions.Expect(errors.GetByRole(AriaRole.Row).Filter(new() { HasText = "unknown role \"robot\"" })).ToContainTextAsync("12");
        var upload = Page.GetByRole(AriaRole.Button, new() { Name = "Upload", Exact = true });
        await Assertions.Expect(upload).ToBeDisabledAsync();
        await Assertions.Expect(Page.GetByTestId("upload-why")).ToContainTextAsync("The file has problems");
        await AssertAccessibleAsync("fine-tuning-data-invalid-light");
        Assert.DoesNotContain(FineTuning.Peer.UploadedFiles.Values, f => f.FileName == bad);

        // A valid file: statistics, then uploaded to openai-ft and listed with its file id.
        var good = $"good-{tag}.jsonl";
        await ChooseFilesAsync(Jsonl(good, Valid));
        await Assertions.Expect(Page.GetByTestId("report-summary")).ToContainTextAsync("Valid: 10 examples");
        await Assertions.Expect(Page.GetByTestId("total-tokens")).ToContainTextAsync("estimated with the o200k_base tokenizer");
        await Assertions.Expect(upload).ToBeEnabledAsync();
        await upload.ClickAsync();

        await Assertions.Expect(Page.GetByTestId("upload-result")).ToContainTextAsync($"Uploaded to {FineTuningServerFixture.OpenAIConnection} as file-");
        var id = Assert.Single(FineTuning.Peer.UploadedFiles, f => f.Value.FileName == good).Key;
        await Assertions.Expect(Page.GetByTestId("upload-result")).ToContainTextAsync(id);
        await Assertions.Expect(Page.GetByTestId("upload-result").GetByRole(AriaRole.Link, new() { Name = "Start a fine-tuning job with this file" }))
            .ToHaveAttributeAsync("href", $"fine-tuning/new?connection={FineTuningServerFixture.OpenAIConnection}&trainingFile={Uri.EscapeDataString(id)}&model=gpt-4o-mini");
        var kept = Page.GetByRole(AriaRole.Table, new() { Name = "Your training files" }).GetByRole(AriaRole.Row).Filter(new() { HasText = good });
        await Assertions.Expect(kept).ToContainTextAsync($"to {FineTuningServerFixture.OpenAIConnection} as {id}");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = $"Files on {FineTuningServerFixture.OpenAIConnection}" })).ToContainTextAsync(id);
        Assert.DoesNotContain(FineTuning.Peer.UploadedFiles.Values, f => f.FileName == bad);
        await AssertAccessibleAsync("fine-tuning-data-uploaded-light");

        // The same page in the dark theme, with a report shown.
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = "dark", Url = Server.BaseUrl }]);
        await OpenInteractiveAsync($"fine-tuning/data?model=gpt-4o-mini&connection={FineTuningServerFixture.OpenAIConnection}");
        await Assertions.Expect(Page.GetByRole(AriaRole.Table, new() { Name = $"Files on {FineTuningServerFixture.OpenAIConnection}" })).ToContainTextAsync(id);
        await ChooseFilesAsync(Jsonl(bad, invalid));
        await Assertions.Expect(errors).ToBeVisibleAsync();
        await AssertAccessibleAsync("fine-tuning-data-dark");

        Assert.DoesNotContain(FineTuningServerFixture.PeerKey, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(BrowserErrors);
    }
}
