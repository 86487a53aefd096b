using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Every page of the portal, in the light and the dark theme, at 1440×900 once the circuit is up: axe-core's WCAG 2
/// A/AA rules find no critical or serious violation, the page is not wider than the window, and a full-page screenshot
/// is written to the test output (<c>screenshots/</c> beside the test assembly) for a person to look at.
/// </summary>
[Collection(PortalServerGroup.Name)]
public sealed class AccessibilityTests(PortalServerFixture server) : PortalPageTest(server)
{
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static TheoryData<string, string, string> Pages()
    {
        string[] paths =
        [
            "",
            "models",
            "models?view=list",
            "models?publisher=Meta&task=chat-completion",
            "models/Phi-3-mini-4k-instruct",
            "models/gpt-4o",
            "benchmarks",
            "benchmarks?view=list",
            "benchmarks?view=embeddings",
            "benchmarks/compare?models=Phi-3-mini-4k-instruct&models=Meta-Llama-3-8B-Instruct&models=Mistral-large",
            "playground",
            "playground/chat",
            "playground/completions",
            "playground/images",
            "playground/compare",
            "deployments",
            "deployments/new",
            "deployments/new/fine-tuned",
            "fine-tuning/compare",
            "services",
            "services?q=speech",
            "azure/hubs/new",
            "azure/projects/new",
            "evaluations",
            "evaluations/new",
            "evaluations/datasets",
            "fine-tuning",
            "fine-tuning/new",
            "fine-tuning/data",
            "settings",
            "settings/connections",
            "settings/catalog-imports",
            "settings/azure",
            "settings/access",
            "settings/audit",
            "settings/api-tokens",
            "account/signed-out",
            "account/sign-in-failed",
            "no-such-page",
            "error",
        ];
        var data = new TheoryData<string, string, string>();
        foreach (var path in paths)
        {
            foreach (var theme in new[] { "light", "dark" })
            {
                var name = path.Length == 0 ? "home" : new string([.. path.Select(c => char.IsLetterOrDigit(c) ? c : '-')]).Trim('-');
                data.Add(path, theme, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_InEachTheme_HasNoSeriousViolations_FitsTheWindow_AndIsPhotographed(string path, string theme, string name)
    {
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);
        if (path is "no-such-page" or "error" or "account/signed-out" or "account/sign-in-failed")
        {
            await Page.GotoAsync(path); // static pages: no circuit
        }
        else
        {
            await OpenInteractiveAsync(path);
        }

        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{name}-{theme}.png"), FullPage = true });

        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var serious = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();

        Assert.NotEmpty(result.Passes); // axe really looked at the page
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the window.");
    }
}
