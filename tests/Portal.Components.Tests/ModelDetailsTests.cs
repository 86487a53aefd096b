using Portal.Catalog.Benchmarks;
using Portal.Web.Benchmarks;
using Portal.Web.Components.Pages.Catalog;

namespace Portal.Components.Tests;

public sealed class ModelDetailsTests : PortalBunitContext
{
    public ModelDetailsTests()
    {
    }

    private static string FactValue(IRenderedComponent<ModelDetails> cut, string label) =>
        cut.Find($"tr[data-fact='{label}'] .model-fact-value").TextContent;

    [Fact]
    public void Render_KnownModel_ShowsSourcedFactsAndUnknownsAsDash()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Phi-3-mini-4k-instruct"));

        Assert.Equal("MIT", FactValue(cut, "License"));
        Assert.Equal("4,096 tokens", FactValue(cut, "Context window"));
        Assert.Contains("Source:", cut.Find("tr[data-fact='License'] .model-fact-source").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(cut.FindAll("[data-testid=model-sources] li"));
        Assert.Contains("Commercial use allowed", cut.Find("tr[data-fact='License']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NullFact_IsADashWithoutASource()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));

        // No licence id, but the licence note says proprietary: the page says what the data says, with no source link of its own.
        Assert.Equal("Proprietary (Azure OpenAI terms)", FactValue(cut, "License"));
        Assert.Contains("Microsoft Product Terms", cut.Find("tr[data-fact='License']").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.Find("tr[data-fact='License'] .model-fact-source").Children);
        Assert.Equal("—", FactValue(cut, "Parameters"));
        Assert.Contains("131,072", cut.Find("tr[data-fact='Context window']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CodeSamples_UseTheModelIdAndNoKey()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Meta-Llama-3.1-8B-Instruct"));

        var blocks = cut.FindAll("pre[role=region][tabindex='0']");
        Assert.Equal(["C# sample", "Python sample", "JavaScript sample", "curl sample"], blocks.Select(b => b.GetAttribute("aria-label")));
        var code = string.Join("\n", blocks.Select(c => c.TextContent));
        Assert.Contains("\"Meta-Llama-3.1-8B-Instruct\"", code, StringComparison.Ordinal);
        Assert.Contains("OPENAI_API_KEY", code, StringComparison.Ordinal);
        Assert.NotNull(blocks[0].QuerySelector("span.keyword"));
        Assert.DoesNotContain("when connections can be configured", cut.Markup, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("settings/connections", cut.Find("[data-testid=code-connection] a").GetAttribute("href"));
    }

    [Fact]
    public void FineTune_IsOfferedForFineTunableModelsOnly_WithTheModelInTheAddress()
    {
        var tunable = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o-mini"));
        var other = Render<ModelDetails>(p => p.Add(c => c.Id, "Meta-Llama-3.1-8B-Instruct"));

        Assert.Contains(tunable.FindAll("a"), a => a.GetAttribute("href") == "fine-tuning/new?model=gpt-4o-mini" && a.TextContent.Trim() == "Fine-tune");
        Assert.Contains(tunable.FindAll("a"), a => a.GetAttribute("href") == "fine-tuning/data?model=gpt-4o-mini" && a.TextContent.Trim() == "Training data");
        Assert.DoesNotContain(other.FindAll("a, button"), a => a.TextContent.Trim().StartsWith("Fine-tune", StringComparison.Ordinal));
    }

    [Fact]
    public void Deploy_OpensTheWizard_WhichExplainsWhatBlocksIt()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));

        var deploy = cut.FindAll("a").Single(a => a.TextContent.Trim() == "Deploy");
        Assert.Equal("deployments/new?model=gpt-4o", deploy.GetAttribute("href"));
        Assert.False(string.IsNullOrEmpty(deploy.GetAttribute("title")));
    }

    [Fact]
    public void TryInPlayground_OpensThePlaygroundForTheModelsApi_OrSaysWhyNot()
    {
        var chat = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));
        Assert.Equal("playground/chat?model=gpt-4o", chat.FindAll("a").Single(a => a.TextContent.Trim() == "Try in playground").GetAttribute("href"));

        var embeddings = Render<ModelDetails>(p => p.Add(c => c.Id, "text-embedding-3-small"));
        var button = embeddings.FindAll(".model-action button").Single(b => b.TextContent.Contains("Try in playground", StringComparison.Ordinal));
        Assert.True(button.HasAttribute("disabled"));
        Assert.Contains("Embeddings", button.ParentElement!.GetAttribute("title"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddToCompare_PutsTheModelInTheTray_AndTheButtonSaysSo()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));

        await cut.ClickAsync("button", b => b.TextContent.Trim().StartsWith("Add to compare", StringComparison.Ordinal) && b.TextContent.Contains("GPT-4o", StringComparison.Ordinal));

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("button"), b => b.TextContent.Contains("In compare tray", StringComparison.Ordinal)));
        Assert.Equal("gpt-4o", Preferences.Peek("tester", CompareTray.PreferenceKey));
    }

    [Fact]
    public void Render_BenchmarksSection_ListsEveryNumberWithItsSource_AndMarksConflicts()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Phi-3-mini-4k-instruct"));

        var section = cut.Find("[data-testid=model-benchmarks]");
        var rows = section.QuerySelectorAll("tr[data-dataset]");
        Assert.Equal(BenchmarkData.Embedded.ForModel("Phi-3-mini-4k-instruct").Count, rows.Length);
        var mmlu = rows.Where(r => r.GetAttribute("data-dataset") == "MMLU").Select(r => r.QuerySelector(".bench-score-value")!.TextContent).ToList();
        Assert.Contains("70.9", mmlu);
        Assert.Contains("69", mmlu);
        Assert.Contains("MMLU", section.QuerySelector(".bench-conflict-note")!.TextContent, StringComparison.Ordinal);
        Assert.All(rows, r => Assert.StartsWith("https://", r.QuerySelector("a")!.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains("unofficial", section.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ModelWithoutBenchmarks_SaysSoInsteadOfShowingZeros()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "Mistral-large"));

        Assert.Contains("No benchmark number is published", cut.Find("[data-testid=model-benchmarks]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SourceLinks_ShowAReadableTitle()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));

        var link = cut.Find("[data-testid=model-sources] a");
        Assert.Equal("github.com › models.md", link.TextContent);
        Assert.StartsWith("https://github.com/", link.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("Catalog", cut.Find("nav[aria-label=Breadcrumb] a").TextContent.Trim());
    }

    [Fact]
    public void Render_UnknownId_SaysNotFound()
    {
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "no-such-model"));

        Assert.Equal("Model not found", cut.Find("h1").TextContent);
    }
}
