using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.FineTuning;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Two real jobs run to the end on the fine-tuning peer (one longer, so its losses end lower); the portal's store holds
/// them as its follower would (their events, metrics and checkpoints read from the peer). A person compares them in
/// Chromium, sees both side by side with the curves overlaid and the better one named, opens its model in the chat
/// playground and gets the peer's answer from the fine-tuned model.
/// </summary>
[Collection(FineTuningServerGroup.Name)]
public sealed class FineTuningCompareTests(FineTuningServerFixture server) : PortalPageTest(server)
{
    private const string Training = """
        {"messages": [{"role": "system", "content": "Answer as the support desk."}, {"role": "user", "content": "My invoice is wrong."}, {"role": "assistant", "content": "Sorry about that: send me its number and I will correct it."}]}
        {"messages": [{"role": "user", "content": "How do I reset my password?"}, {"role": "assistant", "content": "Use Forgot password on the sign-in page."}]}
        """;

    private FineTuningServerFixture FineTuning => (FineTuningServerFixture)Server;

    [Fact]
    public async Task CompareTwoFinishedJobs_TheBetterIsNamed_OpenItInChat_TheFineTunedModelAnswers()
    {
        var suffix = Guid.NewGuid().ToString("N")[..5];
        var (longer, shorter) = await RunTwoJobsAsync($"long{suffix}", $"short{suffix}");

        await OpenInteractiveAsync(FineTuningJobUrls.Compare([shorter.Id, longer.Id]));

        var table = Page.GetByRole(AriaRole.Table, new() { Name = "Jobs side by side" });
        await Assertions.Expect(table.GetByRole(AriaRole.Columnheader)).ToHaveCountAsync(2);
        await Assertions.Expect(table.GetByRole(AriaRole.Link, new() { Name = $"long{suffix} ({longer.ProviderJobId})" })).ToBeVisibleAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Link, new() { Name = $"short{suffix} ({shorter.ProviderJobId})" })).ToBeVisibleAsync();
        await Assertions.Expect(Page.Locator("[data-testid=loss-chart] svg[role=img] polyline")).ToHaveCountAsync(4);
        await Assertions.Expect(Page.GetByTestId("best-job")).ToContainTextAsync($"long{suffix} ({longer.ProviderJobId}) has the lowest final validation loss among the finished jobs: {FineTuningCompareText.Loss(Portal.TestPeers.OpenAiPeer.ValidLossAt(9, 0.5))}");
        await AssertAccessibleAsync("fine-tuning-compare-two-jobs");

        await Page.Locator($"[data-testid=fine-tuned-actions][data-job='{longer.Id}']").GetByRole(AriaRole.Link, new() { Name = "Open in chat" }).ClickAsync();

        await Page.WaitForURLAsync(url => url.Contains("/playground/chat?", StringComparison.Ordinal));
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.Locator("#chat-model")).ToHaveValueAsync(longer.FineTunedModel!);
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello fine-tuned model");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo: Hello fine-tuned model", new() { Timeout = 20_000 });
        Assert.Empty(BrowserErrors);
    }

    /// <summary>
    /// Starts two jobs on the peer (nine and five training steps, both with a validation file), waits until both
    /// succeeded, and stores them as the portal's follower would.
    /// </summary>
    private async Task<(FineTuningJobRow Longer, FineTuningJobRow Shorter)> RunTwoJobsAsync(string longer, string shorter)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var client = Server.Services.GetRequiredService<FineTuningClient>();
        var target = new InferenceTarget(FineTuningServerFixture.OpenAIConnection, ConnectionKind.OpenAI, FineTuning.Peer.V1, ConnectionAuth.ApiKey, FineTuningServerFixture.PeerKey);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(Training));
        var file = await client.UploadFileAsync(target, "support.jsonl", content, null, timeout.Token);
        var steps = FineTuning.Peer.FineTuningSteps;
        FineTuningJob a, b;
        try
        {
            FineTuning.Peer.FineTuningSteps = 9;
            a = await client.CreateJobAsync(target, new("gpt-4o-mini", file.Id, file.Id, FineTuningMethod.Supervised, new(HyperValue.Of(3), HyperValue.Of(2), HyperValue.Of(0.5)), 7, longer), timeout.Token);
            FineTuning.Peer.FineTuningSteps = 5;
            b = await client.CreateJobAsync(target, new("gpt-4o-mini", file.Id, file.Id, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, shorter), timeout.Token);
        }
        finally
        {
            FineTuning.Peer.FineTuningSteps = steps;
        }

        var store = Server.Services.GetRequiredService<IFineTuningStore>();
        var rows = new List<FineTuningJobRow>();
        foreach (var job in new[] { a, b })
        {
            var done = await client.GetJobAsync(target, job.Id, timeout.Token);
            while (!done.State.IsFinal())
            {
                await Task.Delay(250, timeout.Token);
                done = await client.GetJobAsync(target, job.Id, timeout.Token);
            }

            Assert.Equal(FineTuningState.Succeeded, done.State);
            var events = (await client.ListEventsAsync(target, job.Id, null, 100, timeout.Token)).Data;
            var checkpoints = (await client.ListCheckpointsAsync(target, job.Id, null, 100, timeout.Token)).Data;
            var row = new FineTuningJobRow
            {
                Id = Guid.NewGuid(),
                OwnerId = "e2e",
                OwnerName = "e2e",
                Connection = FineTuningServerFixture.OpenAIConnection,
                ProviderJobId = done.Id,
                BaseModel = done.Model,
                HyperparametersJson = FineTuningRowJson.WriteHyperparameters(done.Hyperparameters),
                Seed = done.Seed,
                Suffix = done.Suffix,
                TrainingFileId = done.TrainingFile,
                TrainingFileName = "support.jsonl",
                ValidationFileId = done.ValidationFile,
                Status = done.Status,
                State = done.State.ToString(),
                FineTunedModel = done.FineTunedModel,
                TrainedTokens = done.TrainedTokens,
                MetricsJson = FineTuningRowJson.Write(events.Where(e => e.Metrics is not null).Select(e => e.Metrics!).OrderBy(m => m.Step).ToList()),
                EventsJson = FineTuningRowJson.Write(events),
                CheckpointsJson = FineTuningRowJson.Write(checkpoints),
                CreatedUtc = done.CreatedAt ?? DateTimeOffset.UtcNow,
                FinishedUtc = done.FinishedAt,
                UpdatedUtc = DateTimeOffset.UtcNow,
            };
            await store.AddJobAsync(row, timeout.Token);
            rows.Add(row);
        }

        return (rows[0], rows[1]);
    }
}
