using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.FineTuning;
using Portal.Playground.FineTuning;
using Portal.TestPeers;
using Portal.Web;
using Portal.Web.Components.Pages.FineTuning;
using Portal.Web.Connections;
using Portal.Web.FineTuning;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// /fine-tuning/compare with sign-in on: jobs from the store side by side, the lowest losses marked, the best finished
/// job named with its numbers, the curves overlaid, ids that cannot be shown named, and the role rules.
/// </summary>
public sealed class CompareJobsTests : PortalBunitContext
{
    private const string FineTunedA = "ft:gpt-4o-mini-2024-07-18:portal-peer:alpha:abc123";
    private const string FineTunedB = "ft:gpt-4o-mini-2024-07-18:portal-peer:beta:def456";

    private readonly MemoryFineTuningStore _store;

    public CompareJobsTests()
        : this(new MemoryFineTuningStore())
    {
    }

    private CompareJobsTests(MemoryFineTuningStore store)
        : base(services => services.AddSingleton<IFineTuningStore>(store), Settings())
    {
        _store = store;
        User.Set("oidc:ana", "AzureAIDeveloper");
    }

    private static Dictionary<string, string?> Settings() => new(ConnectionSettings(
    [
        new ConfiguredConnection { Name = "openai-ft", Kind = "OpenAI", Endpoint = "http://127.0.0.1:9/v1/", ApiKey = "sk-never-sent-1234", Models = ["gpt-4o-mini"] },
        new ConfiguredConnection { Name = "aoai-ft", Kind = "AzureOpenAI", Endpoint = "https://team-openai.openai.azure.com/", ApiKey = "never-sent-azure-key", Models = ["gpt-4o-mini"] },
    ]))
    {
        ["Portal:Auth:Mode"] = "Oidc",
        ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
        ["Portal:Auth:Oidc:ClientId"] = "portal-tests",
    };

    private IRenderedComponent<CompareJobs> Open(string query)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo($"fine-tuning/compare?jobs={query}");
        var cut = Render<CompareJobs>();
        cut.WaitForAssertion(() => Assert.DoesNotContain("Loading the jobs", cut.Markup, StringComparison.Ordinal));
        return cut;
    }

    private static string Cell(IRenderedComponent<CompareJobs> cut, string row, FineTuningJobRow job) =>
        cut.Find($"[data-testid=compare-table] tr[data-row='{row}'] td[data-job='{job.Id}']").TextContent.Trim();

    private static string L(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private (FineTuningJobRow A, FineTuningJobRow B) TwoFinishedJobs()
    {
        var a = _store.AddJob("oidc:ana", "openai-ft", "ftjob-alpha", "alpha", 9, new(HyperValue.Of(3), HyperValue.Of(8), HyperValue.Of(0.5)),
            fineTunedModel: FineTunedA, costUsd: 1.23m, costNote: "unofficial community price from the catalog's benchmark rows");
        var b = _store.AddJob("oidc:ana", "openai-ft", "ftjob-beta", "beta", 6, FineTuningHyperparameters.Automatic, fineTunedModel: FineTunedB, offset: 0.05);
        return (a, b);
    }

    [Fact]
    public void Compare_TwoFinishedJobs_SideBySide_LowestMarked_BestNamedWithNumbers()
    {
        var (a, b) = TwoFinishedJobs();

        var cut = Open($"{a.Id},{b.Id}");

        Assert.Equal(["alpha (ftjob-alpha)", "beta (ftjob-beta)"], cut.FindAll("[data-testid=compare-table] thead th").Select(th => th.TextContent.Trim()));
        Assert.Equal(FineTuningJobUrls.Job(a.Id), cut.Find($"[data-testid=compare-table] thead th[data-job='{a.Id}'] a").GetAttribute("href"));
        Assert.Equal(("3", "automatic"), (Cell(cut, "Epochs", a), Cell(cut, "Epochs", b)));
        Assert.Equal(("8", "automatic"), (Cell(cut, "Batch size", a), Cell(cut, "Batch size", b)));
        Assert.Equal(("0.5", "automatic"), (Cell(cut, "Learning-rate multiplier", a), Cell(cut, "Learning-rate multiplier", b)));
        Assert.Empty(cut.FindAll("tr[data-row='Beta (DPO)']")); // no preference job here
        Assert.Equal("Succeeded", Cell(cut, "Status", a));
        Assert.Equal("42", Cell(cut, "Seed", a));
        Assert.Equal("support-valid.jsonl (file-valid-ftjob-alpha)", Cell(cut, "Validation file", a));
        Assert.Equal("12,345 (reported by the provider)", Cell(cut, "Trained tokens", a));
        Assert.Equal("17 min 5 s", Cell(cut, "Duration", a));
        Assert.Equal("3", Cell(cut, "Checkpoints", a));
        Assert.Equal("$1.23 (unofficial community price from the catalog's benchmark rows)", Cell(cut, "Estimated cost", a));
        Assert.Equal("no training price in the catalog", Cell(cut, "Estimated cost", b));

        // Lowest losses: alpha ran 9 steps, beta 6 with higher losses; marked by words and weight, not colour alone.
        Assert.Equal($"{L(OpenAiPeer.ValidLossAt(9))} (lowest)", Cell(cut, "Final validation loss", a));
        Assert.Equal(L(OpenAiPeer.ValidLossAt(6) + 0.05), Cell(cut, "Final validation loss", b));
        Assert.Equal($"{L(OpenAiPeer.TrainLossAt(9))} (lowest)", Cell(cut, "Final training loss", a));
        Assert.Equal(2, cut.FindAll("[data-testid=lowest]").Count);

        Assert.Equal(
            $"Best so far: alpha (ftjob-alpha) has the lowest final validation loss among the finished jobs: {L(OpenAiPeer.ValidLossAt(9))}, against beta (ftjob-beta) {L(OpenAiPeer.ValidLossAt(6) + 0.05)}.",
            cut.Find("[data-testid=best-job]").TextContent.Trim());
    }

    [Fact]
    public void Compare_Prerendered_ShowsTheJobsAndTheBest_WithActionsAsLinks()
    {
        var (a, b) = TwoFinishedJobs();
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var cut = Open($"{a.Id},{b.Id}");

        Assert.Equal(2, cut.FindAll("[data-testid=compare-table] thead th").Count);
        Assert.Contains("alpha (ftjob-alpha) has the lowest final validation loss", cut.Find("[data-testid=best-job]").TextContent, StringComparison.Ordinal);
        Assert.Equal(4, cut.FindAll("[data-testid=loss-chart] polyline").Count);
        Assert.Equal(2, cut.FindAll("[data-testid=fine-tuned-actions] a").Count(l => l.TextContent.Trim() == "Open in chat"));
    }

    [Fact]
    public void Compare_Curves_OnePolylinePerSeries_ValidationDashed_OneColourPerJob()
    {
        var (a, b) = TwoFinishedJobs();

        var cut = Open($"{a.Id},{b.Id}");

        var lines = cut.FindAll("[data-testid=loss-chart] svg[role=img] polyline");
        Assert.Equal(
            ["alpha (ftjob-alpha) training loss", "alpha (ftjob-alpha) validation loss", "beta (ftjob-beta) training loss", "beta (ftjob-beta) validation loss"],
            lines.Select(l => l.GetAttribute("data-series")));
        Assert.Equal(["9", "9", "6", "6"], lines.Select(l => l.GetAttribute("data-points")));
        Assert.Equal([false, true, false, true], lines.Select(l => l.ClassList.Contains("ft-dashed")));
        Assert.Equal(2, lines.Select(l => l.ClassList.First(c => c.StartsWith("ft-color-", StringComparison.Ordinal))).Distinct().Count());
    }

    [Fact]
    public void Compare_NoValidation_ComparesTrainingLoss_AndSaysSo()
    {
        var a = _store.AddJob("oidc:ana", "openai-ft", "ftjob-one", null, 9, FineTuningHyperparameters.Automatic, fineTunedModel: FineTunedA, validation: false, offset: 0.02);
        var b = _store.AddJob("oidc:ana", "openai-ft", "ftjob-two", null, 9, FineTuningHyperparameters.Automatic, fineTunedModel: FineTunedB, validation: false);
        var running = _store.AddJob("oidc:ana", "openai-ft", "ftjob-run", null, 4, FineTuningHyperparameters.Automatic, state: "Running", validation: false, offset: -1);

        var cut = Open($"{a.Id},{b.Id},{running.Id}");

        var best = cut.Find("[data-testid=best-job]").TextContent;
        Assert.Contains($"ftjob-two has the lowest final training loss among the finished jobs: {L(OpenAiPeer.TrainLossAt(9))}, against ftjob-one {L(OpenAiPeer.TrainLossAt(9) + 0.02)}.", best, StringComparison.Ordinal);
        Assert.Contains("No finished job reports a validation loss", best, StringComparison.Ordinal);
        // The running job's lower loss so far is neither best nor marked.
        Assert.Contains("(so far)", Cell(cut, "Final training loss", running), StringComparison.Ordinal);
        Assert.DoesNotContain("lowest", Cell(cut, "Final training loss", running), StringComparison.Ordinal);
        Assert.Equal("Once the job has succeeded.", Cell(cut, "Use it", running));
    }

    [Fact]
    public void Compare_SucceededOpenAIJobs_OfferChat_AndEvaluationAgainstTheBaseModel()
    {
        var (a, b) = TwoFinishedJobs();

        var cut = Open($"{a.Id},{b.Id}");

        var actions = cut.Find($"[data-testid=fine-tuned-actions][data-job='{a.Id}']");
        var links = actions.QuerySelectorAll("a").ToDictionary(l => l.TextContent.Trim(), l => l.GetAttribute("href"));
        Assert.Equal(PortalUrls.PlaygroundChat("openai-ft", FineTunedA), links["Open in chat"]);
        Assert.Equal("playground/chat?connection=openai-ft&model=ft%3Agpt-4o-mini-2024-07-18%3Aportal-peer%3Aalpha%3Aabc123", links["Open in chat"]);
        Assert.Equal("evaluations/new?target=openai-ft%7Cft%3Agpt-4o-mini-2024-07-18%3Aportal-peer%3Aalpha%3Aabc123&target=openai-ft%7Cgpt-4o-mini-2024-07-18", links["Evaluate against the base model"]);

        var group = cut.Find("[data-testid=evaluate-group]");
        Assert.Equal(
            "evaluations/new?target=openai-ft%7Cft%3Agpt-4o-mini-2024-07-18%3Aportal-peer%3Aalpha%3Aabc123&target=openai-ft%7Cft%3Agpt-4o-mini-2024-07-18%3Aportal-peer%3Abeta%3Adef456&target=openai-ft%7Cgpt-4o-mini-2024-07-18",
            group.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("2 fine-tuned models of gpt-4o-mini-2024-07-18 on openai-ft, and gpt-4o-mini-2024-07-18 itself", group.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_AzureJob_OffersDeployFirst_NotChat()
    {
        var (a, _) = TwoFinishedJobs();
        var azure = _store.AddJob("oidc:ana", "aoai-ft", "ft-0a1b2c", "support", 9, FineTuningHyperparameters.Automatic, fineTunedModel: "gpt-4o-mini-2024-07-18.ft-0a1b2c");

        var cut = Open($"{a.Id},{azure.Id}");

        var actions = cut.Find($"[data-testid=fine-tuned-actions][data-job='{azure.Id}']");
        var link = Assert.Single(actions.QuerySelectorAll("a"));
        Assert.Equal("Deploy to chat with it", link.TextContent.Trim());
        Assert.Equal($"deployments/new/fine-tuned?job={azure.Id}", link.GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=evaluate-group]")); // one OpenAI job only: the per-job action suffices
    }

    [Fact]
    public void Compare_UnknownAndOthersJobs_AreNamed_TheRestShown()
    {
        var (a, _) = TwoFinishedJobs();
        var others = _store.AddJob("oidc:ben", "openai-ft", "ftjob-ben", "ben", 9, FineTuningHyperparameters.Automatic, fineTunedModel: FineTunedB);
        var unknown = Guid.NewGuid();

        var cut = Open($"{a.Id},{unknown},{others.Id}");

        Assert.Equal([a.Id.ToString()], cut.FindAll("[data-testid=compare-table] thead th").Select(th => th.GetAttribute("data-job")));
        var missing = cut.Find("[data-testid=missing-jobs]");
        Assert.StartsWith("2 jobs are not shown", missing.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("no such job", missing.QuerySelector($"li[data-job='{unknown}']")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("another person's job: comparing other people's jobs needs the Contributor role", missing.QuerySelector($"li[data-job='{others.Id}']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("ftjob-ben", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_Contributor_SeesOtherPeoplesJobs()
    {
        var (a, _) = TwoFinishedJobs();
        var others = _store.AddJob("oidc:ben", "openai-ft", "ftjob-ben", "ben", 9, FineTuningHyperparameters.Automatic, fineTunedModel: FineTunedB);
        User.Set("oidc:cleo", "Contributor");

        var cut = Open($"{a.Id},{others.Id}");

        Assert.Equal(2, cut.FindAll("[data-testid=compare-table] thead th").Count);
        Assert.Equal("oidc:ben", Cell(cut, "Owner", others));
        Assert.Empty(cut.FindAll("[data-testid=missing-jobs]"));
    }

    [Fact]
    public void Compare_Reader_IsDenied_AndSeesNoJob()
    {
        var (a, b) = TwoFinishedJobs();
        User.Set("oidc:rita", "Reader");

        var cut = Open($"{a.Id},{b.Id}");

        Assert.Contains("Comparing fine-tuning jobs needs the Azure AI Developer role.", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=compare-table]"));
        Assert.DoesNotContain("ftjob-alpha", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(AuditStore.Entries, e => e.Action == "FineTune" && e.Outcome == "Denied");
    }

    [Theory]
    [InlineData("abc,def", "'abc', 'def' are not job ids")]
    [InlineData("", "Choose 2 to 6 jobs to compare")]
    [InlineData("6f1c2a9e-8d3b-4c55-9a1e-2b7d8c9e0f11", "A comparison takes 2 to 6 different jobs; the address names 1.")]
    public void Compare_MalformedQuery_SaysWhatIsWrong(string query, string expected)
    {
        var cut = Open(query);

        Assert.Contains(expected, cut.Find("[data-testid=query-problem]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=compare-table]"));
    }
}
