using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A person starts a fine-tuning job on the OpenAI-style connection to the fine-tuning peer and follows it live to the
/// end: events arrive, the loss chart gains points, the fine-tuned model appears. A restart of the portal while a job
/// runs loses nothing: the job is followed again from where it is. (The training file is uploaded to the peer
/// directly here; the training data page has its own tests.)
/// </summary>
[Collection(FineTuningServerGroup.Name)]
public sealed class FineTuningJobsTests(FineTuningServerFixture server) : PortalPageTest(server)
{
    private FineTuningServerFixture FineTuning => (FineTuningServerFixture)Server;

    private const string TrainingLine = """{"messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "Let me look it up."}]}""";

    /// <summary>Uploads a training file to the peer's Files API, as the provider would have it.</summary>
    private async Task<string> UploadTrainingFileAsync(string name)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FineTuningServerFixture.PeerKey);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(TrainingLine + "\n" + TrainingLine + "\n")), "file", name },
        };
        using var response = await http.PostAsync(new Uri(FineTuning.Peer.V1, "files"), form);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Fills the new-job form (OpenAI connection, gpt-4o-mini, the file, 2 epochs, the suffix) and creates the job; returns the job page's address.</summary>
    private async Task<string> CreateJobAsync(string fileId, string fileName, string suffix)
    {
        await OpenInteractiveAsync("fine-tuning/new");
        await Field("Connection").SelectOptionAsync(FineTuningServerFixture.OpenAIConnection);
        await Field("Base model").SelectOptionAsync("gpt-4o-mini");
        var pick = Field("Training file (uploaded)");
        await Assertions.Expect(pick.Locator($"option[value='{fileId}']")).ToHaveTextAsync($"{fileName} ({fileId})");
        await pick.SelectOptionAsync(fileId);
        await Assertions.Expect(Field("Training file id")).ToHaveValueAsync(fileId);
        await Field("Epochs").FillAsync("2");
        await Field("Epochs").PressAsync("Tab");
        await Field("Suffix").FillAsync(suffix);
        await Field("Suffix").PressAsync("Tab");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create job" }).ClickAsync();
        await Page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/fine-tuning/jobs/[0-9a-f-]{36}$"));
        await WaitForCircuitAsync();
        return new Uri(Page.Url).AbsolutePath.TrimStart('/');
    }

    private ILocator Field(string label) => Page.GetByLabel(label, new() { Exact = true });

    private Task<int> TrainingPointsAsync() => Page.EvaluateAsync<int>(
        "() => { const p = document.querySelector(\"[data-testid=loss-chart] polyline[data-series$='training loss']\"); return p ? parseInt(p.getAttribute('data-points'), 10) : 0; }");

    private Task<int> EventCountAsync() => Page.Locator("[data-testid=events-table] tbody tr").CountAsync();

    [Fact]
    public async Task NewJob_FollowedLive_EventsArriveAndTheLossChartGrows_UntilSucceededWithTheModel()
    {
        var fileId = await UploadTrainingFileAsync("support-e2e.jsonl");
        await OpenInteractiveAsync("fine-tuning");
        await AssertAccessibleAsync("fine-tuning-jobs");

        var jobPath = await CreateJobAsync(fileId, "support-e2e.jsonl", "live-e2e");

        // Watch it: the chart's training line gains points and events arrive, as they happen.
        var points = new SortedSet<int>();
        var events = new SortedSet<int>();
        var status = Page.GetByTestId("job-status");
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!(await status.TextContentAsync() ?? "").Contains("Succeeded", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, "The job did not succeed within 60 s: " + await status.TextContentAsync());
            points.Add(await TrainingPointsAsync());
            events.Add(await EventCountAsync());
            await Task.Delay(150);
        }

        points.Add(await TrainingPointsAsync());
        events.Add(await EventCountAsync());
        Assert.True(points.Count(p => p > 0) >= 3, "The loss chart should grow step by step; seen: " + string.Join(", ", points));
        Assert.Equal(FineTuning.Peer.FineTuningSteps, points.Max);
        Assert.True(events.Count >= 3, "Events should arrive one after another; seen counts: " + string.Join(", ", events));
        await Assertions.Expect(Page.GetByTestId("fine-tuned-model")).ToContainTextAsync("ft:gpt-4o-mini:portal-peer:live-e2e:");
        await Assertions.Expect(Page.GetByTestId("events-table").Locator("tbody tr").First).ToContainTextAsync("successfully completed");
        await Assertions.Expect(Page.GetByTestId("checkpoints-table")).ToContainTextAsync("ckpt-step-9");
        await Assertions.Expect(Page.GetByTestId("hyperparameters")).ToContainTextAsync("2");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Cancel job" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync("fine-tuning-job");

        await OpenInteractiveAsync("fine-tuning");
        var row = Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "live-e2e" });
        await Assertions.Expect(row).ToContainTextAsync("Succeeded");
        await Assertions.Expect(row.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", jobPath);
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task NewJob_Form_IsAccessible_AndRefusesABadSuffixWithoutSending()
    {
        var sent = FineTuning.Peer.JobRequests.Count;
        await OpenInteractiveAsync("fine-tuning/new");
        await AssertAccessibleAsync("fine-tuning-new-job");

        await Field("Training file id").FillAsync("file-typed-by-hand");
        await Field("Training file id").PressAsync("Tab");
        await Field("Suffix").FillAsync("Not OK!");
        await Field("Suffix").PressAsync("Tab");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create job" }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("create-problems")).ToContainTextAsync("Not created");
        await Assertions.Expect(Page.Locator("#ft-suffix-help")).ToContainTextAsync("lower-case letters");
        await Assertions.Expect(Field("Suffix")).ToHaveValueAsync("Not OK!");
        Assert.Equal(sent, FineTuning.Peer.JobRequests.Count);
    }

    [Fact]
    public async Task PortalRestart_WhileAJobRuns_TheJobIsFollowedAgainToTheEnd()
    {
        var fileId = await UploadTrainingFileAsync("restart-e2e.jsonl");
        var jobPath = await CreateJobAsync(fileId, "restart-e2e.jsonl", "restart-e2e");
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await TrainingPointsAsync() < 2)
        {
            Assert.True(DateTime.UtcNow < until, "Training did not start within 30 s.");
            await Task.Delay(100);
        }

        try
        {
            // The job stays where it is at the provider while the portal is down, then goes on.
            FineTuning.Peer.HoldFineTuning = true;
            var before = await TrainingPointsAsync();
            await FineTuning.StopPortalAsync();
            await FineTuning.StartPortalAsync();
            FineTuning.Peer.HoldFineTuning = false;

            await Page.GotoAsync(FineTuning.BaseUrl + jobPath);
            await WaitForCircuitAsync();
            Assert.True(await TrainingPointsAsync() >= before, "What was stored before the restart is shown after it.");
            await Assertions.Expect(Page.GetByTestId("job-status")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
            Assert.Equal(FineTuning.Peer.FineTuningSteps, await TrainingPointsAsync());
            await Assertions.Expect(Page.GetByTestId("fine-tuned-model")).ToContainTextAsync("restart-e2e");
            await Assertions.Expect(Page.GetByTestId("follow-problem")).ToHaveCountAsync(0);
        }
        finally
        {
            FineTuning.Peer.HoldFineTuning = false;
        }
    }
}
