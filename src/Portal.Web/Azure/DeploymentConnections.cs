using Portal.Azure;
using Portal.Playground.Inference;
using Portal.Web.Connections;

namespace Portal.Web.Azure;

/// <summary>Turns a deployment into a connection the playgrounds can use: its endpoint and its primary key.</summary>
public static class DeploymentConnections
{
    /// <summary>The OpenAI-compatible base URL of a deployment: a serverless endpoint's inference URI, or a managed endpoint's scoring host with <c>/v1/</c>.</summary>
    public static Uri? BaseUrl(AzureDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.EndpointUrl is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return deployment.Kind == AzureDeploymentKind.Serverless ? uri : new Uri(uri, "/v1/");
    }

    /// <returns>A sentence for the page: what was created, or why not.</returns>
    public static async Task<string> CreateAsync(AzureDeployment deployment, AzureService azure, ConnectionService connections)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(azure);
        ArgumentNullException.ThrowIfNull(connections);
        if (BaseUrl(deployment) is not { } endpoint)
        {
            return $"{deployment.Name} has no endpoint address yet; wait until it is running.";
        }

        try
        {
            var keys = await azure.ListKeysAsync(deployment, CancellationToken.None);
            var model = deployment.Model?.Split('/') is { Length: > 0 } parts ? parts[^1] : deployment.Name;
            var name = deployment.Name.Replace('/', '-');
            var existing = await connections.FindAsync(name, CancellationToken.None);
            var (saved, errors) = await connections.SaveAsync(new ConnectionInput(existing?.Id, name, ConnectionKind.AzureAIFoundry, endpoint.AbsoluteUri,
                keys.PrimaryKey is null ? ConnectionAuth.None : ConnectionAuth.ApiKey, keys.PrimaryKey, [model]), CancellationToken.None);
            return saved is not null
                ? $"Connection '{saved.Name}' is ready: open it in the chat playground."
                : $"The connection could not be saved: {string.Join(" ", errors)}";
        }
        catch (ArmException ex)
        {
            return $"The key of {deployment.Name} could not be read, so no connection was made: {ex.Error.Message}";
        }
    }
}
