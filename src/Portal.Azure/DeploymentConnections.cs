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

/// <summary>What kind of endpoint a deployment connection points at.</summary>
public enum DeploymentConnectionKind
{
    /// <summary>A serverless or managed endpoint of an Azure AI project (OpenAI-compatible, <c>api-key</c> header).</summary>
    AzureAIFoundry,

    /// <summary>An Azure OpenAI account's <c>/openai/v1/</c> endpoint; the model sent is the deployment's name.</summary>
    AzureOpenAI,
}

/// <summary>A connection to save for a deployment. A class, not a record: its key must never be printed.</summary>
public sealed class DeploymentConnection(string name, Uri endpoint, string? apiKey, string model, DeploymentConnectionKind kind = DeploymentConnectionKind.AzureAIFoundry)
{
    public string Name { get; } = name;

    public Uri Endpoint { get; } = endpoint;

    public string? ApiKey { get; } = apiKey;

    public string Model { get; } = model;

    public DeploymentConnectionKind Kind { get; } = kind;
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

    /// <summary>
    /// A connection to an Azure OpenAI deployment: the account's <c>/openai/v1/</c> address, the account's first key, and
    /// the deployment's name as the model (Azure OpenAI routes by deployment name, not model name).
    /// </summary>
    public async Task<DeploymentConnectionResult> CreateForOpenAIAsync(OpenAIDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var account = deployment.Account;
        if (account.OpenAIV1Endpoint is not { } endpoint)
        {
            return new(DeploymentConnectionOutcome.NoEndpointYet, null, $"Account {account.Name} has no HTTPS OpenAI endpoint yet, so no connection was made; wait until the account is provisioned.");
        }

        if (account.LocalAuthDisabled)
        {
            return new(DeploymentConnectionOutcome.KeyUnreadable, null,
                $"Account {account.Name} does not allow keys (local authentication is disabled), so no key connection was made: add an Azure OpenAI connection with Microsoft Entra ID to {endpoint} and model {deployment.Name} in Settings → Connections.");
        }

        try
        {
            var keys = await azure.ListAccountKeysAsync(account, cancellationToken).ConfigureAwait(false);
            var (saved, errors) = await store.SaveAsync(new DeploymentConnection($"{account.Name}-{deployment.Name}", endpoint, keys.Key1, deployment.Name, DeploymentConnectionKind.AzureOpenAI), cancellationToken).ConfigureAwait(false);
            return saved is not null
                ? new(DeploymentConnectionOutcome.Created, saved, $"Connection '{saved}' is ready (Azure OpenAI, model {deployment.Name}): open it in the chat playground.")
                : new(DeploymentConnectionOutcome.NotSaved, null, $"The deployment exists, but the connection could not be saved: {string.Join(" ", errors)}");
        }
        catch (ArmException ex)
        {
            return new(DeploymentConnectionOutcome.KeyUnreadable, null, $"The keys of account {account.Name} could not be read, so no connection was made (the deployment itself exists): {ex.Error.Message}");
        }
    }
}
