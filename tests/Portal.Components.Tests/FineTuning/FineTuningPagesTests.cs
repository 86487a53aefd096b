using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Web.Components.Pages.FineTuning;
using Portal.Web.FineTuning;

namespace Portal.Components.Tests.FineTuning;

/// <summary>The fine-tuning pages with the real service against the fine-tuning peer, as the local Owner (sign-in off).</summary>
public sealed class FineTuningPagesTests() : FineTuningBunitContext(peer => [OpenAI(peer)])
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private InferenceTarget Target => new("openai-ft", ConnectionKind.OpenAI, Peer.V1, ConnectionAuth.ApiKey, Key);

    private async Task<string> UploadAsync()
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"}]}\n"));
        return (await Services.GetRequiredService<FineTuningClient>().UploadFileAsync(Target, "support.jsonl", content, null, CancellationToken.None)).Id;
    }

    private FineTuningJobRow Seed(string state, string? suffix = null, Action<FineTuningJobRow>? change = null)
    {
        var row = new FineTuningJobRow
        {
            Id = Guid.NewGuid(),
            OwnerId = User.Id,
            OwnerName = "tester",
            Connection = "openai-ft",
            ProviderJobId = "ftjob-" + Guid.NewGuid().ToString("N")[..8],
            CatalogModelId = "gpt-4o-mini",
            BaseModel = "gpt-4o-mini-2024-07-18",
            Suffix = suffix,
            TrainingFileId = "file-train",
            Status = state.ToLowerInvariant(),
            State = state,
            HyperparametersJson = FineTuningRowJson.WriteHyperparameters(new(HyperValue.Of(2), HyperValue.Automatic, HyperValue.Of(0.5))),
            CreatedUtc = new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero),
            UpdatedUtc = new DateTimeOffset(2026, 11, 22, 11, 0, 0, TimeSpan.Zero),
        };
        change?.Invoke(row);
        Jobs.AddJobAsync(row, CancellationToken.None).GetAwaiter().GetResult();
        return row;
    }

    [Fact]
    public async Task JobsList_ShowsStatusInWords_AndLinksTheComparisonOfTheSelectedJobs()
    {
        var done = Seed("Succeeded", "support-v1", r => { r.FineTunedModel = "ft:gpt-4o-mini:org:support-v1:abc"; r.FinishedUtc = r.CreatedUtc.AddMinutes(42); });
        var running = Seed("Running", "support-v2");
        var failed = Seed("Failed");

        var cut = Render<FineTuningJobs>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=jobs-table] tbody tr").Count), Wait);
        var doneRow = cut.Find($"tr[data-job='{done.ProviderJobId}']");
        Assert.Contains("Succeeded", doneRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("42 min", doneRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("ft:gpt-4o-mini:org:support-v1:abc", doneRow.TextContent, StringComparison.Ordinal);
        Assert.Equal(FineTuningJobUrls.Job(done.Id), doneRow.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("Running", cut.Find($"tr[data-job='{running.ProviderJobId}']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Failed", cut.Find($"tr[data-job='{failed.ProviderJobId}']").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=compare-link]"));

        await cut.ChangeAsync($"#select-{done.Id:N}", true);
        Assert.Contains("Select 2–4 jobs", cut.Find("[data-testid=compare-hint]").TextContent, StringComparison.Ordinal);
        await cut.ChangeAsync($"#select-{running.Id:N}", true);

        Assert.Equal($"fine-tuning/compare?jobs={done.Id},{running.Id}", cut.Find("[data-testid=compare-link]").GetAttribute("href"));
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "fine-tuning/new" && a.TextContent.Contains("New job", StringComparison.Ordinal));
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "fine-tuning/data" && a.TextContent.Contains("Training data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JobsList_ImportJobs_AddsTheConnectionsJobsNotFollowedYet()
    {
        var file = await UploadAsync();
        var job = await Services.GetRequiredService<FineTuningClient>().CreateJobAsync(Target,
            new FineTuningJobRequest("gpt-4o-mini", file, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, "from-elsewhere"), CancellationToken.None);
        var cut = Render<FineTuningJobs>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=empty]")), Wait);

        await cut.ClickButtonAsync("Import jobs");

        cut.WaitForAssertion(() => Assert.Equal("Imported 1 job from 'openai-ft'.", cut.Find("[data-testid=import-result]").TextContent), Wait);
        cut.WaitForAssertion(() => Assert.Contains("from-elsewhere", cut.Find($"tr[data-job='{job.Id}']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(job.Id, Jobs.All.Single().ProviderJobId);
    }

    [Fact]
    public void JobsList_Empty_SaysWhatToDo()
    {
        var cut = Render<FineTuningJobs>();

        cut.WaitForAssertion(() => Assert.Contains("Upload a training file under Training data, then choose New job", cut.Find("[data-testid=empty]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindAll("[data-testid=no-connection]"));
    }

    [Fact]
    public async Task NewJob_InvalidNumbers_AreMarkedOnTheirFields_AndNothingIsSent()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(FineTuningJobUrls.NewJob(model: "gpt-4o"));
        var cut = Render<NewFineTuningJob>();
        cut.WaitForAssertion(() => Assert.Equal("gpt-4o", cut.Find("#ft-base-model option[selected]").GetAttribute("value")), Wait);

        await cut.ChangeAsync("#ft-training", "file-abc");
        await cut.ChangeAsync("#ft-epochs", "0");
        await cut.ChangeAsync("#ft-batch", "many");
        await cut.ChangeAsync("#ft-suffix", "Has Spaces");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Contains("Not created: one thing needs fixing", cut.Find("[data-testid=create-problems]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("whole number", cut.Find("#ft-batch-help").TextContent, StringComparison.Ordinal);
        Assert.Equal("true", cut.Find("#ft-batch").GetAttribute("aria-invalid"));
        Assert.Empty(Peer.JobRequests);

        // Fix the batch size: the service's own checks mark the rest, still sending nothing.
        await cut.ChangeAsync("#ft-batch", "");
        await cut.SubmitAsync("form");
        cut.WaitForAssertion(() => Assert.Contains("Not created: 2 things need fixing", cut.Find("[data-testid=create-problems]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("1–50", cut.Find("#ft-epochs-help").TextContent, StringComparison.Ordinal);
        Assert.Equal("false", cut.Find("#ft-batch").GetAttribute("aria-invalid"));
        Assert.Contains("lower-case", cut.Find("#ft-suffix-help").TextContent, StringComparison.Ordinal);
        Assert.Empty(Peer.JobRequests);
        Assert.Equal("Has Spaces", cut.Find("#ft-suffix").GetAttribute("value"));
    }

    [Fact]
    public async Task NewJob_ProviderRefuses_ShowsItsWords_AndKeepsTheForm()
    {
        var file = await UploadAsync();
        var cut = Render<NewFineTuningJob>();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("#ft-training-pick option"), o => o.TextContent == $"support.jsonl ({file})"), Wait);

        await cut.ChangeAsync("#ft-training-pick", file);
        await cut.ChangeAsync("#ft-epochs", "3");
        await cut.ChangeAsync("#ft-suffix", "fault-400");
        await cut.SubmitAsync("form");

        cut.WaitForAssertion(() => Assert.Contains("must have at least 10 examples", cut.Find("[data-testid=create-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(file, cut.Find("#ft-training").GetAttribute("value"));
        Assert.Equal("3", cut.Find("#ft-epochs").GetAttribute("value"));
        Assert.Equal("fault-400", cut.Find("#ft-suffix").GetAttribute("value"));
        Assert.Empty(Jobs.All);
    }

    [Fact]
    public async Task NewJob_Created_OpensTheJobPage()
    {
        var file = await UploadAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo(FineTuningJobUrls.NewJob(trainingFile: file));
        var cut = Render<NewFineTuningJob>();
        cut.WaitForAssertion(() => Assert.Equal(file, cut.Find("#ft-training").GetAttribute("value")), Wait);

        await cut.ChangeAsync("#ft-suffix", "support");
        await cut.SubmitAsync("form");

        var navigation = Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.Single(Jobs.All), Wait);
        var job = Jobs.All.Single();
        cut.WaitForAssertion(() => Assert.EndsWith(FineTuningJobUrls.Job(job.Id), navigation.Uri, StringComparison.Ordinal), Wait);
        Assert.Equal("support", job.Suffix);
        Assert.Equal("gpt-4o-mini-2024-07-18", job.BaseModel);
        Assert.Equal("support.jsonl", Peer.UploadedFiles[job.TrainingFileId].FileName);
    }

    [Fact]
    public void JobPage_ShowsProgressEventsCheckpointsAndTheLossChart()
    {
        var metrics = Enumerable.Range(1, 3).Select(s => new MetricPoint(s, OpenAiPeer.TrainLossAt(s), OpenAiPeer.ValidLossAt(s), null, null, TotalSteps: 6)).ToList();
        List<FineTuningEvent> events =
        [
            new("ev-3", DateTimeOffset.FromUnixTimeSeconds(1_790_000_030), "info", "Step 3/6: training loss=1.0", "metrics", metrics[2]),
            new("ev-2", DateTimeOffset.FromUnixTimeSeconds(1_790_000_020), "info", "Fine-tuning job started", "message", null),
            new("ev-1", DateTimeOffset.FromUnixTimeSeconds(1_790_000_010), "warn", "Validating training file: file-train", "message", null),
        ];
        var row = Seed("Running", "support", r =>
        {
            r.MetricsJson = FineTuningRowJson.Write(metrics);
            r.EventsJson = FineTuningRowJson.Write(events);
            r.CheckpointsJson = FineTuningRowJson.Write(new List<FineTuningCheckpoint> { new("ck-3", null, "ft:gpt-4o-mini:org:support:ckpt-step-3", 3, new Dictionary<string, double> { ["full_valid_loss"] = 0.9 }) });
        });

        var cut = Render<FineTuningJobPage>(p => p.Add(x => x.Id, row.Id));

        cut.WaitForAssertion(() => Assert.Contains("Training: step 3 of 6.", cut.Find("[data-testid=job-status]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(["Step 3/6: training loss=1.0", "Fine-tuning job started", "Validating training file: file-train"],
            cut.FindAll("[data-testid=events-table] tbody tr td:last-child").Select(td => td.TextContent));
        Assert.Equal("warn", cut.FindAll("[data-testid=events-table] tbody tr")[2].GetAttribute("data-level"));
        Assert.Equal(["3", "3"], cut.FindAll("[data-testid=loss-chart] polyline").Select(p => p.GetAttribute("data-points")));
        Assert.Contains("ckpt-step-3", cut.Find("[data-testid=checkpoints-table]").TextContent, StringComparison.Ordinal);
        Assert.Contains("2", cut.Find("[data-testid=hyperparameters]").TextContent, StringComparison.Ordinal);
        Assert.Contains("automatic", cut.Find("[data-testid=hyperparameters]").TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "Cancel job");
    }

    [Fact]
    public void JobPage_FailedJob_ShowsTheErrorAndTheReadingProblemInWords_WithoutCancel()
    {
        var row = Seed("Failed", change: r =>
        {
            r.Error = "Fine-tuning failed: the training loss diverged at step 5.";
            r.FollowProblem = "The provider is limiting requests (429): the portal waits 7 s before reading this job again.";
            r.FinishedUtc = r.CreatedUtc.AddMinutes(3);
        });

        var cut = Render<FineTuningJobPage>(p => p.Add(x => x.Id, row.Id));

        cut.WaitForAssertion(() => Assert.Contains("The job failed: Fine-tuning failed: the training loss diverged at step 5.", cut.Find("[data-testid=job-error]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("waits 7 s", cut.Find("[data-testid=follow-problem]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Cancel job");
        Assert.Contains("No metrics yet", cut.Find("[data-testid=loss-chart]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobPage_Cancel_AsksFirst_KeepingRunsOnKeep_CancelsOnConfirm()
    {
        var file = await UploadAsync();
        var job = await Services.GetRequiredService<FineTuningClient>().CreateJobAsync(Target,
            new FineTuningJobRequest("gpt-4o-mini", file, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, "support"), CancellationToken.None);
        var row = Seed("Queued", "support", r => r.ProviderJobId = job.Id);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<FineTuningJobPage>(p => p.Add(x => x.Id, row.Id));
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "Cancel job"), Wait);

        await cut.ClickButtonAsync("Cancel job");
        dialogs.WaitForAssertion(() => Assert.Contains("Cancel this fine-tuning job?", dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal), Wait);
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Keep running");
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[role=dialog]")), Wait);
        Assert.NotEqual("cancelled", Peer.JobStatus(job.Id));

        await cut.ClickButtonAsync("Cancel job");
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll("[role=dialog]")), Wait);
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Cancel job");

        cut.WaitForAssertion(() => Assert.Contains("Cancelled", cut.Find("[data-testid=job-status]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("cancelled", Peer.JobStatus(job.Id));
        Assert.Equal("Cancelled", Jobs.All.Single().State);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Cancel job");
    }
}

/// <summary>The fine-tuning pages when no connection serves fine-tuning (only an OpenAI-compatible one).</summary>
public sealed class FineTuningNoConnectionTests() : FineTuningBunitContext(peer =>
    [new() { Name = "compat", Kind = "OpenAICompatible", Endpoint = peer.V1.AbsoluteUri, ApiKey = Key, Models = ["gpt-4o-mini"] }])
{
    [Fact]
    public void JobsAndNewJob_SayWhatToConfigure()
    {
        var list = Render<FineTuningJobs>();
        var form = Render<NewFineTuningJob>();

        list.WaitForAssertion(() => Assert.Contains("kind OpenAI or Azure OpenAI", list.Find("[data-testid=no-connection]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("settings/connections", list.Find("[data-testid=no-connection] a").GetAttribute("href"));
        form.WaitForAssertion(() => Assert.Contains("Settings → Connections", form.Find("[data-testid=no-connection]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(form.FindAll("form"));
    }
}
