using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A person uploads a dataset, evaluates two models of the loopback peer on it (one right on sums, one always one
/// too many) with substring match and a judge, watches it run, reads the answers side by side, shows the result on
/// the benchmark dashboard and opens the trace of one answer. The HTTP API's start and read are covered against a
/// real host in Portal.Tests (EvaluationApiTests).
/// </summary>
[Collection(PlaygroundServerGroup.Name)]
public sealed partial class EvaluationTests(PlaygroundServerFixture server) : PortalPageTest(server)
{
    private PlaygroundServerFixture Playground => (PlaygroundServerFixture)Server;

    private static readonly string[] JudgedScorers = ["substring-match", "judge:relevance"];

    private static readonly (string Question, string Expected)[] Quiz =
    [
        ("What is 2 + 3?", "5"),
        ("What is 10 + 7?", "17"),
        ("What is 6 + 6?", "12"),
        ("What is 40 + 2?", "42"),
        ("What is the capital of France?", "Paris"),
    ];

    [Fact]
    public async Task UploadADataset_EvaluateTwoModels_WatchItRun_CompareTheAnswers_ShowItOnTheDashboard_AndOpenATrace()
    {
        var name = "Sums " + Guid.NewGuid().ToString("N")[..6];
        var file = await WriteDatasetAsync(name);
        var slower = Playground.Peer.TokenDelay;
        Playground.Peer.TokenDelay = TimeSpan.FromMilliseconds(120); // every answer takes about a second: progress can be seen
        try
        {
            // Upload, preview, save.
            await OpenInteractiveAsync("evaluations/datasets");
            await ChooseFileAsync(file);
            await Assertions.Expect(Page.GetByTestId("parse-summary")).ToContainTextAsync($"JSONL file, {Quiz.Length} rows");
            var preview = Page.GetByTestId("dataset-rows");
            await Assertions.Expect(preview).ToContainTextAsync("What is 2 + 3?");
            await Assertions.Expect(preview).ToContainTextAsync("Paris");
            await Page.GetByLabel("Dataset name").FillAsync(name);
            await Page.GetByRole(AriaRole.Button, new() { Name = "Save dataset" }).ClickAsync();

            // The dataset's page; from there, a new evaluation of it.
            await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
            await Assertions.Expect(Page.GetByTestId("dataset-rows")).ToContainTextAsync("What is 40 + 2?");
            await Page.GetByRole(AriaRole.Link, new() { Name = "Evaluate with this dataset" }).ClickAsync();
            await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/evaluations/new"));
            await WaitForCircuitAsync();
            await Assertions.Expect(Page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(new Regex(Regex.Escape(name)));

            await ChooseTargetAsync(0, "peer-quiz");
            await Page.GetByRole(AriaRole.Button, new() { Name = "Add a target" }).ClickAsync();
            await ChooseTargetAsync(1, "peer-quiz-off");
            await Page.GetByRole(AriaRole.Checkbox, new() { Name = "Substring match", Exact = true }).CheckAsync();
            await Page.GetByRole(AriaRole.Checkbox, new() { Name = "Relevance (judge)" }).CheckAsync();
            var judge = Page.GetByTestId("judge");
            await judge.GetByLabel("Connection").SelectOptionAsync(PlaygroundServerFixture.ConnectionName);
            await judge.GetByLabel("Model").FillAsync("peer-judge");
            await judge.GetByLabel("Model").DispatchEventAsync("change");
            await Page.GetByLabel("Concurrency per target").FillAsync("1");
            await Page.GetByLabel("Concurrency per target").BlurAsync();

            await ScreenshotAsync("evaluations-new-filled");

            // Record every count the page shows while the run goes on.
            await Page.GetByRole(AriaRole.Button, new() { Name = "Start evaluation" }).ClickAsync();
            await Assertions.Expect(Page).ToHaveURLAsync(RunPath());
            await WaitForCircuitAsync();
            await Page.EvaluateAsync("""
                () => {
                    window.__counts = [];
                    const record = () => {
                        const c = document.querySelector('[data-testid=run-counts]');
                        const text = c ? c.textContent.replace(/\s+/g, ' ').trim() : '';
                        if (text && window.__counts[window.__counts.length - 1] !== text) window.__counts.push(text);
                    };
                    record();
                    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
                }
                """);
            var total = Quiz.Length * 2;
            try
            {
                // Ten answers take seconds; the bound is for a 2-core machine running another test collection beside this one.
                await Assertions.Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("Completed", new() { Timeout = 120_000 });
            }
            catch (PlaywrightException ex)
            {
                var seen = await Page.EvaluateAsync<string[]>("() => window.__counts");
                throw new InvalidOperationException($"The run did not complete within 120 s; the counts it showed: {string.Join(" | ", seen)}", ex);
            }

            await Assertions.Expect(Page.GetByTestId("run-counts")).ToContainTextAsync($"{total} of {total} answers");
            var counts = await Page.EvaluateAsync<string[]>("() => window.__counts");
            var done = counts.Select(c => CountDone().Match(c)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.True(done.Any(d => d > 0 && d < total), $"The counts never showed a run part-way: {string.Join(" | ", counts)}");
            Assert.Equal(done.Order().ToList(), done); // they only go up
            var bar = Page.GetByRole(AriaRole.Progressbar, new() { Name = $"Progress: {total} of {total} answers" });
            await Assertions.Expect(bar).ToHaveAttributeAsync("aria-valuenow", "100");

            // The summary: each target's substring accuracy is what the dataset says it must be; the judge's 4 of 5.
            var summary = Page.GetByTestId("run-summary");
            await Assertions.Expect(summary.Locator("tr[data-target='0'] td[data-scorer='substring-match']")).ToContainTextAsync(Percent(Accuracy(off: false)));
            await Assertions.Expect(summary.Locator("tr[data-target='1'] td[data-scorer='substring-match']")).ToContainTextAsync(Percent(Accuracy(off: true)));
            await Assertions.Expect(summary.Locator("tr[data-target='0'] td[data-scorer='judge:relevance']")).ToContainTextAsync("4.00");

            // Row by row, both answers side by side.
            var rows = Page.GetByTestId("rows-table");
            var first = rows.Locator("tr[data-row='1']");
            await Assertions.Expect(first.Locator("td[data-target='0']")).ToContainTextAsync($"The answer is {Answer(Quiz[0].Question, off: false)}.");
            await Assertions.Expect(first.Locator("td[data-target='1']")).ToContainTextAsync($"The answer is {Answer(Quiz[0].Question, off: true)}.");
            await Assertions.Expect(rows.Locator($"tr[data-row='{Quiz.Length}'] td[data-target='0']")).ToContainTextAsync("I do not know.");

            // Shown on the benchmark dashboard, as measured here.
            await Page.GetByRole(AriaRole.Switch, new() { Name = "Show on benchmark dashboard" }).Or(Page.GetByRole(AriaRole.Checkbox, new() { Name = "Show on benchmark dashboard" })).First.CheckAsync();
            await Assertions.Expect(Page.GetByText("Show on benchmark dashboard")).ToBeVisibleAsync();
            var runUrl = Page.Url;
            await OpenInteractiveAsync("benchmarks");
            var measured = Page.GetByTestId("measured-here");
            var runName = await RunNameAsync(runUrl);
            await Assertions.Expect(measured).ToContainTextAsync(runName, new() { Timeout = 20_000 });
            await Assertions.Expect(measured).ToContainTextAsync("peer-quiz-off");
            await Assertions.Expect(measured).ToContainTextAsync(Percent(Accuracy(off: false)));
            await measured.ScrollIntoViewIfNeededAsync();
            await ScreenshotAsync("evaluations-measured-here");

            // A row's trace.
            await Page.GotoAsync(runUrl);
            await WaitForCircuitAsync();
            await Page.GetByTestId("rows-table").Locator("tr[data-row='1'] td[data-target='0']").GetByRole(AriaRole.Link, new() { Name = "View trace" }).ClickAsync();
            await Assertions.Expect(Page).ToHaveURLAsync(new Regex(@"/traces/[0-9a-f-]{36}$"));
            await Assertions.Expect(Page.GetByTestId("trace-messages")).ToContainTextAsync(Quiz[0].Question);
            await Assertions.Expect(Page.GetByTestId("trace-response")).ToContainTextAsync($"The answer is {Answer(Quiz[0].Question, off: false)}.");
            await Assertions.Expect(Page.GetByTestId("trace-facts")).ToContainTextAsync("evaluation");
            Assert.DoesNotContain(PlaygroundServerFixture.PeerKey, await Page.ContentAsync(), StringComparison.Ordinal);
            Assert.Empty(BrowserErrors);
        }
        finally
        {
            Playground.Peer.TokenDelay = slower;
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ACompareSession_SavedAsADataset_HasThePromptsAndTheChosenAnswers()
    {
        var quiz = Uri.EscapeDataString($"{PlaygroundServerFixture.ConnectionName}|peer-quiz");
        var off = Uri.EscapeDataString($"{PlaygroundServerFixture.ConnectionName}|peer-quiz-off");
        var question = $"What is {Random.Shared.Next(100, 999)} + 1?";
        await OpenInteractiveAsync($"playground/compare?pane={quiz}&pane={off}");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync(question);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        var right = $"The answer is {Answer(question, off: false)}.";
        await Assertions.Expect(Page.GetByTestId("pane-0").GetByTestId("answer")).ToContainTextAsync(right, new() { Timeout = 20_000 });
        await Assertions.Expect(Page.GetByTestId("pane-1").GetByTestId("answer")).ToContainTextAsync($"The answer is {Answer(question, off: true)}.", new() { Timeout = 20_000 });

        await Page.GetByRole(AriaRole.Button, new() { Name = "Save as dataset" }).ClickAsync();
        var dialog = Page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog.GetByTestId("dataset-prompts")).ToContainTextAsync(question);
        var name = "From compare " + Guid.NewGuid().ToString("N")[..6];
        await dialog.GetByLabel("Dataset name").FillAsync(name);
        await dialog.GetByLabel("Expected answer for prompt 1").SelectOptionAsync(new SelectOptionValue { Value = "0" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save dataset" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Open dataset" }).ClickAsync();

        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
        var row = Page.GetByTestId("dataset-rows").Locator("tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync(question);
        await Assertions.Expect(row).ToContainTextAsync(right);
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task AProbeFromTheModelPage_TimesItsRequests_AndKeepsTheResult()
    {
        await OpenInteractiveAsync("models/Phi-3-mini-4k-instruct");
        var probe = Page.GetByTestId("probe");
        await probe.GetByText("Run a probe").ClickAsync();
        await probe.GetByLabel("Connection").SelectOptionAsync(PlaygroundServerFixture.ConnectionName);
        var model = probe.GetByLabel("Model", new() { Exact = true });
        await model.FillAsync("peer-chat");
        await model.DispatchEventAsync("change");
        await probe.GetByLabel("Requests (N)").FillAsync("4");
        await probe.GetByLabel("Concurrency (C)").FillAsync("2");
        await probe.GetByLabel("Concurrency (C)").BlurAsync();
        await probe.GetByRole(AriaRole.Button, new() { Name = "Run probe" }).ClickAsync();

        var results = probe.GetByTestId("probe-results");
        await Assertions.Expect(results).ToContainTextAsync("peer-chat", new() { Timeout = 30_000 });
        await Assertions.Expect(results).ToContainTextAsync("0 of 4");
        await Assertions.Expect(results.GetByTestId("probe-source").First).ToContainTextAsync(PlaygroundServerFixture.ConnectionName);

        // Kept: the page shows it again after a reload.
        await OpenInteractiveAsync("models/Phi-3-mini-4k-instruct");
        await Assertions.Expect(Page.GetByTestId("probe-results")).ToContainTextAsync("peer-chat", new() { Timeout = 20_000 });
        Assert.DoesNotContain(PlaygroundServerFixture.PeerKey, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(BrowserErrors);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task AFinishedRunAndItsDataset_InEachTheme_HaveNoSeriousViolations_AndFitTheWindow(string theme)
    {
        var (runId, datasetId) = await StartRunThroughTheApiAsync("Sums for " + theme);
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);

        foreach (var path in new[] { $"evaluations/{runId}", $"evaluations/datasets/{datasetId}", "evaluations" })
        {
            await OpenInteractiveAsync(path);
            if (path.StartsWith("evaluations/" + runId, StringComparison.Ordinal))
            {
                await Assertions.Expect(Page.GetByTestId("run-status")).ToHaveTextAsync("Completed", new() { Timeout = 120_000 });
                await Assertions.Expect(Page.GetByTestId("rows-table")).ToBeVisibleAsync();
                // Two targets and two scorers fit the window: the summary needs no sideways scrolling to show its last column.
                var hidden = await Page.GetByRole(AriaRole.Region, new() { Name = "Summary per target", Exact = false }).First.EvaluateAsync<int>("e => e.scrollWidth - e.clientWidth");
                Assert.True(hidden <= 0, $"The summary hides {hidden} px to the right.");
            }
            else
            {
                await Assertions.Expect(Page.GetByRole(AriaRole.Table).First).ToBeVisibleAsync();
            }

            var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
            var serious = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();
            Assert.NotEmpty(result.Passes);
            Assert.True(serious.Count == 0, path + ": " + string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
            var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than the window.");
            var page = path == "evaluations" ? "runs" : path.Contains("datasets", StringComparison.Ordinal) ? "dataset" : "run";
            var shot = Path.Combine(AccessibilityTests.ScreenshotFolder, $"evaluations-{page}-{theme}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            await Page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        }

        Assert.Empty(BrowserErrors);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task ADatasetChosenForUpload_InEachTheme_IsNamedOnceAndHasNoSeriousViolations(string theme)
    {
        var file = await WriteDatasetAsync("Chosen " + theme);
        try
        {
            await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);
            await OpenInteractiveAsync("evaluations/datasets");
            await ChooseFileAsync(file);
            await Assertions.Expect(Page.GetByTestId("parse-summary")).ToContainTextAsync($"JSONL file, {Quiz.Length} rows");

            // The file's name is said once, beside the button, in the page's own colours.
            await Assertions.Expect(Page.GetByTestId("chosen-file")).ToContainTextAsync(Path.GetFileName(file));
            await Assertions.Expect(Page.GetByText(Path.GetFileName(file))).ToHaveCountAsync(1);
            await AssertAccessibleAsync($"evaluations-upload-chosen-{theme}");
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Empty(BrowserErrors);
    }

    /// <summary>Uploads the quiz and starts the same two-target run through the HTTP API, as the local user.</summary>
    private async Task<(string RunId, string DatasetId)> StartRunThroughTheApiAsync(string name)
    {
        var file = await WriteDatasetAsync(name);
        try
        {
            await OpenInteractiveAsync("evaluations/datasets");
            await ChooseFileAsync(file);
            await Page.GetByLabel("Dataset name").FillAsync(name);
            await Page.GetByRole(AriaRole.Button, new() { Name = "Save dataset" }).ClickAsync();
            await Assertions.Expect(Page).ToHaveURLAsync(new Regex(@"/evaluations/datasets/[0-9a-f-]{36}$"));
            var datasetId = Page.Url[(Page.Url.LastIndexOf('/') + 1)..];
            await Assertions.Expect(Page.GetByTestId("dataset-rows")).ToContainTextAsync("Paris");

            var response = await Page.APIRequest.PostAsync("api/evaluations", new()
            {
                DataObject = new
                {
                    name,
                    datasetId,
                    targets = new[]
                    {
                        new { connection = PlaygroundServerFixture.ConnectionName, model = "peer-quiz" },
                        new { connection = PlaygroundServerFixture.ConnectionName, model = "peer-quiz-off" },
                    },
                    scorers = JudgedScorers,
                    judge = new { connection = PlaygroundServerFixture.ConnectionName, model = "peer-judge" },
                },
            });
            Assert.True(response.Status == 202, $"POST /api/evaluations: {response.Status} {await response.TextAsync()}");
            using var body = JsonDocument.Parse(await response.TextAsync());
            return (body.RootElement.GetProperty("id").GetString()!, datasetId);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(AccessibilityTests.ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(AccessibilityTests.ScreenshotFolder, name + ".png"), FullPage = true });
    }

    private async Task ChooseTargetAsync(int index, string model)
    {
        var target = Page.GetByTestId($"target-{index}");
        await target.GetByLabel("Connection").SelectOptionAsync(PlaygroundServerFixture.ConnectionName);
        var box = target.GetByLabel("Model", new() { Exact = true });

        // Choosing the connection puts its first model in the box once the server answers; on a busy machine that can
        // land after the name is typed and replace it. Type the name again until it stays (at most three times).
        for (var attempt = 1; ; attempt++)
        {
            await box.FillAsync(model);
            await box.DispatchEventAsync("change");
            await Page.WaitForTimeoutAsync(500);
            if (await box.InputValueAsync() == model || attempt == 3)
            {
                break;
            }
        }

        await Assertions.Expect(box).ToHaveValueAsync(model);
    }

    private async Task<string> RunNameAsync(string runUrl)
    {
        var id = runUrl[(runUrl.LastIndexOf('/') + 1)..];
        var response = await Page.APIRequest.GetAsync($"api/evaluations/{id}");
        Assert.Equal(200, response.Status);
        using var body = JsonDocument.Parse(await response.TextAsync());
        return body.RootElement.GetProperty("name").GetString()!;
    }

    private static async Task<string> WriteDatasetAsync(string name)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name.Replace(' ', '-')}-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, Quiz.Select(q => JsonSerializer.Serialize(new { question = q.Question, expected = q.Expected })));
        return file;
    }

    /// <summary>What the peer answers (its documented behaviour): the sum, one too many when off, or null for a question with no sum.</summary>
    private static long? Answer(string question, bool off) =>
        Sum().Match(question) is { Success: true } m
            ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) + (off ? 1 : 0)
            : null;

    /// <summary>The share of rows whose answer contains the expected text.</summary>
    private static double Accuracy(bool off) =>
        Quiz.Count(q => (Answer(q.Question, off) is { } a ? $"The answer is {a}." : "I do not know.").Contains(q.Expected, StringComparison.Ordinal)) / (double)Quiz.Length;

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    [GeneratedRegex(@"(\d+) \+ (\d+)")]
    private static partial Regex Sum();

    [GeneratedRegex(@"^(\d+) of \d+ answers")]
    private static partial Regex CountDone();

    [GeneratedRegex(@"/evaluations/[0-9a-f-]{36}$")]
    private static partial Regex RunPath();
}
