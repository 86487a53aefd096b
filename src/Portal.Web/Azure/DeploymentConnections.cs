using Portal.Azure;
using Portal.Playground.Inference;
using Portal.Web.Connections;

namespace Portal.Web.Azure;

/// <summary>What became of making a connection from a deployment.</summary>
public enum DeploymentConnectionOutcome
{
    Created,
    NoEndpointYet,
    KeyUnreadable,
    NotSaved,
}

/// <summary>The outcome (for logic), the connection's name when one was made, and a sentence for the page.</summary>
public sealed record DeploymentConnectionResult(DeploymentConnectionOutcome Outcome, string? ConnectionName, string Message);

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

    public static async Task<DeploymentConnectionResult> CreateAsync(AzureDeployment deployment, AzureService azure, ConnectionService connections, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(azure);
        ArgumentNullException.ThrowIfNull(connections);
        if (BaseUrl(deployment) is not { } endpoint)
        {
            return new(DeploymentConnectionOutcome.NoEndpointYet, null, $"{deployment.Name} has no endpoint address yet; wait until it is running.");
        }

        try
        {
            var keys = await azure.ListKeysAsync(deployment, cancellationToken);
            var model = deployment.Model?.Split('/') is { Length: > 0 } parts ? parts[^1] : deployment.Name;
            var name = deployment.Name.Replace('/', '-');
            var existing = await connections.FindAsync(name, cancellationToken);
            var (saved, errors) = await connections.SaveAsync(new ConnectionInput(existing?.Id, name, ConnectionKind.AzureAIFoundry, endpoint.AbsoluteUri,
                keys.PrimaryKey is null ? ConnectionAuth.None : ConnectionAuth.ApiKey, keys.PrimaryKey, [model]), cancellationToken);
            return saved is not null
                ? new(DeploymentConnectionOutcome.Created, saved.Name, $"Connection '{saved.Name}' is ready: open it in the chat playground.")
                : new(DeploymentConnectionOutcome.NotSaved, null, $"The connection could not be saved: {string.Join(" ", errors)}");
        }
        catch (ArmException ex)
        {
            return new(DeploymentConnectionOutcome.KeyUnreadable, null, $"The key of {deployment.Name} could not be read, so no connection was made: {ex.Error.Message}");
        }
    }
}
