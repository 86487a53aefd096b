using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Tracing;
using Portal.Web.Components.Pages.Traces;
using Portal.Web.Hosting;

namespace Portal.Components.Tests;

/// <summary>
/// <c>/traces</c> and <c>/traces/{id}</c> with sign-in on: each person sees their own model calls, an Owner everyone's
/// (with a User column and filter); filters and hidden columns come from and go to the address; the detail page shows
/// the request, the response, timings, tokens and cost with their sources, and "not found" for someone else's trace.
/// </summary>
public sealed class TracePagesTests : PortalBunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTraceStore _traces;

    public TracePagesTests()
        : this(new FakeTraceStore())
    {
    }

    private TracePagesTests(FakeTraceStore traces)
        : base(services =>
        {
            // The portal's tracing registration, with the store (the edge) in memory.
            services.AddTracing(new ConfigurationBuilder().Build());
            services.AddSingleton<ITraceStore>(traces);
        },
        new Dictionary<string, string?>
        {
            ["Portal:Auth:Mode"] = "Oidc",
            ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
            ["Portal:Auth:Oidc:ClientId"] = "portal-tests",
        })
    {
        _traces = traces;
    }

    private TraceRow Seed(string user, string model, int minutesAgo, string status = "ok", bool capture = true, Guid? run = null)
    {
        var row = new TraceRow
        {
            Id = Guid.NewGuid(),
            StartedUtc = Now.AddMinutes(-minutesAgo),
            UserId = user,
            Connection = "team-peer",
            ServerAddress = "127.0.0.1:5000",
            Provider = "openai_compatible",
            Model = model,
            Operation = "chat",
            Feature = "chat",
            RunId = run,
            Messages = capture ? """[{"role":"system","content":"Be brief."},{"role":"user","content":"Where is Paris?"}]""" : null,
            Parameters = """{"temperature":0.2,"max_tokens":64}""",
            Response = capture ? "In France." : null,
            ContentCaptured = capture,
            FinishReason = "stop",
            TimeToFirstTokenMs = 42.4,
            TotalMs = 1234,
            InputTokens = 7,
            OutputTokens = 3,
            TokensEstimated = true,
            CostLowUsd = 0.0001,
            CostHighUsd = 0.0002,
            CostModel = "GPT-4o",
            Status = status,
        };
        _traces.Rows.Add(row);
        return row;
    }

    private IRenderedComponent<Traces> RenderList(string url = "traces")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<Traces>();
    }

    [Fact]
    public void List_NoTraces_ShowsTheEmptyState_WithAPlaygroundLink()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");

        var cut = RenderList();

        cut.WaitForAssertion(() => Assert.Contains("No model calls recorded yet — send a prompt in the", cut.Find("[role=status]").TextContent, StringComparison.Ordinal));
        Assert.Equal("playground", cut.FindAll("a").Single(a => a.TextContent.Trim() == "Playground").GetAttribute("href"));
    }

    [Fact]
    public void List_AsADeveloper_ShowsOnlyTheirOwnCalls_WithoutAUserColumn()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        Seed("oidc:dana", "dana-model", 1);
        Seed("oidc:erin", "erin-model", 2);

        var cut = RenderList();

        cut.WaitForAssertion(() => Assert.Contains("dana-model", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("erin-model", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("th"), th => th.TextContent.Trim() == "User");
        Assert.DoesNotContain(cut.FindAll("label"), l => l.TextContent.Trim() == "User");
        Assert.Contains("for you", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void List_AsAnOwner_ShowsEveryonesCalls_WithAUserColumnAndFilter()
    {
        User.Set("oidc:olga", "Owner");
        Seed("oidc:dana", "dana-model", 1);
        Seed("oidc:erin", "erin-model", 2);

        var cut = RenderList();

        cut.WaitForAssertion(() => Assert.Contains("erin-model", cut.Markup, StringComparison.Ordinal));
        Assert.Contains("dana-model", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(cut.FindAll("th"), th => th.TextContent.Trim() == "User");
        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == "User");
    }

    [Fact]
    public void List_NewestFirst_EachRowLinksToItsTrace_WithCostAndTokensLabelled()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        var older = Seed("oidc:dana", "older-model", 30);
        var newer = Seed("oidc:dana", "newer-model", 1);

        var cut = RenderList();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        var links = cut.FindAll("tbody a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal([$"traces/{newer.Id}", $"traces/{older.Id}"], links);
        Assert.Contains("7 / 3 (estimated)", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("≈ $0.0001–$0.0002", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("unofficial community price map", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void List_FilterInTheAddress_IsApplied()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        Seed("oidc:dana", "phi-3", 1, status: "error");
        Seed("oidc:dana", "gpt-4o", 2);

        var cut = RenderList("traces?model=phi-3&status=error");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tbody tr")));
        Assert.Contains("phi-3", cut.Find("tbody").TextContent, StringComparison.Ordinal);
        Assert.Equal("phi-3", _traces.LastQuery?.Model);
        Assert.Equal("error", _traces.LastQuery?.Status);
        Assert.Equal("oidc:dana", _traces.LastQuery?.UserId);
    }

    [Fact]
    public async Task List_ColumnChooser_HidesAColumn_AndPutsItInTheAddress()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        Seed("oidc:dana", "phi-3", 1);
        var cut = RenderList("traces?model=phi-3");
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("th"), th => th.TextContent.Trim() == "TTFT"));

        await cut.ClickButtonAsync("Columns");
        await cut.InvokeAsync(() => cut.FindAll("label").Single(l => l.TextContent.Trim() == "TTFT").QuerySelector("input")!.Change(false));

        var uri = Services.GetRequiredService<NavigationManager>().Uri;
        Assert.EndsWith("traces?model=phi-3&hide=ttft", uri, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.FindAll("th"), th => th.TextContent.Trim() == "TTFT"));
        Assert.Contains(cut.FindAll("th"), th => th.TextContent.Trim() == "Model");
    }

    [Fact]
    public void Detail_ShowsTheRequestResponseTimingsTokensAndCost_WithTheirSources()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        var run = Guid.NewGuid();
        var trace = Seed("oidc:dana", "gpt-4o", 1, run: run);

        var cut = Render<TraceDetails>(p => p.Add(c => c.Id, trace.Id.ToString()));

        cut.WaitForAssertion(() => Assert.Equal("chat gpt-4o", cut.Find("h1").TextContent.Trim()));
        Assert.Contains("Where is Paris?", cut.Find("[data-testid=trace-messages]").TextContent, StringComparison.Ordinal);
        Assert.Equal("In France.", cut.Find("[data-testid=trace-response]").TextContent);
        var timings = cut.Find("[data-testid=trace-timings]").TextContent;
        Assert.Contains("42.4 ms", timings, StringComparison.Ordinal);
        Assert.Contains("1.23 s", timings, StringComparison.Ordinal);
        Assert.Contains("7 / 3 (estimated)", timings, StringComparison.Ordinal);
        Assert.Contains("the endpoint reported no usage", timings, StringComparison.Ordinal);
        Assert.Contains("unofficial community price for GPT-4o", timings, StringComparison.Ordinal);
        Assert.Contains("temperature", cut.Find("[data-testid=trace-parameters]").TextContent, StringComparison.Ordinal);
        var runLink = cut.FindAll("a").Single(a => a.TextContent.Contains("Open evaluation run", StringComparison.Ordinal));
        Assert.Equal($"evaluations/{run}", runLink.GetAttribute("href"));
    }

    [Theory]
    [InlineData("someone-elses")]
    [InlineData("unknown")]
    [InlineData("not-a-guid")]
    public void Detail_SomeoneElsesUnknownOrMalformedId_IsNotFound(string which)
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        var erins = Seed("oidc:erin", "erin-model", 1);
        var id = which switch { "someone-elses" => erins.Id.ToString(), "unknown" => Guid.NewGuid().ToString(), _ => "nonsense" };

        var cut = Render<TraceDetails>(p => p.Add(c => c.Id, id));

        cut.WaitForAssertion(() => Assert.Equal("Trace not found", cut.Find("h1").TextContent.Trim()));
        Assert.DoesNotContain("erin-model", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Detail_AsAnOwner_ShowsSomeoneElsesTrace()
    {
        User.Set("oidc:olga", "Owner");
        var erins = Seed("oidc:erin", "erin-model", 1);

        var cut = Render<TraceDetails>(p => p.Add(c => c.Id, erins.Id.ToString()));

        cut.WaitForAssertion(() => Assert.Equal("chat erin-model", cut.Find("h1").TextContent.Trim()));
        Assert.Contains("oidc:erin", cut.Find("[data-testid=trace-facts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Detail_ContentNotCaptured_SaysSo()
    {
        User.Set("oidc:dana", "AzureAIDeveloper");
        var trace = Seed("oidc:dana", "gpt-4o", 1, capture: false);

        var cut = Render<TraceDetails>(p => p.Add(c => c.Id, trace.Id.ToString()));

        cut.WaitForAssertion(() => Assert.Contains("Content capture was off", cut.Find("[data-testid=trace-no-content]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=trace-response]"));
    }
}

/// <summary>Traces in memory, filtered as the store filters them.</summary>
public sealed class FakeTraceStore : ITraceStore
{
    public List<TraceRow> Rows { get; } = [];

    public TraceQuery? LastQuery { get; private set; }

    public Task AddRangeAsync(IReadOnlyCollection<TraceRow> rows, CancellationToken cancellationToken)
    {
        Rows.AddRange(rows);
        return Task.CompletedTask;
    }

    public Task<(IReadOnlyList<TraceRow> Items, int Total)> QueryAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        LastQuery = query;
        var rows = Rows.Where(t => (query.UserId is null || t.UserId == query.UserId)
            && (query.Model is null || t.Model == query.Model)
            && (query.Connection is null || t.Connection == query.Connection)
            && (query.Feature is null || t.Feature == query.Feature)
            && (query.Operation is null || t.Operation == query.Operation)
            && (query.Status is null || t.Status == query.Status)).OrderByDescending(t => t.StartedUtc).ToList();
        return Task.FromResult<(IReadOnlyList<TraceRow>, int)>(([.. rows.Skip(query.Skip).Take(query.Take)], rows.Count));
    }

    public Task<TraceRow?> GetAsync(Guid id, string? userId, CancellationToken cancellationToken) =>
        Task.FromResult(Rows.FirstOrDefault(t => t.Id == id && (userId is null || t.UserId == userId)));

    public Task<TraceFacets> FacetsAsync(string? userId, CancellationToken cancellationToken)
    {
        var rows = Rows.Where(t => userId is null || t.UserId == userId).ToList();
        return Task.FromResult(new TraceFacets(
            [.. rows.Select(t => t.Model).Distinct().Order(StringComparer.Ordinal)],
            [.. rows.Select(t => t.Connection).Distinct().Order(StringComparer.Ordinal)],
            [.. rows.Select(t => t.UserId).Distinct().Order(StringComparer.Ordinal)]));
    }

    public Task<int> PurgeAsync(DateTimeOffset beforeUtc, CancellationToken cancellationToken) => Task.FromResult(Rows.RemoveAll(t => t.StartedUtc < beforeUtc));
}
