using Portal.Azure;
using Portal.Playground.Inference;
using Portal.Web.Connections;

namespace Portal.Web.Azure;

/// <summary>Saves a deployment's connection among the current user's connections (an Azure AI Foundry endpoint or an Azure OpenAI account, its key encrypted).</summary>
public sealed class DeploymentConnectionStore(ConnectionService connections) : IDeploymentConnectionStore
{
    public async Task<(string? SavedName, IReadOnlyList<string> Errors)> SaveAsync(DeploymentConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Replaces the user's own connection of that name; a shared one is never changed from here (the name is then taken).
        var existing = await connections.FindAsync(connection.Name, cancellationToken);
        var (saved, errors) = await connections.SaveAsync(new ConnectionInput(existing is { Shared: false, FromConfiguration: false } ? existing.Id : null, connection.Name,
            connection.Kind == DeploymentConnectionKind.AzureOpenAI ? ConnectionKind.AzureOpenAI : ConnectionKind.AzureAIFoundry, connection.Endpoint.AbsoluteUri,
            connection.ApiKey is null ? ConnectionAuth.None : ConnectionAuth.ApiKey, connection.ApiKey, [connection.Model]), cancellationToken);
        return (saved?.Name, errors);
    }
}
