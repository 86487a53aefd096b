using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web;
using Portal.Web.Components.Pages.Evaluations;
using Portal.Web.Components.Pages.Playground;
using Portal.Web.Connections;
using Portal.Web.Evaluations;

namespace Portal.Components.Tests.FineTuning;

/// <summary>
/// What a fine-tuned model's actions open: the new evaluation with its targets from the address, and the chat playground
/// with a model the connection does not list (a fine-tuned model id, as typed).
/// </summary>
public sealed class FineTunedModelPrefillTests() : PortalBunitContext(null, ConnectionSettings(
[
    new ConfiguredConnection { Name = "openai-ft", Kind = "OpenAI", Endpoint = "http://127.0.0.1:9/v1/", ApiKey = "sk-never-sent-1234", Models = ["gpt-4o-mini", "gpt-4o"] },
    new ConfiguredConnection { Name = "other", Kind = "OpenAICompatible", Endpoint = "http://127.0.0.1:9/v1/", Models = ["llama3"] },
]))
{
    private const string FineTuned = "ft:gpt-4o-mini-2024-07-18:portal-peer:alpha:abc123";

    private void At(string relative) => Services.GetRequiredService<NavigationManager>().NavigateTo(relative);

    private static string? Value<T>(IRenderedComponent<T> cut, string selector)
        where T : IComponent => cut.Find(selector).GetAttribute("value");

    [Fact]
    public async Task NewEvaluation_TargetsFromTheAddress_ArePrefilled_AndStartedAsGiven()
    {
        var dataset = DatasetService.Add("support");
        At(EvaluationUrls.NewRunWithTargets([("openai-ft", FineTuned), ("openai-ft", "gpt-4o-mini-2024-07-18")]) + $"&dataset={dataset.Id}");

        var cut = Render<NewEvaluation>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=target-1]")));

        Assert.Equal(2, cut.FindAll("fieldset[data-testid^=target-]").Count);
        Assert.Equal(FineTuned, Value(cut, "#target0-model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", Value(cut, "#target1-model"));
        Assert.True(cut.Find("#target0-connection option[value='openai-ft']").HasAttribute("selected"));
        Assert.True(cut.Find("#target1-connection option[value='openai-ft']").HasAttribute("selected"));
        Assert.Empty(cut.FindAll("[data-testid=prefill-note]"));

        await cut.SubmitAsync("form.ev-form");

        cut.WaitForAssertion(() => Assert.Single(EvaluationService.Started));
        var spec = EvaluationService.Started[0];
        Assert.Equal([("openai-ft", FineTuned), ("openai-ft", "gpt-4o-mini-2024-07-18")], spec.Targets.Select(t => (t.Connection, t.Model)));
        Assert.Equal(dataset.Id, spec.DatasetId);
    }

    [Fact]
    public void NewEvaluation_UnreadableOrUnknownTargets_AreSaid_AndTooManyAreCut()
    {
        At("evaluations/new?target=no-bar&target=" + Uri.EscapeDataString("gone|m1") + string.Concat(Enumerable.Range(1, 4).Select(i => "&target=" + Uri.EscapeDataString($"openai-ft|model-{i}"))));

        var cut = Render<NewEvaluation>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=prefill-note]")));

        var note = cut.Find("[data-testid=prefill-note]").TextContent;
        Assert.Contains("Not taken from the address: 'no-bar' (each target is written target=<connection>|<model>).", note, StringComparison.Ordinal);
        Assert.Contains("the first 4 of the 5 in the address were taken", note, StringComparison.Ordinal);
        Assert.Contains("The connection 'gone' in the address is not one you can use: choose another for target 1", note, StringComparison.Ordinal);
        Assert.Equal(4, cut.FindAll("fieldset[data-testid^=target-]").Count);
        Assert.Equal("m1", Value(cut, "#target0-model"));
        Assert.Equal("model-3", Value(cut, "#target3-model"));
    }

    [Fact]
    public void NewEvaluation_WithoutTargetsInTheAddress_KeepsItsOneEmptyTarget()
    {
        var cut = Render<NewEvaluation>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=target-0]")));

        Assert.Single(cut.FindAll("fieldset[data-testid^=target-]"));
        Assert.Empty(cut.FindAll("[data-testid=prefill-note]"));
    }

    [Fact]
    public void ChatPlayground_FineTunedModelNotInTheConnectionsList_IsChosenAsTyped()
    {
        At(PortalUrls.PlaygroundChat("openai-ft", FineTuned));

        var cut = Render<ChatPlayground>();
        cut.WaitForAssertion(() => Assert.Equal(FineTuned, Value(cut, "#chat-model")));

        Assert.True(cut.Find("#chat-connection option[value='openai-ft']").HasAttribute("selected"));
        // The list offers the connection's own models; the fine-tuned one is used as given, without a "not served" note.
        Assert.Equal(["gpt-4o-mini", "gpt-4o"], cut.FindAll("#chat-models option").Select(o => o.GetAttribute("value")));
        Assert.Empty(cut.FindAll("[data-testid=model-unserved]"));
    }
}
