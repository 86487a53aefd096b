using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Azure;
using Portal.Catalog;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web;
using Portal.Web.Hosting;

namespace Portal.Tests.Azure;

/// <summary>
/// The live Azure OpenAI models against the HTTPS ARM peer: accounts in Sweden Central (team-openai, locked-openai) and
/// East US 2 (team-aiservices); dall-e-3 and gpt-4o 2024-11-20 only in Sweden Central.
/// </summary>
public sealed class AzureOpenAICatalogSourceTests : IAsyncLifetime
{
    private ArmPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await ArmPeer.StartAsync();

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private AzureOpenAICatalogSource Source() => new(new AzureService(ArmTestClient.Create(_peer), TimeProvider.System), TimeProvider.System);

    [Fact]
    public async Task Load_ReadsEachLocationOnce_AndGivesRegionFactsWithProvenance()
    {
        var load = await Source().LoadWithProblemsAsync(CancellationToken.None);

        Assert.Empty(load.Problems);
        Assert.Equal(["dall-e-3", "gpt-4o", "gpt-4o-mini", "text-embedding-3-small"], load.Models.Select(m => m.Id).Order(StringComparer.Ordinal));
        var gpt4o = load.Models.Single(m => m.Id == "gpt-4o");
        Assert.Equal(["eastus2", "swedencentral"], gpt4o.RegionsOffering().Order(StringComparer.Ordinal));
        Assert.Equal(["swedencentral"], gpt4o.RegionsOffering("2024-11-20"));
        Assert.Equal(["swedencentral"], load.Models.Single(m => m.Id == "dall-e-3").RegionsOffering());
        var retiring = Assert.Single(gpt4o.Regions, r => r.Region == "eastus2" && r.Version == "2024-05-13");
        Assert.Equal(("Deprecating", new DateOnly(2026, 12, 20)), (retiring.LifecycleStatus, retiring.InferenceDeprecationDate));
        Assert.Equal($"From the models API of location eastus2 (subscription {ArmPeer.Subscription})", retiring.Source);
        Assert.Equal(["Standard", "GlobalStandard", "DataZoneStandard", "ProvisionedManaged"], gpt4o.Regions.Single(r => r.Region == "swedencentral" && r.Version == "2024-08-06").Skus);

        // Two accounts in Sweden Central, one in East US 2: each location is asked once; no account kind without OpenAI models is.
        var asked = _peer.Requests.Where(r => r.Path.EndsWith("/models", StringComparison.Ordinal) && r.Path.Contains("/locations/", StringComparison.Ordinal)).Select(r => r.Path).ToList();
        Assert.Equal(2, asked.Count);
        Assert.DoesNotContain(asked, p => p.Contains("westeurope", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Load_ALocationFails_TheOtherLoads_AndTheFailureIsThisSourcesProblem()
    {
        _peer.FailingModelLocations.Add(ArmPeer.AIServicesLocation);

        var load = await Source().LoadWithProblemsAsync(CancellationToken.None);

        var problem = Assert.Single(load.Problems);
        Assert.StartsWith($"The models of location East US 2 (eastus2, subscription {ArmPeer.Subscription}) could not be read: The signed-in identity lacks permission for this (403).", problem, StringComparison.Ordinal);
        Assert.Equal(["swedencentral"], load.Models.Single(m => m.Id == "gpt-4o").RegionsOffering());
    }

    [Fact]
    public async Task Load_NoSubscriptions_AsksAzureNothing()
    {
        var client = new ArmRestClient(Options.Create(new AzureOptions { Endpoint = _peer.BaseUrl }), new TestCredential(), new HttpClientTransport(_peer.CreateTrustingHandler()), TimeProvider.System);

        var load = await new AzureOpenAICatalogSource(new AzureService(client, TimeProvider.System), TimeProvider.System).LoadWithProblemsAsync(CancellationToken.None);

        Assert.Empty(load.Models);
        Assert.Empty(load.Problems);
        Assert.Empty(_peer.Requests);
    }

    [Fact]
    public async Task Host_JoinsTheEmbeddedCatalog_RegionFilterInTheApi_AndTheModelPage()
    {
        using var temp = new TempDirectory();
        await using var app = WithArmPeer(_peer, temp);
        await app.StartAsync();
        using var client = app.GetTestClient();

        var catalog = app.Services.GetRequiredService<ICatalogService>();
        Assert.Null(Assert.Single(catalog.Sources, s => s.Name == "Azure OpenAI models (live)").Error);
        Assert.Equal(68, catalog.Current.Count);
        var gpt4o = catalog.Current.Find("gpt-4o")!;
        Assert.Equal("Embedded catalog (sourced facts shipped with the portal)", gpt4o.Provenance[0].SourceName);
        Assert.Contains(gpt4o.Provenance, p => p.SourceName == $"From the models API of location swedencentral (subscription {ArmPeer.Subscription})");

        var sweden = await GetJsonAsync(client, "/api/models?region=swedencentral&pageSize=200");
        var east = await GetJsonAsync(client, "/api/models?region=eastus2&pageSize=200");
        var either = await GetJsonAsync(client, "/api/models?region=eastus2&region=SWEDENCENTRAL&pageSize=200");
        var nowhere = await GetJsonAsync(client, "/api/models?region=westeurope");

        Assert.Equal(4, sweden.GetProperty("total").GetInt32());
        Assert.Equal(["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"], Ids(east));
        Assert.Equal(4, either.GetProperty("total").GetInt32());
        Assert.Equal(0, nowhere.GetProperty("total").GetInt32());
        Assert.Contains("No model has region 'westeurope'.", nowhere.GetProperty("notices").EnumerateArray().Select(n => n.GetString()));
        var facet = sweden.GetProperty("facets").GetProperty("region").EnumerateArray()
            .Select(v => (v.GetProperty("value").GetString(), v.GetProperty("label").GetString(), v.GetProperty("count").GetInt32(), v.GetProperty("selected").GetBoolean()));
        Assert.Equal([("eastus2", "East US 2", 3, false), ("swedencentral", "Sweden Central", 4, true)], facet);

        var page = await client.GetStringAsync(new Uri("/models/dall-e-3", UriKind.Relative));
        Assert.Contains("Region availability", page, StringComparison.Ordinal);
        Assert.Contains("data-region=\"swedencentral\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-region=\"eastus2\"", page, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Host_ALocationFails_TheCatalogPageSaysSo_AndTheRestWorks()
    {
        _peer.FailingModelLocations.Add(ArmPeer.AIServicesLocation);
        using var temp = new TempDirectory();
        await using var app = WithArmPeer(_peer, temp);
        await app.StartAsync();
        using var client = app.GetTestClient();

        var page = await client.GetStringAsync(new Uri("/models", UriKind.Relative));
        var east = await GetJsonAsync(client, "/api/models?region=eastus2");

        Assert.Contains("Azure OpenAI models (live) loaded in part; the rest of the catalog is shown. The models of location East US 2", page, StringComparison.Ordinal);
        Assert.Contains("Sweden Central", page, StringComparison.Ordinal);
        Assert.Equal(0, east.GetProperty("total").GetInt32());
        Assert.Equal(68, app.Services.GetRequiredService<ICatalogService>().Current.Count);
        await app.StopAsync();
    }

    private static string[] Ids(JsonElement list) =>
        [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The portal on a test server, whose Azure is the HTTPS ARM peer (its transport and a token it accepts).</summary>
    private static WebApplication WithArmPeer(ArmPeer arm, TempDirectory temp) => PortalWebApplication.Create(
        [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", $"--Portal:Azure:Endpoint={arm.BaseUrl}", $"--Portal:Azure:Subscriptions:0={ArmPeer.Subscription}"],
        builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Services.AddKeyedSingleton<TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new TestCredential());
            builder.Services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
        });
}
