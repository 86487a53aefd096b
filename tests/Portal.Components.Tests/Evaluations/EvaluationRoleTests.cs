using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Components.Pages.Evaluations;
using Portal.Web.Evaluations;

namespace Portal.Components.Tests.Evaluations;

/// <summary>With sign-in on: Readers see runs, results and datasets, but no control that would change them.</summary>
public sealed class EvaluationRoleTests() : PortalBunitContext(null, new Dictionary<string, string?>
{
    ["Portal:Auth:Mode"] = "Oidc",
    ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
    ["Portal:Auth:Oidc:ClientId"] = "portal-tests",
})
{
    private static List<string> Controls<T>(IRenderedComponent<T> cut) where T : IComponent =>
        [.. cut.FindAll("button, a, input[type=checkbox]").Select(b => b.TextContent.Trim())];

    [Theory]
    [InlineData("Reader", false)]
    [InlineData("AzureAIDeveloper", true)]
    public void Datasets_OfferUploadAndEvaluate_OnlyToRolesThatMay(string role, bool offered)
    {
        User.Set("oidc:dana", role);
        DatasetService.Add("arith", owner: "oidc:someone");

        var cut = Render<Datasets>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=datasets-table]")));
        Assert.Equal(offered, cut.FindAll("[data-testid=dataset-upload]").Count == 1);
        Assert.Equal(offered, Controls(cut).Any(c => c.StartsWith("Evaluate", StringComparison.Ordinal)));
        Assert.Contains(Controls(cut), c => c.StartsWith("Download", StringComparison.Ordinal));
        Assert.Equal(!offered, cut.FindAll("[data-testid=role-note]").Count == 1);
    }

    [Fact]
    public void Runs_AsReader_ListsRunsButNoNewEvaluation()
    {
        User.Set("oidc:rita", "Reader");
        EvaluationService.AddRun("Sums", EvaluationStatus.Running, new EvaluationCounts(4, 1, 0, 3), ["substring-match"], "oidc:dev", "peer-quiz");

        var cut = Render<EvaluationRuns>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("tr[data-run=Sums]")));
        Assert.DoesNotContain("New evaluation", Controls(cut));
        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void NewEvaluation_AsReader_SaysWhichRoleIsNeeded_AndHasNoForm()
    {
        User.Set("oidc:rita", "Reader");
        var cut = Render<NewEvaluation>();

        cut.WaitForAssertion(() => Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=role-note]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("form"));
    }

    [Theory]
    [InlineData("Reader", "oidc:rita", false, false)]
    [InlineData("AzureAIDeveloper", "oidc:dev", true, false)]   // their own run
    [InlineData("AzureAIDeveloper", "oidc:other", false, false)] // someone else's
    [InlineData("Contributor", "oidc:cody", true, true)]
    public void Run_OffersCancelAndTheBenchmarkSwitch_ByRoleAndOwnership(string role, string user, bool mayCancel, bool maySwitch)
    {
        User.Set(user, role);
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Running, new EvaluationCounts(4, 1, 0, 3), ["substring-match"], "oidc:dev", "peer-quiz");

        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=run-counts]")));
        Assert.Equal(mayCancel, Controls(cut).Contains("Cancel evaluation"));
        Assert.Equal(maySwitch, cut.Markup.Contains("Show on benchmark dashboard", StringComparison.Ordinal));
        Assert.Contains("Export CSV", Controls(cut));
    }

    [Fact]
    public async Task Run_ServiceRefusesCancel_ShowsWhy()
    {
        User.Set("oidc:dev", "AzureAIDeveloper");
        var run = EvaluationService.AddRun("Sums", EvaluationStatus.Running, new EvaluationCounts(4, 1, 0, 3), ["substring-match"], "oidc:dev", "peer-quiz");
        EvaluationService.Deny = Portal.Web.Access.PortalAction.RunEvaluation;
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var cut = Render<EvaluationRun>(p => p.Add(x => x.Id, run.Id));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=run-counts]")));

        await cut.ClickButtonAsync("Cancel evaluation");
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[role=dialog]")));
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Cancel evaluation");

        cut.WaitForAssertion(() => Assert.Contains("Azure AI Developer", cut.Find("[data-testid=run-problem]").TextContent, StringComparison.Ordinal));
        Assert.Empty(EvaluationService.Cancelled);
    }

    [Fact]
    public void ModelPage_AsReader_ShowsStoredProbeResults_ButNoProbeForm()
    {
        User.Set("oidc:rita", "Reader");
        ProbeStore.Rows.Add(new Portal.Data.Probes.PerformanceProbeRow
        {
            Id = Guid.NewGuid(), CatalogModelId = "gpt-4o", Connection = "team-azure", Model = "gpt-4o", Requests = 50, Concurrency = 8, Succeeded = 49, Failed = 1,
            TtftP50Ms = 310, TtftP90Ms = 420, TtftP99Ms = 800, TotalP50Ms = 1900, TotalP90Ms = 2400, TotalP99Ms = 3100, TokensPerSecond = 61.5,
            Failures = "1\tRate limited (HTTP 429)", FinishedUtc = new DateTimeOffset(2026, 11, 19, 8, 0, 0, TimeSpan.Zero),
        });

        var cut = Render<Portal.Web.Components.Pages.Catalog.ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=probe-results]")));
        Assert.Equal("measured here on 2026-11-19, 50 requests at concurrency 8, team-azure", cut.Find("[data-testid=probe-source]").TextContent.Trim());
        Assert.Contains("310 ms / 420 ms / 800 ms", cut.Find("[data-testid=probe-results]").TextContent, StringComparison.Ordinal);
        Assert.Contains("1 × Rate limited (HTTP 429)", cut.Find("[data-testid=probe-failures]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=probe-form]"));
        Assert.Contains("Azure AI Developer role", cut.Find("[data-testid=probe-role-note]").TextContent, StringComparison.Ordinal);
    }
}
