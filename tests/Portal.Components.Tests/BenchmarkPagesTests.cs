using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog.Benchmarks;
using Portal.Web.Benchmarks;
using Portal.Web.Components.Controls;
using Portal.Web.Components.Pages.Benchmarks;

namespace Portal.Components.Tests;

public sealed class BenchmarkPagesTests : PortalBunitContext
{
    private const string Llama = "Meta-Llama-3-8B-Instruct";
    private const string Phi = "Phi-3-mini-4k-instruct";
    private const string Mistral = "mistralai-Mistral-7B-v01";

    public BenchmarkPagesTests()
    {
    }

    private IRenderedComponent<T> RenderAt<T>(string relative) where T : IComponent
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(relative);
        return Render<T>();
    }

    [Fact]
    public void Dashboard_Default_ShowsIndexTopListsBarsHeatmapAndScatter()
    {
        var cut = RenderAt<Benchmarks>("benchmarks");

        Assert.Contains("MMLU", cut.Find("[data-testid=index-datasets]").TextContent, StringComparison.Ordinal);
        Assert.Equal(Benchmarks.ChartCount, cut.FindAll("figure.bench-chart").Count);
        Assert.NotEmpty(cut.FindAll(".bench-heat-table tbody tr"));
        Assert.NotEmpty(cut.FindAll(".bench-point"));
        Assert.Contains("Unofficial community prices", cut.Find(".bench-scatter").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_BarTooltips_CarryValueSettingAndSource()
    {
        var cut = RenderAt<Benchmarks>($"benchmarks?models={Llama}&models={Phi}&dataset=MMLU");

        var bar = cut.Find($"figure[data-column=MMLU] g[data-model={Llama}] title").TextContent;
        Assert.Contains("68.4", bar, StringComparison.Ordinal);
        Assert.Contains("MMLU (5-shot)", bar, StringComparison.Ordinal);
        Assert.Contains("https://", bar, StringComparison.Ordinal);
        Assert.Contains("Model owner", bar, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_Scatter_HasOnePointPerModelWithBothPriceAndIndex()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?publisher=Microsoft");
        var data = BenchmarkData.Embedded;
        var view = BenchmarkView.Build(
            BenchmarkViewParser.Parse([new("publisher", ["Microsoft"])], Services.GetRequiredService<Portal.Catalog.ICatalogService>().Current, data).Query,
            Services.GetRequiredService<Portal.Catalog.ICatalogService>().Current, data);

        var expected = view.Rows.Where(r => r.Index?.Value is not null && r.Price is not null).Select(r => r.Model.Id).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, cut.FindAll(".bench-point").Select(p => p.GetAttribute("data-model")!).Order());
    }

    [Fact]
    public void Dashboard_ListView_RowsMatchTheCsvCells_AndMissingIsADash()
    {
        var cut = RenderAt<Benchmarks>($"benchmarks?view=list&models={Llama}&models={Phi}&models=text-embedding-3-small&dataset=MMLU&dataset=GSM8K");

        var view = BenchmarkView.Build(new BenchmarkViewQuery { Models = [Llama, Phi, "text-embedding-3-small"], Datasets = [new("MMLU", null), new("GSM8K", null)] },
            Services.GetRequiredService<Portal.Catalog.ICatalogService>().Current, BenchmarkData.Embedded);
        var expected = view.TableText().Skip(1).ToList();
        var rows = cut.FindAll("[data-testid=bench-table] tbody tr[data-model]");

        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = new[] { rows[i].QuerySelector("th a")!.TextContent }.Concat(rows[i].QuerySelectorAll("td.bench-cell").Select(c => c.TextContent)).ToArray();
            Assert.Equal(expected[i], cells);
        }

        Assert.Contains(rows, r => r.QuerySelectorAll("td.bench-cell").Any(c => c.TextContent == "—"));
    }

    [Fact]
    public void Dashboard_ListView_ExpandsToEverySourceRow()
    {
        var cut = RenderAt<Benchmarks>($"benchmarks?view=list&models={Llama}&dataset=MMLU");

        cut.Find(".bench-expand").Click();

        var sources = cut.FindAll(".bench-sources-row tr[data-dataset=MMLU]");
        Assert.Equal(BenchmarkData.Embedded.Values(Llama, new("MMLU", null)).Count, sources.Count);
        Assert.Equal("true", cut.Find(".bench-expand").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Dashboard_BadParameters_AreNoticesNotErrors()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?models=nope&dataset=Nonsense&ratio=abc&metric=weird");

        var text = cut.Find(".bench-notices").TextContent;
        Assert.Contains("Ignored model 'nope'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored dataset 'Nonsense'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored token ratio 'abc'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored metric 'weird'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_EmbeddingsTab_ShowsPublishedNumbersAndHonestEmptyStates()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?view=embeddings");

        var section = cut.Find("[data-testid=embedding-benchmarks]");
        Assert.Contains("MTEB", section.TextContent, StringComparison.Ordinal);
        Assert.Contains("No embedding benchmark is published for this model", section.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ThreeModels_ShowsMmluWithSources_AndHighlightsTheBest()
    {
        var cut = RenderAt<BenchmarkCompare>($"benchmarks/compare?models={Llama}&models={Phi}&models={Mistral}");

        var row = cut.Find("tr[data-column=MMLU]");
        Assert.Equal("68.4", row.QuerySelector($"td[data-model={Llama}] .bench-compare-value")!.TextContent);
        Assert.Equal("70.9", row.QuerySelector($"td[data-model={Phi}] .bench-compare-value")!.TextContent);
        Assert.Equal("60.1", row.QuerySelector($"td[data-model={Mistral}] .bench-compare-value")!.TextContent);
        Assert.Contains("bench-best", row.QuerySelector($"td[data-model={Phi}]")!.ClassName, StringComparison.Ordinal);
        Assert.DoesNotContain("bench-best", row.QuerySelector($"td[data-model={Llama}]")!.ClassName ?? "", StringComparison.Ordinal);
        Assert.All(row.QuerySelectorAll("td .bench-compare-source a"), a => Assert.StartsWith("https://", a.GetAttribute("href"), StringComparison.Ordinal));
        Assert.Contains(row.QuerySelectorAll($"td[data-model={Phi}] [data-testid=compare-other]"), o => o.TextContent.Contains("69", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_TooManyAndUnknownModels_AreNotices()
    {
        var cut = RenderAt<BenchmarkCompare>($"benchmarks/compare?models={Llama}&models={Phi}&models={Mistral}&models=gpt-4o&models=gpt-4&models=ghost");

        Assert.Equal(4, cut.FindAll("thead th[data-model]").Count);
        Assert.Contains("at most 4", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Ignored model 'ghost'", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompareTray_ListsModels_LinksToCompare_AndSurvivesAStoreFailure()
    {
        var tray = Services.GetRequiredService<CompareTray>();
        await tray.AddAsync(Llama);
        await tray.AddAsync(Phi);
        var cut = Render<CompareTrayBar>();

        Assert.Equal(2, cut.FindAll("[data-testid=compare-tray] li").Count);
        Assert.Equal($"benchmarks/compare?models={Llama}&models={Phi}", cut.FindAll("[data-testid=compare-tray] a").Single(a => a.TextContent.Trim() == "Compare").GetAttribute("href"));

        Preferences.FailWith = new InvalidOperationException("disk full");
        await cut.InvokeAsync(() => tray.AddAsync(Mistral));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=compare-tray] li").Count));
        Assert.Contains("kept for this session only", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompareTray_HoldsAtMostFour_AndTheButtonSaysWhy()
    {
        var tray = Services.GetRequiredService<CompareTray>();
        foreach (var id in new[] { Llama, Phi, Mistral, "gpt-4o" })
        {
            Assert.True(await tray.AddAsync(id));
        }

        var cut = Render<AddToCompareButton>(p => p.Add(c => c.ModelId, "gpt-4").Add(c => c.ModelName, "GPT-4"));

        Assert.False(await tray.AddAsync("gpt-4"));
        Assert.True(cut.Find("button").HasAttribute("disabled"));
        Assert.Contains("remove one first", cut.Find("span[title]").GetAttribute("title"), StringComparison.Ordinal);
    }
}
