using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// A job on an Azure OpenAI connection ends with a fine-tuned model, which on Azure answers only through a deployment:
/// from the job page a person deploys it into the account behind the connection (the ARM peer), confirms the summary,
/// follows the deployment, and chats with the model through the connection the portal made.
/// </summary>
[Collection(AzureServerGroup.Name)]
public sealed class FineTunedDeployTests(AzureServerFixture server) : PortalPageTest(server)
{
    private const string Key = "sk-deployed-endpoint-key-42";
    private const string TrainingLine = """{"messages": [{"role": "user", "content": "Where is my order?"}, {"role": "assistant", "content": "Let me look it up."}]}""";

    private AzureServerFixture Azure => (AzureServerFixture)Server;

    [Fact]
    public async Task AzureJobSucceeds_DeployItsModelFromTheJobPage_ThenChatWithIt()
    {
        var suffix = "dep" + Guid.NewGuid().ToString("N")[..5];
        var connection = "aoai-ft-" + suffix;
        var saved = await Page.APIRequest.PostAsync(Server.BaseUrl + "api/connections", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Data = new JsonObject
            {
                ["name"] = connection,
                ["kind"] = "AzureOpenAI",
                ["endpoint"] = new Uri(Azure.Inference.BaseUrl, "openai/v1/").AbsoluteUri,
                ["auth"] = "ApiKey",
                ["apiKey"] = Key,
                ["models"] = new JsonArray("gpt-4o-mini"),
            }.ToJsonString(),
        });
        Assert.True(saved.Status == 201, await saved.TextAsync());
        var fileId = await UploadTrainingFileAsync($"{suffix}.jsonl");

        // The job, created through the form on the Azure OpenAI connection, followed to the end.
        await OpenInteractiveAsync("fine-tuning/new");
        await Field("Connection").SelectOptionAsync(connection);
        await Field("Base model").SelectOptionAsync("gpt-4o-mini");
        await Assertions.Expect(Field("Training file (uploaded)").Locator($"option[value='{fileId}']")).ToHaveCountAsync(1);
        await Field("Training file (uploaded)").SelectOptionAsync(fileId);
        await Field("Suffix").FillAsync(suffix);
        await Field("Suffix").PressAsync("Tab");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create job" }).ClickAsync();
        await Page.WaitForURLAsync(new Regex("/fine-tuning/jobs/[0-9a-f-]{36}$"));
        await WaitForCircuitAsync();
        await Assertions.Expect(Page.GetByTestId("job-status")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        var model = (await Page.GetByTestId("fine-tuned-model").TextContentAsync())!.Trim();
        Assert.Matches(@"^gpt-4o-mini[^:]*\.ft-", model);
        Azure.Arm.FineTunedModels.Add(model);

        // Deploy: the account behind the connection's host is found; nothing is PUT before the summary is confirmed.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Deploy to chat with it" }).ClickAsync();
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/deployments/new/fine-tuned\\?job="));
        await WaitForCircuitAsync();
        // The peer's accounts share its loopback host, as accounts on a regional endpoint do: the person chooses.
        await Page.GetByLabel("Account", new() { Exact = true }).SelectOptionAsync(Portal.TestPeers.ArmPeer.AccountId(), new() { Timeout = 15_000 });
        await Assertions.Expect(Page.GetByTestId("account")).ToContainTextAsync("Account team-openai");
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Review deployment" })).ToBeEnabledAsync();
        var name = await Page.GetByLabel("Deployment name").InputValueAsync();
        Assert.Contains(suffix, name, StringComparison.Ordinal);
        await AssertAccessibleAsync("fine-tuned-deploy");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Review deployment" }).ClickAsync();
        var summary = Page.GetByTestId("confirm-summary");
        await Assertions.Expect(summary).ToContainTextAsync($"Deployment {name} of the fine-tuned model {model} (version 1)");
        await Assertions.Expect(summary).ToContainTextAsync("team-openai");
        Assert.DoesNotContain(Azure.Arm.Requests, r => r.Method == "PUT" && r.Path.EndsWith($"/deployments/{name}", StringComparison.Ordinal));
        await AssertAccessibleAsync("fine-tuned-deploy-summary");

        Azure.Inference.ExtraModels.Add(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create deployment" }).ClickAsync();
        var done = Page.GetByTestId("deploy-done");
        await Assertions.Expect(done).ToContainTextAsync($"{name} is ready", new() { Timeout = 30_000 });
        var put = Assert.Single(Azure.Arm.Requests, r => r.Method == "PUT" && r.Path.EndsWith($"/deployments/{name}", StringComparison.Ordinal));
        Assert.Equal(model, put.Body?["properties"]?["model"]?["name"]?.GetValue<string>());
        Assert.Equal("OpenAI", put.Body?["properties"]?["model"]?["format"]?.GetValue<string>());

        // Chat with it through the connection the portal made: the deployment's name is the model.
        await done.GetByRole(AriaRole.Link, new() { Name = "Open in the chat playground" }).ClickAsync();
        await WaitForCircuitAsync();
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Hello fine-tuned model");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("answer").Last).ToContainTextAsync("Echo: Hello fine-tuned model", new() { Timeout = 20_000 });
        var call = Assert.Single(Azure.Inference.Requests, r => r.Path == "/openai/v1/chat/completions" && r.Body?["model"]?.GetValue<string>() == name);
        Assert.Equal(Key, call.Headers["api-key"]);

        Assert.DoesNotContain(Key, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(BrowserErrors);
    }

    private ILocator Field(string label) => Page.GetByLabel(label, new() { Exact = true });

    /// <summary>Uploads a training file to the peer's Files API as Azure OpenAI takes it (dated address, the account's key in api-key).</summary>
    private async Task<string> UploadTrainingFileAsync(string name)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("api-key", Key);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("fine-tune"), "purpose" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(TrainingLine + "\n" + TrainingLine + "\n")), "file", name },
        };
        using var response = await http.PostAsync(new Uri(Azure.Inference.BaseUrl, "openai/files?api-version=2024-10-21"), form);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetString()!;
    }
}
