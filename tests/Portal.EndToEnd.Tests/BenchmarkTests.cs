using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Catalog.Benchmarks;

namespace Portal.EndToEnd.Tests;

[Collection(PortalServerGroup.Name)]
public sealed class BenchmarkTests(PortalServerFixture server) : PortalPageTest(server)
{
    private const string Llama = "Meta-Llama-3-8B-Instruct";
    private const string Phi = "Phi-3-mini-4k-instruct";
    private const string Mistral = "mistralai-Mistral-7B-v01";

    [Fact]
    public async Task CompareDeepLink_ThreeModels_ShowsMmluValuesWithSources()
    {
        await OpenInteractiveAsync($"benchmarks/compare?models={Llama}&models={Phi}&models={Mistral}");

        var row = Page.Locator("tr[data-column=MMLU]");
        await Assertions.Expect(row.Locator($"td[data-model={Llama}] .bench-compare-value")).ToHaveTextAsync("68.4");
        await Assertions.Expect(row.Locator($"td[data-model={Phi}] .bench-compare-value")).ToHaveTextAsync("70.9");
        await Assertions.Expect(row.Locator($"td[data-model={Mistral}] .bench-compare-value")).ToHaveTextAsync("60.1");
        await Assertions.Expect(row.Locator($"td[data-model={Phi}]")).ToHaveClassAsync(new Regex("bench-best"));
        foreach (var model in new[] { Llama, Phi, Mistral })
        {
            await Assertions.Expect(row.Locator($"td[data-model={model}] .bench-compare-source a").First).ToHaveAttributeAsync("href", new Regex("^https://"));
        }

        await Assertions.Expect(row.Locator($"td[data-model={Llama}] .bench-compare-source")).ToContainTextAsync("Meta (Llama 3 model card)");

        // Removing a model is a link: the URL stays the single source of truth.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Remove Mistral-7B-v0.1 from the comparison" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex($"benchmarks/compare\\?models={Llama}&models={Phi}$"));
        await Assertions.Expect(Page.Locator("thead th[data-model]")).ToHaveCountAsync(2);
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task ChartBar_FocusedWithTheKeyboard_ShowsItsValueSettingAndSource()
    {
        await OpenInteractiveAsync($"benchmarks?models={Llama}&models={Phi}&dataset=MMLU");
        var chart = Page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^MMLU: \\d+ models$") });
        var detail = chart.Locator("xpath=..").GetByTestId("bar-detail");
        await Assertions.Expect(detail).ToContainTextAsync("Tab");

        await Page.GetByRole(AriaRole.Heading, new() { Name = "Per dataset" }).ClickAsync();
        for (var i = 0; i < 200 && !await chart.Locator(":focus").IsVisibleAsync(); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        var focused = chart.Locator(":focus");
        var name = await focused.GetAttributeAsync("aria-label");
        Assert.NotNull(name);
        Assert.Matches(new Regex(@"^.+: \d+(\.\d+)? \(MMLU.*\)\n.+: .+\nhttps?://", RegexOptions.Singleline), name);
        await Assertions.Expect(detail).ToHaveTextAsync(name.Replace("\n", " ", StringComparison.Ordinal), new() { UseInnerText = false });

        // The visible tooltip: value, setting and a source link, reachable with the next Tab.
        var tooltip = chart.GetByTestId("bar-tooltip");
        await Assertions.Expect(tooltip).ToBeVisibleAsync();
        await Assertions.Expect(tooltip).ToContainTextAsync("shot");
        await Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(tooltip.GetByRole(AriaRole.Link)).ToBeFocusedAsync();
        await Assertions.Expect(tooltip.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", new Regex("^https://"));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task ScatterPoint_FocusedWithTheKeyboard_ShowsATooltip_AndLabelsDoNotOverlap()
    {
        await OpenInteractiveAsync("benchmarks?view=cost");
        var chart = Page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^Quality versus cost, \\d+ models$") });
        await Assertions.Expect(chart).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Heading, new() { Name = "Quality versus cost" }).ClickAsync();
        for (var i = 0; i < 200 && !await chart.Locator(":focus").IsVisibleAsync(); i++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        var focused = chart.Locator(":focus");
        var name = await focused.GetAttributeAsync("aria-label");
        Assert.Matches(new Regex(@"^.+: index \d+\.\d over .+\n\$"), name!);
        var tooltip = Page.GetByTestId("point-tooltip");
        await Assertions.Expect(tooltip).ToBeVisibleAsync();
        await Assertions.Expect(tooltip).ToContainTextAsync("Unofficial price");

        // What the browser drew: no two labels' boxes intersect.
        var boxes = await chart.Locator("text.bench-point-label").EvaluateAllAsync<double[][]>(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })");
        Assert.True(boxes.Length >= 10, $"{boxes.Length} labels");
        for (var a = 0; a < boxes.Length; a++)
        {
            for (var b = a + 1; b < boxes.Length; b++)
            {
                var overlap = boxes[a][0] < boxes[b][2] && boxes[b][0] < boxes[a][2] && boxes[a][1] < boxes[b][3] && boxes[b][1] < boxes[a][3];
                Assert.False(overlap, $"Labels {a} and {b} overlap.");
            }
        }

        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Scatter_HasOnePointPerModelWithBothAPriceAndAnIndex()
    {
        await OpenInteractiveAsync("benchmarks?view=cost&publisher=Microsoft&publisher=Meta");

        var points = await Page.GetByTestId("scatter-point").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-model'))");

        await Page.GotoAsync("benchmarks?publisher=Microsoft&publisher=Meta&view=list");
        var rows = Page.Locator("[data-testid=bench-table] tbody tr[data-model]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var indexed = new List<string>();
        foreach (var row in await rows.AllAsync())
        {
            var index = await row.Locator("td.bench-cell").Nth(2).TextContentAsync();
            if (index != "—")
            {
                indexed.Add((await row.GetAttributeAsync("data-model"))!);
            }
        }

        var expected = indexed.Where(id => BenchmarkData.Embedded.PricesFor(id).Count > 0).Order().ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, points.Order());
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task ListView_CsvExport_MatchesTheTableCellForCell()
    {
        await OpenInteractiveAsync($"benchmarks?view=list&models={Llama}&models={Phi}&models={Mistral}&models=text-embedding-3-small");
        var table = Page.GetByTestId("bench-table");
        await Assertions.Expect(table.Locator("tbody tr[data-model]")).ToHaveCountAsync(4);

        var header = await table.Locator("thead th").EvaluateAllAsync<string[]>("els => els.slice(0, -1).map(e => e.textContent.trim())");
        var rows = await table.Locator("tbody tr[data-model]").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [r.querySelector('th a').textContent.trim(), ...Array.from(r.querySelectorAll('td.bench-cell')).map(c => c.textContent.trim())])");

        var href = await Page.GetByTestId("bench-export").GetAttributeAsync("href");
        var response = await Page.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        var csv = ParseCsv(await response.TextAsync());

        Assert.Equal(header, csv[0]);
        Assert.Equal(rows.Length, csv.Count - 1);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i], csv[i + 1]);
        }

        Assert.Contains(rows, r => r.Contains("—"));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task ListView_SortByAColumn_IsInTheUrl_AndMissingNumbersStayLast()
    {
        await OpenInteractiveAsync($"benchmarks?view=list&models={Llama}&models={Phi}&models=text-embedding-3-small&dataset=MMLU");

        await Page.Locator("[data-testid=bench-table] thead th").Filter(new() { HasText = "MMLU" }).Last.GetByRole(AriaRole.Link).ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("sort=MMLU"));
        var order = await Page.Locator("[data-testid=bench-table] tbody tr[data-model]").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-model'))");
        Assert.Equal("text-embedding-3-small", order[^1]);
        Assert.Empty(BrowserErrors);
    }

    /// <summary>RFC 4180 as CsvHelper writes it: quoted fields may hold commas and doubled quotes.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            var fields = new List<string>();
            var field = new System.Text.StringBuilder();
            var quoted = false;
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"')
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }
}

[Collection(WritablePortalServerGroup.Name)]
public sealed class CompareTrayTests(WritablePortalServerFixture server) : PortalPageTest(server)
{
    [Fact]
    public async Task AddToCompare_FromCardsAndModelPage_TrayPersistsAcrossNavigationAndReload_ThenCompares()
    {
        await OpenInteractiveAsync("models?publisher=Microsoft&task=chat-completion");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to compare Phi-3-mini instruct (4k)", Exact = true }).ClickAsync();
        var tray = Page.GetByTestId("compare-tray");
        await Assertions.Expect(tray.Locator("li")).ToHaveCountAsync(1);

        await Page.GotoAsync("models/Meta-Llama-3-8B-Instruct");
        await WaitForCircuitAsync();
        await Assertions.Expect(tray.Locator("li")).ToHaveCountAsync(1);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add to compare Meta-Llama-3-8B-Instruct", Exact = true }).ClickAsync();
        await Assertions.Expect(tray.Locator("li")).ToHaveCountAsync(2);

        await Page.ReloadAsync();
        await WaitForCircuitAsync();
        await Assertions.Expect(tray.Locator("li")).ToHaveCountAsync(2);

        await tray.GetByRole(AriaRole.Link, new() { Name = "Compare", Exact = true }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("benchmarks/compare\\?models=Phi-3-mini-4k-instruct&models=Meta-Llama-3-8B-Instruct$"));
        await Assertions.Expect(Page.Locator("tr[data-column=MMLU] td[data-model=Phi-3-mini-4k-instruct] .bench-compare-value")).ToHaveTextAsync("70.9");

        await tray.GetByRole(AriaRole.Button, new() { Name = "Clear the compare tray" }).ClickAsync();
        await Assertions.Expect(tray).ToHaveCountAsync(0);
        Assert.Empty(BrowserErrors);
    }
}
