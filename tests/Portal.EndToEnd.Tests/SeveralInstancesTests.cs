using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using Portal.Catalog.Sources;
using Portal.TestPeers;
using Xunit.Abstractions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Two portal instances (processes of their own) on one real PostgreSQL, behind a YARP reverse proxy with cookie
/// affinity, in Chromium through the proxy: what one instance changes, the other shows; work of an instance that dies is
/// finished by the other.
/// </summary>
[Collection(SeveralInstancesGroup.Name)]
public sealed class SeveralInstancesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string PeerKey = "sk-several-instances-3K8W";
    private const string Connection = "team-peer";
    private const int Rows = 16;

    private readonly PostgreSqlServer _postgres = new();
    private readonly Dictionary<string, PortalProcess> _instances = [];
    private OpenAiPeer _peer = default!;
    private AffinityProxy _proxy = default!;
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync()
    {
        if (!PostgreSqlServer.IsAvailable)
        {
            throw new InvalidOperationException(PostgreSqlServer.SkipReason);
        }

        await _postgres.InitializeAsync();
        _peer = await OpenAiPeer.StartAsync(PeerKey);
        string[] settings =
        [
            "--Portal:Storage:Provider=PostgreSQL",
            $"--Portal:Storage:ConnectionString={_postgres.ConnectionString("portal_instances")}",
            // Short leases, so the test sees a takeover in seconds (the defaults are 30 s and 10 s).
            "--Portal:Instances:LeaseDuration=00:00:04",
            "--Portal:Instances:LeaseRenewInterval=00:00:01",
        ];

        // One after the other: the first applies the migrations, the second finds them applied.
        _instances["a"] = await PortalProcess.StartAsync(settings);
        _instances["b"] = await PortalProcess.StartAsync(settings);
        // A first request to each, so the browser does not wait for a cold instance's first render.
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
        {
            foreach (var instance in _instances.Values)
            {
                (await http.GetAsync(instance.BaseUrl + "models")).EnsureSuccessStatusCode();
            }
        }

        _proxy = await AffinityProxy.StartAsync(_instances.ToDictionary(i => i.Key, i => i.Value.BaseUrl));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = PortalServerFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        foreach (var (name, instance) in _instances)
        {
            await instance.DisposeAsync();
            foreach (var line in instance.Output.Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("warn:", StringComparison.Ordinal) || l.Contains("Evaluation run", StringComparison.Ordinal)))
            {
                output.WriteLine($"[{name}] {line}");
            }
        }

        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task TwoInstancesBehindAnAffinityProxy_ShareCatalogImportsConnectionsAndUnfinishedRuns()
    {
        // Two browsers: the proxy sends the first to one instance and the second to the other, and keeps them there.
        var (first, firstInstance) = await OpenBrowserAsync();
        var (second, secondInstance) = await OpenBrowserAsync();
        Assert.NotEqual(firstInstance, secondInstance);

        // 1. A catalog import through the first instance (the HTTP API, with the first browser's affinity) shows on the
        //    second instance's open /models page within 5 s, without a reload.
        var id = "multi-" + Guid.NewGuid().ToString("N")[..6];
        var name = $"Several Instances Model {id[^6..]}";
        await OpenInteractiveAsync(second.Page, $"models?q={id}");
        await Assertions.Expect(second.Page.GetByTestId("catalog-total")).ToHaveTextAsync("0 models");
        var import = await first.Page.APIRequest.PostAsync("api/catalog/imports", Json(new JsonObject { ["name"] = "team", ["fileName"] = "team.json", ["content"] = CatalogFile(id, name) }));
        Assert.Equal(201, import.Status);
        var imported = DateTime.UtcNow;
        Assert.Equal(firstInstance, import.Headers[AffinityProxy.InstanceHeader.ToLowerInvariant()]);
        await Assertions.Expect(second.Page.GetByTestId("catalog-total")).ToHaveTextAsync("1 model", new() { Timeout = 5_000 });
        output.WriteLine($"Import through {firstInstance} shown on {secondInstance}'s open /models page {(DateTime.UtcNow - imported).TotalSeconds:0.0} s later.");
        await Assertions.Expect(second.Page.GetByRole(AriaRole.Link, new() { Name = name })).ToBeVisibleAsync();

        // 2. A connection with a key saved through the first instance is tested through the second: the key, encrypted
        //    with the shared key ring, is readable there.
        var saved = await first.Page.APIRequest.PostAsync("api/connections", Json(new JsonObject
        {
            ["name"] = Connection,
            ["kind"] = "OpenAICompatible",
            ["endpoint"] = _peer.V1.AbsoluteUri,
            ["auth"] = "ApiKey",
            ["apiKey"] = PeerKey,
            ["models"] = new JsonArray("peer-chat", "peer-slow"),
        }));
        Assert.Equal(201, saved.Status);
        await OpenInteractiveAsync(second.Page, "settings/connections");
        await second.Page.GetByRole(AriaRole.Button, new() { Name = $"Test {Connection}" }).ClickAsync();
        await Assertions.Expect(second.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "✓" })).ToBeVisibleAsync();
        Assert.DoesNotContain(PeerKey, await second.Page.ContentAsync(), StringComparison.Ordinal);

        // 3. An evaluation run started through the first instance; the instance working on it is killed part-way, and
        //    the other instance takes the run over when its lease lapses and finishes it. 16 rows of the slow model take
        //    about a second each, so the kill lands while the run is still going.
        var started = await first.Page.APIRequest.PostAsync("api/evaluations", Json(new JsonObject
        {
            ["name"] = "takeover",
            ["rows"] = new JsonArray([.. Enumerable.Range(1, Rows).Select(n => (JsonNode)new JsonObject { ["input"] = $"Question {n}?", ["expected"] = "Echo" })]),
            ["targets"] = new JsonArray(new JsonObject { ["connection"] = Connection, ["model"] = "peer-slow" }),
            ["scorers"] = new JsonArray("substring-match"),
            ["concurrency"] = 1,
        }));
        Assert.True(started.Status == 202, await started.TextAsync());
        var run = JsonDocument.Parse(await started.TextAsync()).RootElement.GetProperty("id").GetGuid();
        var owner = await RunOwnerAsync(run);
        var (survivor, survivorInstance) = owner == firstInstance ? (second, secondInstance) : (first, firstInstance);
        await OpenInteractiveAsync(survivor.Page, $"evaluations/{run}");
        await Assertions.Expect(survivor.Page.GetByTestId("run-counts")).Not.ToContainTextAsync($"0 of {Rows} answers", new() { Timeout = 20_000 });
        await Assertions.Expect(survivor.Page.GetByTestId("run-status")).ToHaveTextAsync("Running");

        await _instances[owner].KillAsync();
        var killed = DateTime.UtcNow;
        await Assertions.Expect(survivor.Page.GetByTestId("run-status")).ToHaveTextAsync("Completed", new() { Timeout = 90_000 });
        await Assertions.Expect(survivor.Page.GetByTestId("run-counts")).ToContainTextAsync($"{Rows} of {Rows} answers");
        Assert.True(
            _instances[survivorInstance].Output.Any(l => l.Contains($"Evaluation run {run} taken over", StringComparison.Ordinal)),
            $"{survivorInstance} finished the run without taking it over: the run ended before {owner} was killed.");
        output.WriteLine($"Run {run}: owner {owner} killed; {survivorInstance} finished it {(DateTime.UtcNow - killed).TotalSeconds:0.0} s later.");

        // The browser that was on the dead instance is sent to the living one and works there, once the proxy's health
        // checks have found the dead one gone (until then the proxy answers 502, as App Service does).
        var (orphan, _) = owner == firstInstance ? (first, firstInstance) : (second, secondInstance);
        await _proxy.WaitUntilUnhealthyAsync(owner, TimeSpan.FromSeconds(15));
        var response = await orphan.Page.GotoAsync($"models?q={id}");
        Assert.Equal(survivorInstance, response!.Headers[AffinityProxy.InstanceHeader.ToLowerInvariant()]);
        await Assertions.Expect(orphan.Page.GetByTestId("catalog-total")).ToHaveTextAsync("1 model");
    }

    private sealed record Browser(IBrowserContext Context, IPage Page);

    private async Task<(Browser Browser, string Instance)> OpenBrowserAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _proxy.BaseUrl });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync("");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return (new Browser(context, page), response.Headers[AffinityProxy.InstanceHeader.ToLowerInvariant()]);
    }

    private static async Task OpenInteractiveAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("main[data-circuit]")).ToHaveAttributeAsync("data-circuit", "interactive");
    }

    private static APIRequestContextOptions Json(JsonObject body) => new()
    {
        Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
        Data = body.ToJsonString(),
    };

    /// <summary>Which instance holds the run's lease (its owner id carries the process id), once one does.</summary>
    private async Task<string> RunOwnerAsync(Guid run)
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString("portal_instances"));
        await connection.OpenAsync();
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var command = new NpgsqlCommand("""SELECT "Owner" FROM work_leases WHERE "Name" = @name""", connection);
            command.Parameters.AddWithValue("name", $"evaluation-run:{run:N}");
            if (await command.ExecuteScalarAsync() is string owner)
            {
                var pid = owner.Split('/')[1];
                return _instances.Single(i => i.Value.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == pid).Key;
            }

            Assert.True(DateTime.UtcNow < until, "No instance took the run's lease within 20 s.");
            await Task.Delay(100);
        }
    }

    private static string CatalogFile(string id, string name)
    {
        var model = JsonNode.Parse(EmbeddedCatalogSource.ReadJson())!["models"]!.AsArray()[0]!.DeepClone();
        model["id"] = id;
        model["display_name"] = name;
        model["aliases"] = new JsonArray();
        return new JsonObject { ["models"] = new JsonArray(model) }.ToJsonString();
    }
}

/// <summary>
/// Two portal processes and a PostgreSQL server are a whole machine's work on two cores: these tests run alone, after
/// the others, so neither they nor a test beside them wait on a starved CPU.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeveralInstancesGroup
{
    public const string Name = "Several portal instances, alone";
}
