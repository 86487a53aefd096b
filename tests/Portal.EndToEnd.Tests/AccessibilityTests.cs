using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>axe-core's WCAG 2 A/AA rules on the portal's pages, in the light and the dark theme, once the circuit is up.</summary>
[Collection(PortalServerGroup.Name)]
public sealed class AccessibilityTests(PortalServerFixture server) : PortalPageTest(server)
{
    [Theory]
    [InlineData("", "material")]
    [InlineData("", "material-dark")]
    [InlineData("models", "material")]
    [InlineData("models", "material-dark")]
    [InlineData("models/Phi-3-mini-4k-instruct", "material")]
    [InlineData("models/Phi-3-mini-4k-instruct", "material-dark")]
    [InlineData("benchmarks", "material")]
    [InlineData("benchmarks", "material-dark")]
    [InlineData("playground/chat", "material-dark")]
    [InlineData("playground/compare", "material")]
    [InlineData("deployments", "material-dark")]
    [InlineData("settings/connections", "material")]
    [InlineData("no-such-page", "material-dark")]
    public async Task Page_InEachTheme_HasNoWcagViolations(string path, string theme)
    {
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);
        if (path == "no-such-page")
        {
            await Page.GotoAsync(path);
        }
        else
        {
            await OpenInteractiveAsync(path);
        }

        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa"] } });

        Assert.NotEmpty(result.Passes); // axe really looked at the page
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }
}
