using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Components.Pages.Benchmarks;
using Portal.Web.Components.Pages.Evaluations;
using Portal.Web.Evaluations;

namespace Portal.Components.Tests.Evaluations;

/// <summary>The evaluation pages against in-memory evaluation services, as the local Owner (sign-in off).</summary>
public sealed class EvaluationPagesTests : PortalBunitContext
{
    private static IElement Button<T>(IRenderedComponent<T> cut, string text) where T : IComponent =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static bool HasButton<T>(IRenderedComponent<T> cut, string text) where T : IComponent =>
        cut.FindAll("button, a").Any(b => b.TextContent.Trim() == text);

    /// <summary>Opens the address first, as a person following a link would, so the page reads its query.</summary>
    private void At(string relative) => Services.GetRequiredService<NavigationManager>().NavigateTo(relative);

    [Fact]
    public void Upload_FileWithProblems_ListsEveryProblemWithItsRow_AndOffersNoSave()
    {
        DatasetService.Parse = (_, _) => new DatasetParseResult("jsonl", ["question", "expected"], [],
            [new DatasetProblem(2, null, "Line 2 is not valid JSON: expected '}'."), new DatasetProblem(5, "question", "The input is empty.")], 6);

        var cut = Render<Datasets>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("{\"question\":\"a\"}\n{oops\n", "bad.jsonl"));

        cut.WaitForAssertion(() => Assert.Contains("Not saved: 2 problems found", cut.Markup, StringComparison.Ordinal));
        var problems = cut.FindAll("[data-testid=parse-problems] tbody tr").Select(r => r.Children.Select(c => c.TextContent).ToArray()).ToList();
        Assert.Equal(["2", "—", "Line 2 is not valid JSON: expected '}'."], problems[0]);
        Assert.Equal(["5", "question", "The input is empty."], problems[1]);
        Assert.Contains("question, expected", cut.Find("[data-testid=parse-summary]").TextContent, StringComparison.Ordinal);
        Assert.False(HasButton(cut, "Save dataset"));
        Assert.Empty(DatasetService.Saved);
    }

    [Fact]
    public async Task Upload_ValidFile_PreviewsRowsAndColumns_ThenSavesUnderTheName()
    {
        DatasetService.Parse = (_, _) => new DatasetParseResult("csv", ["question", "expected", "topic"],
            [new DatasetRow(1, new DatasetInput("What is 2 + 3?", null), "5", new Dictionary<string, string> { ["topic"] = "sums" })], [], 1);

        var cut = Render<Datasets>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("question,expected,topic\nWhat is 2 + 3?,5,sums\n", "sums.csv"));

        cut.WaitForAssertion(() => Assert.Contains("What is 2 + 3?", cut.Find("[data-testid=dataset-rows]").TextContent, StringComparison.Ordinal));
        Assert.Contains("topic: sums", cut.Find("[data-testid=dataset-rows]").TextContent, StringComparison.Ordinal);
        Assert.Contains("question, expected, topic", cut.Find("[data-testid=parse-summary]").TextContent, StringComparison.Ordinal);
        await cut.ClickButtonAsync("Save dataset");

        cut.WaitForAssertion(() => Assert.Single(DatasetService.Saved));
        Assert.Equal(("sums", "sums.csv", (Guid?)null), (DatasetService.Saved[0].Name, DatasetService.Saved[0].FileName, DatasetService.Saved[0].AddVersionTo));
        Assert.StartsWith("question,expected,topic", DatasetService.Saved[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Upload_TooLarge_SaysTheLimit_WithoutReadingIt()
    {
        var cut = Render<Datasets>();
        var big = new string('x', (int)DatasetLimits.MaxBytes + 10);
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(big, "huge.jsonl"));

        cut.WaitForAssertion(() => Assert.Contains($"at most {DatasetLimits.MaxBytes / 1024 / 1024} MB", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=parse-summary]"));
    }

    [Fact]
    public async Task DatasetDetails_Delete_AsksFirst_ThenDeletes()
    {
        var dataset = DatasetService.Add("arith");
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<DatasetDetails>(p => p.Add(x => x.Id, dataset.Id));

        cut.WaitForAssertion(() => Assert.Contains("Download v1", cut.Find("[data-testid=dataset-versions]").TextContent, StringComparison.Ordinal));
        Assert.Equal(EvaluationUrls.DatasetDownload(dataset.Id, 1), cut.FindAll("[data-testid=dataset-versions] a").Single(a => a.TextContent.Contains("Download v1", StringComparison.Ordinal)).GetAttribute("href"));
        await cut.ClickButtonAsync("Delete dataset");
        dialogs.WaitForAssertion(() => Assert.Contains("Delete 'arith'", dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal));
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Delete");

        cut.WaitForAssertion(() => Assert.Equal([dataset.Id], DatasetService.Deleted));
    }

    [Fact]
    public async Task NewEvaluation_ServiceProblems_AreShownNextToTheirFields()
    {
        var dataset = DatasetService.Add("arith");
        EvaluationService.Problems = new Dictionary<string, string[]>
        {
            ["targets[1].model"] = ["Choose a model for target 2."],
            ["judge.connection"] = ["There is no connection named 'gone'."],
            ["somethingElse"] = ["The run would be too large."],
        };
        At(EvaluationUrls.NewRun(dataset.Id));
        var cut = Render<NewEvaluation>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=target-0]")));
        await cut.InvokeAsync(() => Button(cut, "Add a target").Click());
        await cut.InvokeAsync(() => cut.FindAll("li[data-scorer='substring-match'] input[type=checkbox]").Single().Change(true));
        await cut.InvokeAsync(() => cut.FindAll("li[data-scorer='judge:relevance'] input[type=checkbox]").Single().Change(true));

        Assert.Equal("Rate the relevance of the ANSWER to the QUESTION from 1 to 5.", cut.Find("#prompt-judge\\:relevance").GetAttribute("value") ?? cut.Find("#prompt-judge\\:relevance").TextContent);
        await cut.SubmitAsync("form.ev-form");

        cut.WaitForAssertion(() => Assert.Contains("Choose a model for target 2.", cut.Find("[data-testid=target-1]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("Choose a model for target 2.", cut.Find("[data-testid=target-0]").TextContent, StringComparison.Ordinal);
        Assert.Contains("There is no connection named 'gone'.", cut.Find("[data-testid=judge]").TextContent, StringComparison.Ordinal);
        Assert.Contains("The run would be too large.", cut.Find("[data-testid=start-problems]").TextContent, StringComparison.Ordinal);
        var spec = Assert.Single(EvaluationService.Started);
        Assert.Equal(dataset.Id, spec.DatasetId);
        Assert.Equal("arith 2026-11-22", spec.Name);
        Assert.Equal(2, spec.Targets.Count);
        Assert.Equal(["substring-match", "judge:relevance"], spec.Scorers);
        Assert.NotNull(spec.Judge);
        Assert.Null(spec.JudgePrompts); // unchanged from the default: not sent
    }

    [Fact]
    public async Task NewEvaluation_RegexWithoutPattern_IsRefusedOnThePage()
    {
        DatasetService.Add("arith");
        var cut = Render<NewEvaluation>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("li[data-scorer=regex]")));
        await cut.ChangeAsync("li[data-scorer=regex] input[type=checkbox]", true);
        await cut.SubmitAsync("form.ev-form");

        cut.WaitForAssertion(() => Assert.Contains("Give the pattern for Regex.", cut.Find("li[data-scorer=regex]").TextContent, StringComparison.Ordinal));
        Assert.Empty(EvaluationService.Started);
    }

    [Fact]
    public async Task Run_ProgressMovesOnChanged_AndUnsubscribesWhenGone()
    {
        EvaluationRun.Coalesce = TimeSpan.FromMilliseconds(20);
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Running, new EvaluationCounts(8, 1, 0, 7), ["substring-match"], "tester", "peer-quiz", "peer-quiz-off");
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => Assert.Contains("1 succeeded", cut.Find("[data-testid=run-counts]").TextContent, StringComparison.Ordinal));
        Assert.Contains("7 pending", cut.Find("[data-testid=run-counts]").TextContent, StringComparison.Ordinal);
        var summary = cut.Find("tr[data-target='0']").TextContent;
        Assert.Contains("400 / 120 (estimated)", summary, StringComparison.Ordinal);
        Assert.Contains("1 ok, 7 to go", summary, StringComparison.Ordinal);

        EvaluationService.Runs[run.Id] = run with { Counts = new EvaluationCounts(8, 5, 2, 1) };
        EvaluationService.RaiseChanged(run.Id);

        cut.WaitForAssertion(() => Assert.Contains("5 succeeded, 2 failed, 1 pending", cut.Find("[data-testid=run-counts]").TextContent, StringComparison.Ordinal));
        Assert.Equal(1, EvaluationService.Subscribers);
        await DisposeComponentsAsync();
        Assert.Equal(0, EvaluationService.Subscribers);
    }

    [Fact]
    public void Run_ManyChangesAtOnce_AreReadOnce()
    {
        EvaluationRun.Coalesce = TimeSpan.FromMilliseconds(200);
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Running, new EvaluationCounts(8, 1, 0, 7), ["substring-match"], "tester", "peer-quiz");
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=run-counts]")));
        var before = EvaluationService.Reads;

        for (var i = 0; i < 20; i++)
        {
            EvaluationService.RaiseChanged(run.Id);
        }

        cut.WaitForAssertion(() => Assert.Equal(before + 1, EvaluationService.Reads), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Run_DisagreeFilter_ShowsOnlyRowsWhereTargetsDiffer_WithAnswersSideBySide()
    {
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Completed, new EvaluationCounts(6, 5, 1, 0), ["substring-match"], "tester", "peer-quiz", "peer-quiz-off");
        var trace = Guid.NewGuid();
        RowCell Cell(int target, double? value, string answer, CellStatus status = CellStatus.Succeeded, string? error = null, Guid? traceId = null) =>
            new(target, status, answer, error, 100, 300, 10, 5, true, null, value is null ? [] : [new ScoreValue("substring-match", value, null, null)], traceId);
        EvaluationService.RowResults[run.Id] =
        [
            new(1, new DatasetInput("What is 1 + 1?", null), "2", [Cell(0, 1, "The answer is 2.", traceId: trace), Cell(1, 0, "The answer is 3.")]),
            new(2, new DatasetInput("What is 2 + 2?", null), "4", [Cell(0, 1, "The answer is 4."), Cell(1, 1, "The answer is 4.")]),
            new(3, new DatasetInput("What is 3 + 3?", null), "6", [Cell(0, 1, "The answer is 6."), Cell(1, null, "", CellStatus.Failed, "HTTP 500 from the endpoint")]),
        ];

        At(EvaluationUrls.Run(run.Id) + "?show=disagree");
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Equal(["1", "3"], cut.FindAll("[data-testid=rows-table] tbody tr").Select(r => r.GetAttribute("data-row") ?? "").ToArray()));
        var first = cut.Find("[data-testid=rows-table] tbody tr[data-row='1']");
        Assert.Contains("The answer is 2.", first.QuerySelector("td[data-target='0']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("The answer is 3.", first.QuerySelector("td[data-target='1']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(EvaluationUrls.Trace(trace), first.QuerySelector("td[data-target='0'] a")!.GetAttribute("href"));
        Assert.Contains("View trace", first.QuerySelector("td[data-target='0'] a")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("HTTP 500 from the endpoint", cut.Find("tr[data-row='3'] [data-testid=cell-error]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Rows 1–2 of 2 (of 3 in the run)", cut.Find("[data-testid=rows-count]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongFilterAndSearch_NarrowTheRows()
    {
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Completed, new EvaluationCounts(4, 4, 0, 0), ["substring-match"], "tester", "a", "b");
        RowCell Cell(int target, double value, string answer) => new(target, CellStatus.Succeeded, answer, null, 1, 2, 1, 1, false, null, [new ScoreValue("substring-match", value, null, null)], null);
        EvaluationService.RowResults[run.Id] =
        [
            new(1, new DatasetInput("apples", null), "x", [Cell(0, 0, "no"), Cell(1, 1, "x")]),
            new(2, new DatasetInput("pears", null), "y", [Cell(0, 1, "y"), Cell(1, 0, "no")]),
        ];

        At(EvaluationUrls.Run(run.Id) + "?show=wrong:1");
        var wrong = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));
        wrong.WaitForAssertion(() => Assert.Equal(["2"], wrong.FindAll("[data-testid=rows-table] tbody tr").Select(r => r.GetAttribute("data-row") ?? "").ToArray()));

        At(EvaluationUrls.Run(run.Id) + "?q=APPLE");
        var search = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));
        search.WaitForAssertion(() => Assert.Equal(["1"], search.FindAll("[data-testid=rows-table] tbody tr").Select(r => r.GetAttribute("data-row") ?? "").ToArray()));
    }

    [Fact]
    public void Run_Summary_ShowsMeansWithIntervals_LatencyTokensAndLabelledCost()
    {
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Completed, new EvaluationCounts(8, 8, 0, 0), ["substring-match", "judge:relevance"], "tester", "peer-quiz", "peer-quiz-off");
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=run-summary]")));
        var summary = cut.Find("[data-testid=run-summary]").TextContent;
        Assert.Contains("50 %", summary, StringComparison.Ordinal);
        Assert.Contains("95 % CI 30 %–70 %", summary, StringComparison.Ordinal);
        Assert.Contains("0.75", summary, StringComparison.Ordinal); // the judge's 1–5 mean for target 2
        Assert.Contains("120 ms / 180 ms", summary, StringComparison.Ordinal);
        Assert.Contains("(estimated)", summary, StringComparison.Ordinal);
        Assert.Contains("estimate, unofficial community price", summary, StringComparison.Ordinal);
        Assert.Equal(2, cut.FindAll("[data-testid=score-charts] figure").Count);
    }

    [Fact]
    public async Task Run_ShowOnBenchmarks_AsOwner_CallsTheService()
    {
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Completed, new EvaluationCounts(2, 2, 0, 0), ["substring-match"], "tester", "a");
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("input[type=checkbox]")));

        await cut.ChangeAsync("input[type=checkbox]", true);

        cut.WaitForAssertion(() => Assert.Equal([(run.Id, true)], EvaluationService.ShownChanges));
    }

    [Fact]
    public void Run_CompareWith_ShowsTheOtherRunsSummaryBeside()
    {
        var run = EvaluationService.AddRun("Today", EvaluationStatus.Completed, new EvaluationCounts(2, 2, 0, 0), ["substring-match"], "tester", "a");
        var datasetId = run.DatasetId;
        var earlier = EvaluationService.AddRun("Last month", EvaluationStatus.Completed, new EvaluationCounts(2, 2, 0, 0), ["substring-match"], "tester", "old-model");
        EvaluationService.Runs[earlier.Id] = earlier with { DatasetId = datasetId };

        At(EvaluationUrls.RunComparedWith(run.Id, earlier.Id));
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.Contains("old-model", cut.Find("[data-testid=compare-other]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Last month", cut.Find("[data-testid=compare-other] caption").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasuredHere_OnTheDashboard_ListsEachValueWithItsSource_ApartFromTheIndex()
    {
        var runId = Guid.NewGuid();
        EvaluationService.Measured.Add(new MeasuredResult(runId, "Support questions", "team", "gpt-4o-mini", null, "substring-match", "Substring match", 0.82, 0.71, 0.9,
            "support", 3, 120, new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)));

        var cut = Render<Benchmarks>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=measured-table]")));
        var source = cut.Find("[data-testid=measured-source]");
        Assert.Equal(EvaluationUrls.Run(runId), source.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("support v3", source.TextContent, StringComparison.Ordinal);
        Assert.Contains("measured here on 2026-11-20", source.TextContent, StringComparison.Ordinal);
        Assert.Contains("120 rows", source.TextContent, StringComparison.Ordinal);
        Assert.Contains("82 %", cut.Find("[data-testid=measured-table]").TextContent, StringComparison.Ordinal);
        Assert.Contains("71 %–90 %", cut.Find("[data-testid=measured-table]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Support questions", cut.Find("[data-testid=quality-index]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("gpt-4o-mini via team", cut.Find("[data-testid=quality-index]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RunsList_ShowsEachRunWithItsDatasetAndTargets_AndFollowsProgress()
    {
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Running, new EvaluationCounts(8, 2, 0, 6), ["substring-match"], "tester", "peer-quiz", "peer-quiz-off");
        var cut = Render<EvaluationRuns>();
        cut.WaitForAssertion(() => Assert.Contains("2 / 8", cut.Find("tr[data-run=Sums]").TextContent, StringComparison.Ordinal));
        Assert.Contains("arith v2", cut.Find("tr[data-run=Sums]").TextContent, StringComparison.Ordinal);
        Assert.Contains("peer-quiz · peer; peer-quiz-off · peer", cut.Find("tr[data-run=Sums]").TextContent, StringComparison.Ordinal);

        EvaluationService.Runs[run.Id] = run with { Status = EvaluationStatus.Completed, Counts = new EvaluationCounts(8, 7, 1, 0) };
        EvaluationService.RaiseChanged(run.Id);

        cut.WaitForAssertion(() => Assert.Contains("8 / 8 (1 failed)", cut.Find("tr[data-run=Sums]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Completed", cut.Find("tr[data-run=Sums]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void MeasuredHere_None_ExplainsHowToAddOne()
    {
        var cut = Render<Benchmarks>();

        cut.WaitForAssertion(() => Assert.Contains("Show on benchmark dashboard", cut.Find("[data-testid=measured-empty]").TextContent, StringComparison.Ordinal));
        Assert.Equal(EvaluationUrls.RunsPath, cut.Find("[data-testid=measured-empty] a").GetAttribute("href"));
    }
}
