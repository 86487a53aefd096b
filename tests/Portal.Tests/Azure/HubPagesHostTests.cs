using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web;
using Portal.Web.Hosting;

namespace Portal.Tests.Azure;

/// <summary>The hub and project wizards on the real host: prerendering asks Azure nothing and says the page waits for the circuit.</summary>
public sealed class HubPagesHostTests
{
    [Fact]
    public async Task Prerendering_TheCreationPages_AsksAzureNothing()
    {
        await using var arm = await ArmPeer.StartAsync();
        using var temp = new TempDirectory();
        await using var app = PortalWebApplication.Create(
            [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", $"--Portal:Azure:Endpoint={arm.BaseUrl}", $"--Portal:Azure:Subscriptions:0={ArmPeer.Subscription}"],
            builder =>
            {
                builder.WebHost.UseTestServer();
                builder.Services.AddKeyedSingleton<TokenCredential>(AzureServiceCollectionExtensions.CredentialKey, new TestCredential());
                builder.Services.AddSingleton<HttpPipelineTransport>(new HttpClientTransport(arm.CreateTrustingHandler()));
            });
        await app.StartAsync();
        using var client = app.GetTestClient();
        var before = arm.Requests.Count;

        foreach (var page in new[] { "/azure/hubs/new", $"/azure/projects/new?parent={Uri.EscapeDataString(ArmPeer.ProjectId("team-hub"))}" })
        {
            using var response = await client.GetAsync(new Uri(page, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("looked up when the page is connected", html, StringComparison.Ordinal);
            Assert.Empty(arm.Requests.Skip(before).Select(r => $"{r.Method} {r.Path}"));
        }

        await app.StopAsync();
    }
}
