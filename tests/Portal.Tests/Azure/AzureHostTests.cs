using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web;
using Portal.Web.Hosting;

namespace Portal.Tests.Azure;

/// <summary>Azure in the real host: nothing configured, a credential that is missing, and the catalog source over the ARM peer.</summary>
public sealed class AzureHostTests
{
    [Fact]
    public async Task NoAzure_ThePortalStarts_AndTheDeploymentsPageExplains()
    {
        await using var host = await Hosting.PortalHost.StartAsync();
        using var client = host.CreateClient();

        var deployments = await client.GetAsync(new Uri("/deployments", UriKind.Relative));
        var catalog = await client.GetAsync(new Uri("/api/models?pageSize=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, deployments.StatusCode);
        var html = await deployments.Content.ReadAsStringAsync();
        Assert.Contains("Azure is not set up yet", html, StringComparison.Ordinal);
        Assert.Contains("az login", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
    }

    [Fact]
    public async Task SubscriptionsConfigured_ButNoCredential_TheCatalogStillLoads_AndSaysWhy()
    {
        using var temp = new TempDirectory();
        await using var app = PortalWebApplication.Create(
            [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", "--Portal:Azure:Endpoint=https://127.0.0.1:9/", $"--Portal:Azure:Subscriptions:0={ArmPeer.Subscription}", "--Portal:Azure:MaxRetries=0"],
            builder =>
            {
                builder.WebHost.UseTestServer();
                builder.Services.AddKeyedSingleton<TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new TestCredential(failure: new global::Azure.Identity.CredentialUnavailableException("no sign-in")));
            });
        await app.StartAsync();

        var catalog = app.Services.GetRequiredService<ICatalogService>();

        Assert.Equal(67, catalog.Current.Count);
        var azure = Assert.Single(catalog.Sources, s => s.Name == "Azure registries and projects");
        Assert.Contains("No Azure credential", azure.Error, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task CatalogSource_AddsRegistryAndProjectModels_WithProvenance()
    {
        await using var arm = await ArmPeer.StartAsync();
        using var temp = new TempDirectory();
        await using var app = WithArmPeer(arm, temp);
        await app.StartAsync();

        var catalog = app.Services.GetRequiredService<ICatalogService>().Current;

        var llama = catalog.Find("Meta-Llama-3-8B-Instruct")!;
        Assert.Contains(llama.Provenance, p => p.SourceName.StartsWith("From registry azureml-meta", StringComparison.Ordinal));
        Assert.Equal("Embedded catalog (sourced facts shipped with the portal)", llama.Provenance[0].SourceName);
        var teamModel = catalog.Find("team-finetune")!;
        Assert.Contains("From project Team project", teamModel.Provenance[0].SourceName, StringComparison.Ordinal);
        Assert.Equal(68, catalog.Count);
        await app.StopAsync();
    }

    [Fact]
    public async Task Prerendering_TheAzurePages_AsksAzureNothing_TheyWaitForTheCircuit()
    {
        await using var arm = await ArmPeer.StartAsync();
        using var temp = new TempDirectory();
        await using var app = WithArmPeer(arm, temp);
        await app.StartAsync();
        _ = app.Services.GetRequiredService<ICatalogService>().Current;
        using var client = app.GetTestClient();
        var before = arm.Requests.Count;

        foreach (var page in new[] { "/deployments", "/deployments/new?model=Phi-3-mini-4k-instruct", "/settings/azure" })
        {
            var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(arm.Requests.Skip(before).Select(r => $"{r.Method} {r.Path}"));
            Assert.Contains("when the page is connected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await app.StopAsync();
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
