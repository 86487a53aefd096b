using Portal.Web.Components.Pages.Catalog;
using Portal.Web.Connections;

namespace Portal.Components.Tests.Evaluations;

/// <summary>The model page's performance probe, sending to the loopback peer through a connection that serves the model.</summary>
public sealed class ProbePanelTests() : PeerBunitContext(null, peer =>
[
    new ConfiguredConnection { Name = "peer", Kind = "OpenAICompatible", Endpoint = peer.V1.AbsoluteUri, Auth = "None", Models = ["gpt-4o"] },
])
{
    private IRenderedComponent<ModelDetails> Open()
    {
        Peer.ExtraModels.Add("gpt-4o");
        var cut = Render<ModelDetails>(p => p.Add(c => c.Id, "gpt-4o"));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=probe-form]")));
        return cut;
    }

    [Fact]
    public async Task Probe_Runs_AndShowsItsResultWithTheSource()
    {
        var cut = Open();
        Assert.Contains("No probe has been run", cut.Find("[data-testid=probe-empty]").TextContent, StringComparison.Ordinal);
        Assert.Equal("peer", cut.Find("#probe-connection option[selected]").GetAttribute("value"));
        var requests = cut.FindAll("[data-testid=probe-form] label").Single(l => l.TextContent.Trim() == "Requests (N)").GetAttribute("for");
        await cut.ChangeAsync($"#{requests}", "6");

        await cut.SubmitAsync("[data-testid=probe-form]");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=probe-results]")), TimeSpan.FromSeconds(20));
        var source = cut.Find("[data-testid=probe-source]").TextContent;
        Assert.Contains("6 requests at concurrency 4, peer", source, StringComparison.Ordinal);
        Assert.StartsWith("measured here on 2026-11-22", source, StringComparison.Ordinal);
        var row = Assert.Single(ProbeStore.Rows);
        Assert.Equal(("gpt-4o", "peer", "gpt-4o", 0), (row.CatalogModelId, row.Connection, row.Model, row.Failed));
        Assert.Equal((6, 6), (row.Succeeded, Peer.Requests.Count(r => r.Path == "/v1/chat/completions")));
    }

    [Fact]
    public async Task Probe_FailingModel_ListsTheReasons()
    {
        var cut = Open();
        await cut.ChangeAsync("#probe-model", "fault-500");

        await cut.SubmitAsync("[data-testid=probe-form]");

        cut.WaitForAssertion(() => Assert.Contains("HTTP 500", cut.Find("[data-testid=probe-failures]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Contains("20 of 20", cut.Find("[data-testid=probe-results]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_WithoutAPrompt_SaysSo_AndSendsNothing()
    {
        var cut = Open();
        await cut.ChangeAsync("#probe-prompt", "  ");

        await cut.SubmitAsync("[data-testid=probe-form]");

        cut.WaitForAssertion(() => Assert.Contains("Write the prompt", cut.Find("[data-testid=probe] [role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(Peer.Requests);
        Assert.Empty(ProbeStore.Rows);
    }
}
