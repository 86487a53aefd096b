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

    private static Portal.Catalog.Query.CatalogIndex CatalogIndex(IServiceProvider services) => services.GetRequiredService<Portal.Catalog.ICatalogService>().Current;

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Dashboard_Default_ShowsIndexTopListsAndBars_OtherViewsApart()
    {
        var cut = RenderAt<Benchmarks>("benchmarks");

        Assert.Contains("MMLU", cut.Find("[data-testid=index-datasets]").TextContent, StringComparison.Ordinal);
        Assert.Equal(Benchmarks.ChartCount, cut.FindAll("figure.bench-chart").Count);
        Assert.Empty(cut.FindAll("[data-testid=scatter-point]"));
        Assert.Equal("page", cut.FindAll("nav[aria-label='Dashboard views'] a").Single(a => a.TextContent == "Charts").GetAttribute("aria-current"));

        var heat = RenderAt<Benchmarks>("benchmarks?view=heatmap");
        Assert.NotEmpty(heat.FindAll("table tbody tr[data-model]"));

        var cost = RenderAt<Benchmarks>("benchmarks?view=cost");
        Assert.NotEmpty(cost.FindAll("[data-testid=scatter-point]"));
        Assert.Contains("Unofficial community prices", cost.Find("figure.bench-scatter").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_DefaultColumns_AreTheDatasetsTheIndexUses()
    {
        var catalog = CatalogIndex(Services);
        var view = BenchmarkView.Build(new BenchmarkViewQuery(), catalog, BenchmarkData.Embedded);
        var indexNames = view.Index.Columns.Select(c => c.Name).Order().ToList();
        Assert.True(indexNames.Count > BenchmarkViewQuery.DefaultColumnCount, $"The index uses {indexNames.Count} datasets.");
        Assert.Equal(indexNames, view.Columns.Select(c => c.Name).Order());

        var list = RenderAt<Benchmarks>("benchmarks?view=list");
        var headers = list.FindAll("[data-testid=bench-table] thead th").Select(th => Squash(th.TextContent)).ToList();
        var datasetHeaders = headers.Skip(4).Take(headers.Count - 5).Order().ToList();
        Assert.Equal(indexNames, datasetHeaders);
        Assert.Equal(string.Join(", ", view.Index.Columns.Select(c => c.Name)), list.Find("[data-testid=index-datasets]").TextContent);

        var heat = RenderAt<Benchmarks>("benchmarks?view=heatmap");
        Assert.Equal(indexNames, heat.FindAll("figure.bench-heatmap thead th").Skip(1).Select(th => Squash(th.TextContent)).Order());
    }

    [Fact]
    public void Dashboard_Heatmap_HidesModelsWithoutANumber_AndSaysHowMany()
    {
        var cut = RenderAt<Benchmarks>($"benchmarks?view=heatmap&models={Llama}&models={Phi}&models=text-embedding-3-small&dataset=MMLU&dataset=GSM8K");

        Assert.Equal([Llama, Phi], cut.FindAll("figure.bench-heatmap tbody tr").Select(r => r.GetAttribute("data-model")!).Order());
        Assert.Contains("1 model has no number in these datasets", cut.Find("[data-testid=heat-hidden]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_BarFocusedByKeyboard_OpensATooltipWithValueSettingAndSourceLink()
    {
        var cut = RenderAt<Benchmarks>($"benchmarks?models={Llama}&models={Phi}&dataset=MMLU");

        var bar = cut.Find($"figure[data-column=MMLU] [data-testid=chart-bar][data-model={Llama}]");
        Assert.Equal("0", bar.GetAttribute("tabindex"));
        var name = bar.GetAttribute("aria-label")!;
        Assert.Contains("68.4", name, StringComparison.Ordinal);
        Assert.Contains("MMLU (5-shot)", name, StringComparison.Ordinal);
        Assert.DoesNotContain("(5-shot) (5-shot)", name, StringComparison.Ordinal);
        Assert.Contains("Model owner", name, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=bar-tooltip]"));

        await cut.InvokeAsync(() => cut.Find($"figure[data-column=MMLU] [data-testid=chart-bar][data-model={Llama}]").Focus());

        var tooltip = cut.Find("figure[data-column=MMLU] [data-testid=bar-tooltip]");
        Assert.Equal(tooltip.Id, cut.Find($"figure[data-column=MMLU] [data-testid=chart-bar][data-model={Llama}]").GetAttribute("aria-describedby"));
        Assert.Contains("68.4", tooltip.TextContent, StringComparison.Ordinal);
        Assert.Contains("5-shot", tooltip.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("https://", tooltip.QuerySelector("a")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal(name, cut.Find("figure[data-column=MMLU] [data-testid=bar-detail]").TextContent);

        await cut.InvokeAsync(() => cut.Find($"figure[data-column=MMLU] [data-testid=chart-bar][data-model={Llama}]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" }));
        Assert.Empty(cut.FindAll("[data-testid=bar-tooltip]"));
    }

    [Fact]
    public async Task Dashboard_BarCharts_ShowTheTopFifteen_AndAllOnRequest()
    {
        var cut = RenderAt<Benchmarks>("benchmarks");
        var figure = cut.Find("figure[data-column=MMLU]");
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(figure.QuerySelector("[role=group]")!.GetAttribute("aria-label")!, @"(\d+) models").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > BenchmarkBarChart.TopCount);
        Assert.Equal(BenchmarkBarChart.TopCount, figure.QuerySelectorAll("[data-testid=chart-bar]").Length);

        await cut.InvokeAsync(() => cut.Find("figure[data-column=MMLU]").QuerySelectorAll("button").Single(b => Squash(b.TextContent) == $"Show all {total}").Click());

        Assert.Equal(total, cut.Find("figure[data-column=MMLU]").QuerySelectorAll("[data-testid=chart-bar]").Length);
    }

    [Fact]
    public async Task Dashboard_Scatter_HasOnePointPerModelWithBothPriceAndIndex_AndATooltipOnFocus()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?view=cost&publisher=Microsoft");
        var data = BenchmarkData.Embedded;
        var view = BenchmarkView.Build(BenchmarkViewParser.Parse([new("publisher", ["Microsoft"])], CatalogIndex(Services), data).Query, CatalogIndex(Services), data);

        var expected = view.Rows.Where(r => r.Index?.Value is not null && r.Price is not null).Select(r => r.Model.Id).Order().ToList();
        Assert.NotEmpty(expected);
        var points = cut.FindAll("[data-testid=scatter-point]");
        Assert.Equal(expected, points.Select(p => p.GetAttribute("data-model")!).Order());
        Assert.All(points, p => Assert.Equal("0", p.GetAttribute("tabindex")));

        await cut.InvokeAsync(() => cut.FindAll("[data-testid=scatter-point]")[0].Focus());

        var tooltip = cut.Find("[data-testid=point-tooltip]");
        Assert.Contains("Index", tooltip.TextContent, StringComparison.Ordinal);
        Assert.Contains("Unofficial", tooltip.TextContent, StringComparison.Ordinal);
        Assert.Equal(expected.Count, cut.FindAll("[data-testid=scatter-table] tbody tr").Count);
    }

    [Fact]
    public void Dashboard_ListView_RowsMatchTheCsvCells_AndMissingIsADash()
    {
        var cut = RenderAt<Benchmarks>($"benchmarks?view=list&models={Llama}&models={Phi}&models=text-embedding-3-small&dataset=MMLU&dataset=GSM8K");

        var view = BenchmarkView.Build(new BenchmarkViewQuery { Models = [Llama, Phi, "text-embedding-3-small"], Datasets = [new("MMLU", null), new("GSM8K", null)] },
            CatalogIndex(Services), BenchmarkData.Embedded);
        var expected = view.TableText().ToList();
        var header = cut.FindAll("[data-testid=bench-table] thead th").Select(th => Squash(th.TextContent)).SkipLast(1).ToList();
        Assert.Equal(expected[0], header);
        var rows = cut.FindAll("[data-testid=bench-table] tbody tr[data-model]");

        Assert.Equal(expected.Count - 1, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = new[] { rows[i].QuerySelector("th a")!.TextContent }.Concat(rows[i].QuerySelectorAll("td.bench-cell").Select(c => c.TextContent)).ToArray();
            Assert.Equal(expected[i + 1], cells);
        }

        Assert.Contains(rows, r => r.QuerySelectorAll("td.bench-cell").Any(c => c.TextContent == "—"));
        Assert.Equal("Quality index", Squash(cut.FindAll("[data-testid=bench-table] thead th a").Single(a => a.TextContent.StartsWith("Quality index", StringComparison.Ordinal)).ChildNodes[0].TextContent));
    }

    [Fact]
    public async Task Dashboard_ListView_ExpandsToEverySource_EachLineOnce()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?view=list&models=gpt-4");

        await cut.InvokeAsync(() => cut.FindAll("[data-testid=bench-expand]").Single().Click());

        var lines = cut.FindAll("[data-testid=bench-sources-row] [data-testid=score-sources] tbody tr").Select(r => Squash(r.TextContent)).ToList();
        Assert.NotEmpty(lines);
        Assert.Equal(lines.Count, lines.Distinct().Count());
        var mmlu = cut.FindAll("[data-testid=bench-sources-row] tr[data-dataset=MMLU]");
        Assert.Single(mmlu, r => r.TextContent.Contains("84", StringComparison.Ordinal));
        Assert.NotEmpty(mmlu.SelectMany(r => r.QuerySelectorAll("[data-testid=also-printed] a")));
        Assert.Equal("true", cut.Find("[data-testid=bench-expand]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Dashboard_BadParameters_AreNoticesNotErrors()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?models=nope&dataset=Nonsense&ratio=abc&metric=weird&view=sideways");

        var text = cut.Find("[data-testid=bench-notices]").TextContent;
        Assert.Contains("Ignored model 'nope'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored dataset 'Nonsense'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored token ratio 'abc'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored metric 'weird'", text, StringComparison.Ordinal);
        Assert.Contains("Ignored view 'sideways'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_EmbeddingsView_HasItsOwnMetricAndCharts_AndNoAccuracyIndex()
    {
        var cut = RenderAt<Benchmarks>("benchmarks?view=embeddings");

        var section = cut.Find("[data-testid=embedding-benchmarks]");
        Assert.Contains("embedding quality", section.TextContent, StringComparison.Ordinal);
        Assert.Contains("No embedding benchmark is published for this model", section.TextContent, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("[data-testid=embedding-charts] figure"), f => f.GetAttribute("data-column") == "MTEB");
        Assert.Empty(cut.FindAll("[data-testid=quality-index]"));
        Assert.DoesNotContain(cut.FindAll("label"), l => l.TextContent == "Metric");
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
        Assert.Equal("Benchmarks", cut.Find("nav[aria-label=Breadcrumb] a").TextContent.Trim());
    }

    [Fact]
    public void Compare_BestIsOnlyAwardedWithinOneSetting_AndNothingRepeats()
    {
        var cut = RenderAt<BenchmarkCompare>($"benchmarks/compare?models=gpt-4&models={Phi}&models={Llama}");

        // BoolQ: GPT-4's 91.3 is 2-shot; the others are 0-shot, so the best is the higher 0-shot number.
        var boolq = cut.Find("tr[data-column=BoolQ]");
        Assert.Contains("2-shot", boolq.QuerySelector("td[data-model=gpt-4]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("bench-best", boolq.QuerySelector("td[data-model=gpt-4]")!.ClassName ?? "", StringComparison.Ordinal);
        Assert.Contains("bench-best", boolq.QuerySelector($"td[data-model={Llama}]")!.ClassName, StringComparison.Ordinal);
        Assert.NotNull(boolq.QuerySelector("[data-testid=settings-differ]"));

        // MMLU: GPT-4's owner number is 0-shot CoT; the 5-shot number the other two share is shown beside theirs, and ranked.
        var mmlu = cut.Find("tr[data-column=MMLU]");
        Assert.Equal("84", mmlu.QuerySelector("td[data-model=gpt-4] .bench-compare-value")!.TextContent);
        Assert.Contains("bench-best", mmlu.QuerySelector("td[data-model=gpt-4]")!.ClassName, StringComparison.Ordinal);
        Assert.Contains(mmlu.QuerySelectorAll("td[data-model=gpt-4] [data-testid=compare-other]"), o => o.TextContent.Contains("86.7", StringComparison.Ordinal));

        Assert.DoesNotContain("(5-shot) (5-shot)", cut.Markup, StringComparison.Ordinal);
        var metric = MetricKinds.Describe(MetricKind.Accuracy);
        var groups = cut.FindAll("tr.bench-compare-group").Count;
        Assert.True(System.Text.RegularExpressions.Regex.Count(cut.Markup, System.Text.RegularExpressions.Regex.Escape(System.Net.WebUtility.HtmlEncode(metric))) <= groups,
            "The accuracy explanation is said once per section, not on every row.");
    }

    [Fact]
    public void Compare_TooManyAndUnknownModels_AreNotices()
    {
        var cut = RenderAt<BenchmarkCompare>($"benchmarks/compare?models={Llama}&models={Phi}&models={Mistral}&models=gpt-4o&models=gpt-4&models=ghost");

        Assert.Equal(4, cut.FindAll("thead th[data-model]").Count);
        Assert.Contains("at most 4", cut.Find("[data-testid=compare-notices]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Ignored model 'ghost'", cut.Find("[data-testid=compare-notices]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompareTray_ListsModels_LinksToCompare_AndSurvivesAStoreFailure()
    {
        var tray = Services.GetRequiredService<CompareTray>();
        await tray.AddAsync(Llama);
        await tray.AddAsync(Phi);
        var cut = Render<CompareTrayBar>();

        Assert.Equal(2, cut.FindAll("[data-testid=compare-tray] li").Count);
        Assert.Equal($"benchmarks/compare?models={Llama}&models={Phi}", cut.FindAll("[data-testid=compare-tray] a").Single(a => Squash(a.TextContent) == "Compare").GetAttribute("href"));

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
