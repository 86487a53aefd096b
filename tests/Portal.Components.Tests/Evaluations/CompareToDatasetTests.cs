using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Web.Components.Pages.Playground;
using Portal.Web.Connections;

namespace Portal.Components.Tests.Evaluations;

/// <summary>The compare playground's "Save as dataset", with answers from the loopback peer.</summary>
public sealed class CompareToDatasetTests() : PeerBunitContext(null, peer => [new ConfiguredConnection { Name = "peer", Endpoint = peer.V1.AbsoluteUri, Models = ["peer-quiz", "peer-quiz-off"] }])
{
    [Fact]
    public async Task SaveAsDataset_PromptsBecomeInputs_AndTheChosenAnswerIsExpected()
    {
        var dialogs = Render<MudDialogProvider>();
        Render<MudSnackbarProvider>();
        Services.GetRequiredService<NavigationManager>().NavigateTo($"playground/compare?pane={Uri.EscapeDataString("peer|peer-quiz")}&pane={Uri.EscapeDataString("peer|peer-quiz-off")}");
        var cut = Render<ComparePlayground>();
        foreach (var question in new[] { "What is 2 + 3?", "What is 10 + 4?" })
        {
            await cut.ChangeAsync("#compare-message", question);
            await cut.SubmitAsync("form.pg-composer");
            cut.WaitForAssertion(() => Assert.Contains("Send", cut.Find("form.pg-composer").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        }

        cut.WaitForAssertion(() => Assert.Contains("The answer is 15.", cut.Find("[data-testid=pane-1]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await cut.ClickButtonAsync("Save as dataset");
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=dataset-prompts] li").Count));
        await dialogs.ChangeAsync("#expected-0", "0");   // prompt 1: pane 1's answer ("The answer is 5.")
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Save dataset");

        dialogs.WaitForAssertion(() => Assert.Single(DatasetService.Created));
        var (name, rows) = DatasetService.Created[0];
        Assert.Equal("Compare: What is 2 + 3?", name);
        Assert.Equal(["What is 2 + 3?", "What is 10 + 4?"], rows.Select(r => r.Input.Question ?? "").ToArray());
        Assert.Equal("The answer is 5.", rows[0].Expected);
        Assert.Null(rows[1].Expected);
        Assert.Equal("playground-compare", rows[0].Metadata["source"]);
    }

    [Fact]
    public void SaveAsDataset_IsNotOfferedBeforeAPromptIsSent()
    {
        var cut = Render<ComparePlayground>();

        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Save as dataset");
    }
}
