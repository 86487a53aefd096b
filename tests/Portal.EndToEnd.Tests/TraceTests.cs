using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data.Tracing;

namespace Portal.EndToEnd.Tests;

/// <summary>A chat answer links to the trace of its model call, which shows the prompt, the answer and the timings.</summary>
[Collection(PlaygroundServerGroup.Name)]
public sealed partial class TraceTests(PlaygroundServerFixture server) : PortalPageTest(server)
{
    [Fact]
    public async Task ChatAnswer_ViewTrace_ShowsThePromptTheAnswerAndTheTimings()
    {
        var prompt = "Trace this prompt " + Guid.NewGuid().ToString("N")[..6];
        await OpenInteractiveAsync($"playground/chat?connection={PlaygroundServerFixture.ConnectionName}&model=peer-chat");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync(prompt);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("far away.", new() { Timeout = 20_000 });

        await Page.GetByRole(AriaRole.Link, new() { Name = "View trace" }).Last.ClickAsync();

        await Assertions.Expect(Page).ToHaveURLAsync(TracePath());
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("chat peer-chat");
        await Assertions.Expect(Page.GetByTestId("trace-messages")).ToContainTextAsync(prompt);
        await Assertions.Expect(Page.GetByTestId("trace-response")).ToContainTextAsync($"Echo: {prompt}");
        var timings = Page.GetByTestId("trace-timings");
        await Assertions.Expect(timings).ToContainTextAsync("Time to first token");
        await Assertions.Expect(timings).ToContainTextAsync(MillisecondsOrSeconds());
        await Assertions.Expect(timings).ToContainTextAsync("as reported by the endpoint");
        await Assertions.Expect(Page.GetByTestId("trace-facts")).ToContainTextAsync(PlaygroundServerFixture.ConnectionName);
        Assert.DoesNotContain(PlaygroundServerFixture.PeerKey, await Page.ContentAsync(), StringComparison.Ordinal);

        // The list has the call too, and its filter by model is in the address.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Traces" }).First.ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Table).First).ToContainTextAsync("peer-chat");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task Compare_EachPaneLinksToItsOwnTrace()
    {
        var pane = Uri.EscapeDataString($"{PlaygroundServerFixture.ConnectionName}|peer-chat");
        await OpenInteractiveAsync($"playground/compare?pane={pane}&pane={pane}");
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Two traces please");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        var links = new List<string>();
        foreach (var name in new[] { "pane-0", "pane-1" })
        {
            var link = Page.GetByTestId(name).GetByRole(AriaRole.Link, new() { Name = "View trace" });
            await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 20_000 });
            links.Add((await link.GetAttributeAsync("href"))!);
        }

        Assert.All(links, l => Assert.Matches(TracePath(), "/" + l));
        Assert.NotEqual(links[0], links[1]);
        await Page.GetByTestId("pane-1").GetByRole(AriaRole.Link, new() { Name = "View trace" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("trace-facts")).ToContainTextAsync("compare");
        await Assertions.Expect(Page.GetByTestId("trace-messages")).ToContainTextAsync("Two traces please");
        Assert.Empty(BrowserErrors);
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task TracePages_InEachTheme_HaveNoSeriousViolations_AndFitTheWindow(string theme)
    {
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        var trace = new TraceRow
        {
            Id = Guid.CreateVersion7(started),
            StartedUtc = started,
            UserId = "local",
            Connection = PlaygroundServerFixture.ConnectionName,
            ServerAddress = "127.0.0.1:5000",
            Provider = "openai_compatible",
            Model = "peer-chat",
            Operation = "chat",
            Feature = "compare",
            Messages = """[{"role":"user","content":"A question with a long line that has to wrap inside its box rather than widen the page"}]""",
            Parameters = """{"temperature":0.7,"max_tokens":100}""",
            Response = "Partial answer",
            ContentCaptured = true,
            FinishReason = "content_filter",
            ContentFilter = """[{"name":"violence","severity":"medium","filtered":true}]""",
            TimeToFirstTokenMs = 31,
            TotalMs = 480,
            InputTokens = 20,
            OutputTokens = 4,
            TokensEstimated = true,
            Status = "error",
            ErrorType = "ContentFilter",
            ErrorMessage = "Blocked by the content filter. The provider's content filter stopped the answer: violence (medium).",
            RunId = Guid.NewGuid(),
        };
        await Server.Services.GetRequiredService<ITraceStore>().AddRangeAsync([trace], CancellationToken.None);
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);

        foreach (var path in new[] { "traces?status=error", $"traces/{trace.Id}" })
        {
            await OpenInteractiveAsync(path);
            await Assertions.Expect(Page.GetByText("ContentFilter").First).ToBeVisibleAsync();
            var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
            var serious = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();

            Assert.NotEmpty(result.Passes);
            Assert.True(serious.Count == 0, path + ": " + string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
            var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than the window.");
        }

        Assert.Empty(BrowserErrors);
    }

    [GeneratedRegex(@"/traces/[0-9a-f-]{36}$")]
    private static partial Regex TracePath();

    [GeneratedRegex(@"\d+(\.\d+)? (ms|s)")]
    private static partial Regex MillisecondsOrSeconds();
}
