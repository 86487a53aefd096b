using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

[Collection(AzureServerGroup.Name)]
public sealed class DeployTests(AzureServerFixture server) : PortalPageTest(server)
{
    [Fact]
    public async Task DeployFromTheModelPage_ToServerless_ShowsProgress_AndEndsWithAWorkingConnection()
    {
        await OpenInteractiveAsync("models/Meta-Llama-3-8B-Instruct");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Deploy", Exact = true }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("deployments/new\\?model=Meta-Llama-3-8B-Instruct$"));
        await Assertions.Expect(Page.GetByLabel("Model asset id")).ToHaveValueAsync("azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct");

        await Page.GetByLabel("Project").SelectOptionAsync(Portal.TestPeers.ArmPeer.ProjectId());
        await Page.GetByLabel("Endpoint name").FillAsync("llama3-e2e");
        await Page.GetByLabel("Endpoint name").BlurAsync();
        await Assertions.Expect(Page.GetByTestId("review")).ToContainTextAsync("marketplace subscription");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();

        // Progress while Azure works: an operation in progress is shown before the end.
        await Assertions.Expect(Page.GetByTestId("progress").Locator("li[data-status=InProgress]").First).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("deploy-done")).ToContainTextAsync("llama3-e2e is running", new() { Timeout = 30_000 });
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Serverless endpoint llama3-e2e: Succeeded");

        await Page.GetByRole(AriaRole.Link, new() { Name = "Open in the chat playground" }).ClickAsync();
        await WaitForCircuitAsync();
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello deployed model");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo: Hello deployed model", new() { Timeout = 20_000 });

        await Page.GotoAsync("deployments");
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.Locator("tr[data-deployment=llama3-e2e]")).ToContainTextAsync("Online");
        Assert.DoesNotContain("sk-deployed-endpoint-key-42", await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Logs, line => line.Contains("sk-deployed-endpoint-key-42", StringComparison.Ordinal));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task AFailedOperation_ShowsArmsMessage()
    {
        await OpenInteractiveAsync("deployments/new?model=Phi-3-mini-4k-instruct");
        await Page.GetByLabel("Project").SelectOptionAsync(Portal.TestPeers.ArmPeer.ProjectId());
        await Page.GetByLabel("Endpoint name").FillAsync("fail-e2e");
        await Page.GetByLabel("Endpoint name").BlurAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();

        await Assertions.Expect(Page.GetByTestId("deploy-error")).ToContainTextAsync("ModelNotAvailable", new() { Timeout = 30_000 });
        await Assertions.Expect(Page.GetByTestId("deploy-error")).ToContainTextAsync("not available for serverless deployment in region");
        await Assertions.Expect(Page.GetByTestId("progress")).ToContainTextAsync("Serverless endpoint fail-e2e: Failed");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task OpeningDeployments_AsksAzureForEachListOnce_AndActsOnlyWhenConnected()
    {
        var arm = ((AzureServerFixture)Server).Arm;
        var before = arm.Requests.Count;

        await OpenInteractiveAsync("deployments");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Refresh" })).ToBeEnabledAsync();

        var calls = arm.Requests.Skip(before).Where(r => r.Method == "GET").GroupBy(r => r.Path).ToList();
        Assert.Contains(calls, c => c.Key == $"{Portal.TestPeers.ArmPeer.ProjectId()}/serverlessEndpoints");
        // Workspaces and Cognitive Services accounts come on two pages with one path; every other list is asked for once per page load.
        Assert.All(calls.Where(c => !c.Key.EndsWith("/workspaces", StringComparison.Ordinal) && !c.Key.EndsWith("/accounts", StringComparison.Ordinal)), c => Assert.Single(c));
        Assert.Empty(BrowserErrors);
    }
}
