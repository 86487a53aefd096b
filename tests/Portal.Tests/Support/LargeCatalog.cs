using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portal.Catalog.Sources;
using Portal.Web.Catalog;

namespace Portal.Tests.Support;

/// <summary>A catalog of thousands of models, imported the way the settings page imports a catalog file.</summary>
internal static class LargeCatalog
{
    /// <summary>Imports <paramref name="count"/> copies of the embedded models, each with an id of its own.</summary>
    public static async Task ImportAsync(WebApplication app, int count)
    {
        var embedded = JsonNode.Parse(EmbeddedCatalogSource.ReadJson())!["models"]!.AsArray();
        var models = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            var copy = embedded[i % embedded.Count]!.DeepClone();
            copy["id"] = $"{copy["id"]!.GetValue<string>()}-copy-{i}";
            copy["aliases"] = new JsonArray();
            models.Add(copy);
        }

        var content = new JsonObject { ["models"] = models }.ToJsonString();
        using var scope = app.Services.CreateScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<CatalogImporter>().ImportAsync("large", "large.json", content, CancellationToken.None);
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Select(e => $"{e.Path}: {e.Reason}")));
    }
}
