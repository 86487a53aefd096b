namespace Portal.Azure;

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

/// <summary>A connection to save for a deployment. A class, not a record: its key must never be printed.</summary>
public sealed class DeploymentConnection(string name, Uri endpoint, string? apiKey, string model)
{
    public string Name { get; } = name;

    public Uri Endpoint { get; } = endpoint;

    public string? ApiKey { get; } = apiKey;

    public string Model { get; } = model;
}

/// <summary>
/// Where deployment connections are saved: the portal's connection store, which lives in the web app (per user, keys
/// encrypted). This seam keeps Portal.Azure free of web code.
/// </summary>
public interface IDeploymentConnectionStore
{
    /// <returns>The saved connection's name, or why it was not saved.</returns>
    Task<(string? SavedName, IReadOnlyList<string> Errors)> SaveAsync(DeploymentConnection connection, CancellationToken cancellationToken);
}

/// <summary>Turns a deployment into a connection the playgrounds can use: its endpoint and its primary key.</summary>
public sealed class DeploymentConnections(AzureService azure, IDeploymentConnectionStore store)
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

    public async Task<DeploymentConnectionResult> CreateAsync(AzureDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (BaseUrl(deployment) is not { } endpoint)
        {
            return new(DeploymentConnectionOutcome.NoEndpointYet, null, $"{deployment.Name} has no endpoint address yet; wait until it is running.");
        }

        try
        {
            var keys = await azure.ListKeysAsync(deployment, cancellationToken).ConfigureAwait(false);
            var model = deployment.Model?.Split('/') is { Length: > 0 } parts ? parts[^1] : deployment.Name;
            var (saved, errors) = await store.SaveAsync(new DeploymentConnection(deployment.Name.Replace('/', '-'), endpoint, keys.PrimaryKey, model), cancellationToken).ConfigureAwait(false);
            return saved is not null
                ? new(DeploymentConnectionOutcome.Created, saved, $"Connection '{saved}' is ready: open it in the chat playground.")
                : new(DeploymentConnectionOutcome.NotSaved, null, $"The connection could not be saved: {string.Join(" ", errors)}");
        }
        catch (ArmException ex)
        {
            return new(DeploymentConnectionOutcome.KeyUnreadable, null, $"The key of {deployment.Name} could not be read, so no connection was made: {ex.Error.Message}");
        }
    }
}
