using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Tests.Access;
using Portal.Web.Access;

namespace Portal.Tests.Evaluations;

/// <summary>The evaluations HTTP API, as a CI pipeline uses it (sign-in off: the local Owner).</summary>
public sealed class EvaluationApiTests : IAsyncLifetime
{
    private static readonly string[] JudgedScorers = ["substring-match", "judge:relevance"];
    private static readonly string[] Substring = ["substring-match"];
    private static readonly string[] BadRegex = ["substring-match", "regex:("];
    private static readonly string[] Exact = ["exact-match"];

    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await OpenAiPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Post_Is202WithLocation_AndGetShowsStatusCountsAndPerTargetScores()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        using var client = host.App.GetTestClient();

        using var posted = await client.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), new
        {
            name = "ci",
            rows = new object[]
            {
                new { input = "What is 2 + 3?", expected = "5" },
                new { input = new[] { new { role = "user", content = "What is 1 + 1?" } }, expected = "11" },
            },
            targets = new[] { new { connection = "peer", model = "peer-quiz" }, new { connection = "peer", model = "peer-quiz-off" } },
            scorers = JudgedScorers,
            judge = new { connection = "peer", model = "peer-judge" },
            concurrency = 2,
        });

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await JsonAsync(posted)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/evaluations/{id}", posted.Headers.Location!.OriginalString);
        var run = await host.WaitAsync(id);
        Assert.Equal(Portal.Web.Evaluations.EvaluationStatus.Completed, run.Status);

        using var got = await client.GetAsync(posted.Headers.Location);
        var body = await JsonAsync(got);
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(4, body.GetProperty("counts").GetProperty("succeeded").GetInt32());
        Assert.Equal(0, body.GetProperty("counts").GetProperty("pending").GetInt32());
        var quiz = body.GetProperty("targets")[0];
        Assert.Equal(("peer", "peer-quiz"), (quiz.GetProperty("connection").GetString(), quiz.GetProperty("model").GetString()));
        Assert.Equal(0.5, quiz.GetProperty("scores").GetProperty("substring-match").GetDouble());
        Assert.Equal(0.75, quiz.GetProperty("scores").GetProperty("judge:relevance").GetDouble());
        Assert.Equal(4, quiz.GetProperty("scoreDetails").GetProperty("judge:relevance").GetProperty("mean").GetDouble());
        Assert.True(quiz.GetProperty("latency").GetProperty("totalP50Ms").GetDouble() > 0);
        Assert.True(quiz.GetProperty("tokens").GetProperty("output").GetInt64() > 0);
        Assert.True(quiz.TryGetProperty("cost", out _));
        Assert.Equal(0, body.GetProperty("targets")[1].GetProperty("scores").GetProperty("substring-match").GetDouble());

        using var rows = await client.GetAsync(new Uri($"/api/evaluations/{id}/rows", UriKind.Relative));
        var items = (await JsonAsync(rows)).GetProperty("items");
        Assert.Equal(2, items.GetArrayLength());
        Assert.Equal("The answer is 5.", items[0].GetProperty("cells")[0].GetProperty("answer").GetString());
        Assert.Equal("user", items[1].GetProperty("input")[0].GetProperty("role").GetString());
        Assert.Equal(4, items[0].GetProperty("cells")[0].GetProperty("scores").GetProperty("judge:relevance").GetProperty("value").GetDouble());

        using var list = await client.GetAsync(new Uri("/api/evaluations", UriKind.Relative));
        Assert.Contains((await JsonAsync(list)).GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetGuid() == id);
        using var datasets = await client.GetAsync(new Uri("/api/datasets", UriKind.Relative));
        Assert.Contains((await JsonAsync(datasets)).GetProperty("items").EnumerateArray(), d => d.GetProperty("isExample").GetBoolean());
    }

    [Fact]
    public async Task ABadBody_Is400_NamingEachBadField()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        using var client = host.App.GetTestClient();

        using var response = await client.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), new
        {
            name = "bad",
            rows = new object[] { new { input = "fine" }, new { input = 42 }, new { input = new[] { new { role = "wizard", content = "hi" } } } },
            targets = new[] { new { connection = "peer", model = "peer-quiz" }, new { connection = "peer", model = "" } },
            scorers = Substring,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        Assert.Equal(["rows[1].input", "rows[2].input"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("unknown role 'wizard'", errors.GetProperty("rows[2].input")[0].GetString(), StringComparison.Ordinal);

        using var second = await client.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), new
        {
            rows = new object[] { new { input = "fine" } },
            targets = new[] { new { connection = "peer", model = "peer-quiz" }, new { connection = "peer", model = "" } },
            scorers = BadRegex,
        });
        var secondErrors = (await JsonAsync(second)).GetProperty("errors");
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(["scorers[1]", "targets[1].model"], secondErrors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        using var malformed = await client.PostAsync(new Uri("/api/evaluations", UriKind.Relative), new StringContent("{\"targets\": 3", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using var form = await client.PostAsync(new Uri("/api/evaluations", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x" }));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
    }

    [Fact]
    public async Task UnknownIds_Are404()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        using var client = host.App.GetTestClient();
        var id = Guid.NewGuid();

        using var get = await client.GetAsync(new Uri($"/api/evaluations/{id}", UriKind.Relative));
        using var rows = await client.GetAsync(new Uri($"/api/evaluations/{id}/rows", UriKind.Relative));
        using var cancel = await client.PostAsync(new Uri($"/api/evaluations/{id}/cancel", UriKind.Relative), JsonContent.Create(new { }));

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { get.StatusCode, rows.StatusCode, cancel.StatusCode });
    }

    [Fact]
    public async Task Cancel_ThroughTheApi_StopsTheRun()
    {
        _peer.TokenDelay = TimeSpan.FromMilliseconds(100);
        await using var host = await EvaluationHost.StartAsync(_peer);
        using var client = host.App.GetTestClient();
        using var posted = await client.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), new
        {
            rows = Enumerable.Range(1, 30).Select(i => new { input = $"What is {i} + 1?", expected = $"{i + 1}" }),
            targets = new[] { new { connection = "peer", model = "peer-quiz" } },
            scorers = Exact,
            concurrency = 1,
        });
        var id = (await JsonAsync(posted)).GetProperty("id").GetGuid();

        using var cancelled = await client.PostAsync(new Uri($"/api/evaluations/{id}/cancel", UriKind.Relative), JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await JsonAsync(cancelled)).GetProperty("status").GetString());
        Assert.True((await host.WaitAsync(id)).Counts.Pending > 0);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheEvaluationsApi()
    {
        await using var host = await EvaluationHost.StartAsync(_peer);
        using var client = host.App.GetTestClient();

        var document = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        var paths = JsonDocument.Parse(document).RootElement.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/evaluations").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.GetProperty("/api/evaluations/{id}/rows").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/evaluations/{id}/cancel").TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/datasets").TryGetProperty("get", out _));
        Assert.Contains("\"judgePrompts\"", document, StringComparison.Ordinal);
    }
}

/// <summary>With sign-in on: the API needs a signed-in caller, and changes a bearer token.</summary>
public sealed class EvaluationApiSignInTests(MatrixHost host) : IClassFixture<MatrixHost>
{
    [Fact]
    public async Task Anonymous_Is401_AndTheBrowserCookieCannotStartARun()
    {
        using var anonymous = host.App.GetTestClient();
        var developer = await host.UserAsync(PortalRole.AzureAIDeveloper, "ci");
        using var browser = await host.CookieClientForAsync(developer);
        var body = new { rows = new[] { new { input = "What is 1 + 1?" } }, targets = new[] { new { connection = "x", model = "peer-quiz" } }, scorers = new[] { "exact-match" } };

        using var read = await anonymous.GetAsync(new Uri("/api/evaluations", UriKind.Relative));
        using var start = await anonymous.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), body);
        using var cookieRead = await browser.GetAsync(new Uri("/api/evaluations", UriKind.Relative));
        using var cookieStart = await browser.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, start.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cookieRead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cookieStart.StatusCode);
    }

    [Fact]
    public async Task ARun_ActsAsItsOwner_WithTheOwnersPersonalConnection_InTheBackground()
    {
        var developer = await host.UserAsync(PortalRole.AzureAIDeveloper, "runner");
        var personal = await PermissionMatrixCases.SeedConnectionAsync(host, developer);
        using var client = await host.ClientForAsync(developer);

        using var posted = await client.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), new
        {
            rows = new[] { new { input = "What is 20 + 22?", expected = "42" } },
            targets = new[] { new { connection = personal.Name, model = "peer-quiz" } },
            scorers = Substring,
        });
        var id = JsonDocument.Parse(await posted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var run = await WaitAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal(Portal.Web.Evaluations.EvaluationStatus.Completed, run.Status);
        Assert.Equal(1, run.Targets[0].Scores[0].Mean);
        Assert.Equal(developer, run.OwnerId);
    }

    [Fact]
    public async Task AQueuedRunOfAnOwnerWhoLostTheRole_FailsWithTheReason_AndSendsNothing()
    {
        var demoted = await host.UserAsync(PortalRole.Reader, "demoted");
        var id = await PermissionMatrixCases.SeedRunAsync(host, demoted, "Queued");
        var requests = host.Peer.Requests.Count;

        host.Get<Portal.Web.Evaluations.EvaluationRunner>().Enqueue(id);
        var run = await WaitAsync(id);

        Assert.Equal(Portal.Web.Evaluations.EvaluationStatus.Failed, run.Status);
        Assert.Contains("may no longer run evaluations", run.Error, StringComparison.Ordinal);
        Assert.Contains("Azure AI Developer", run.Error, StringComparison.Ordinal);
        Assert.Equal(requests, host.Peer.Requests.Count);
        Assert.Equal(1, await host.AuditCountAsync(demoted, PortalAction.RunEvaluation, AuditOutcome.Denied));
    }

    private static readonly string[] Substring = ["substring-match"];

    private async Task<Portal.Web.Evaluations.EvaluationRunInfo> WaitAsync(Guid id)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var scope = host.App.Services.CreateAsyncScope();
            var run = await scope.ServiceProvider.GetRequiredService<Portal.Web.Evaluations.IEvaluationService>().GetAsync(id, CancellationToken.None);
            if (run!.Status is not (Portal.Web.Evaluations.EvaluationStatus.Queued or Portal.Web.Evaluations.EvaluationStatus.Running))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < until, $"still {run.Status}");
            await Task.Delay(50);
        }
    }
}
