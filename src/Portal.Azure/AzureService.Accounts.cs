using Azure.Core;

namespace Portal.Azure;

/// <summary>Reads of Microsoft.CognitiveServices: accounts, their keys, deployments, models, usages, SKUs and projects.</summary>
public sealed partial class AzureService
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, AccountDiscovery> _accountCache = new();

    /// <summary>
    /// Azure OpenAI and AI services accounts (every kind) in the subscriptions, following <c>nextLink</c>; reused for
    /// <see cref="AzureOptions.CacheDuration"/> unless refreshed. A subscription that fails is a problem, not an exception.
    /// </summary>
    public async Task<AccountDiscovery> DiscoverAccountsAsync(IReadOnlyList<string> subscriptions, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        var key = string.Join(',', subscriptions.Order(StringComparer.OrdinalIgnoreCase));
        if (!refresh && _accountCache.TryGetValue(key, out var cached) && time.GetUtcNow() - cached.At < client.Options.CacheDuration)
        {
            return cached;
        }

        var accounts = new List<AzureAIAccount>();
        var problems = new List<string>();
        foreach (var subscription in subscriptions)
        {
            try
            {
                await foreach (var a in client.ListAsync<ArmResource<CognitiveAccountProperties>>($"subscriptions/{subscription}/{CognitiveApi.Provider}/accounts", cancellationToken).ConfigureAwait(false))
                {
                    if (Account(a, subscription) is { } account)
                    {
                        accounts.Add(account);
                    }
                }
            }
            catch (ArmException ex)
            {
                problems.Add($"Subscription {subscription}: {ex.Error.Message}");
            }
        }

        var discovery = new AccountDiscovery([.. accounts.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)], problems, time.GetUtcNow());
        if (problems.Count == 0)
        {
            _accountCache[key] = discovery;
        }

        return discovery;
    }

    /// <summary>Forgets discovered accounts, hubs and projects (after the portal created or removed one).</summary>
    public void ForgetDiscovery()
    {
        _cache.Clear();
        _accountCache.Clear();
    }

    public async Task<AzureAIAccount> GetAccountAsync(string accountId, CancellationToken cancellationToken)
    {
        var a = await client.GetAsync<ArmResource<CognitiveAccountProperties>>(accountId, cancellationToken).ConfigureAwait(false);
        return Account(a, new ResourceIdentifier(accountId).SubscriptionId ?? "")
            ?? throw new ArmException(new(ArmErrorKind.NotFound, $"Azure returned no account for {accountId}."));
    }

    /// <summary>The account's keys (key1, key2). Callers in the web app go through the role check first.</summary>
    public Task<CognitiveAccountKeys> ListAccountKeysAsync(AzureAIAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return client.PostAsync<CognitiveAccountKeys>($"{account.Id}/listKeys", cancellationToken);
    }

    public Task<IReadOnlyList<ArmResource<CognitiveDeploymentProperties>>> ListAccountDeploymentsAsync(AzureAIAccount account, CancellationToken cancellationToken) =>
        ListAllAsync<ArmResource<CognitiveDeploymentProperties>>($"{Require(account).Id}/deployments", cancellationToken);

    /// <summary>The model versions the account can deploy (<c>accounts/{name}/models</c>).</summary>
    public Task<IReadOnlyList<CognitiveModel>> ListAccountModelsAsync(AzureAIAccount account, CancellationToken cancellationToken) =>
        ListAllAsync<CognitiveModel>($"{Require(account).Id}/models", cancellationToken);

    /// <summary>The models a location offers, per account kind and SKU (<c>locations/{location}/models</c>).</summary>
    public Task<IReadOnlyList<LocationModel>> ListLocationModelsAsync(string subscriptionId, string location, CancellationToken cancellationToken) =>
        ListAllAsync<LocationModel>($"subscriptions/{subscriptionId}/{CognitiveApi.Provider}/locations/{location}/models", cancellationToken);

    /// <summary>The subscription's quota usages in a location (<c>locations/{location}/usages</c>).</summary>
    public Task<IReadOnlyList<CognitiveUsage>> ListUsagesAsync(string subscriptionId, string location, CancellationToken cancellationToken) =>
        ListAllAsync<CognitiveUsage>($"subscriptions/{subscriptionId}/{CognitiveApi.Provider}/locations/{location}/usages", cancellationToken);

    /// <summary>The SKUs the account can change to (<c>accounts/{name}/skus</c>).</summary>
    public Task<IReadOnlyList<AccountSkuOption>> ListAccountSkusAsync(AzureAIAccount account, CancellationToken cancellationToken) =>
        ListAllAsync<AccountSkuOption>($"{Require(account).Id}/skus", cancellationToken);

    /// <summary>The SKUs and capacities an existing deployment can change to.</summary>
    public Task<IReadOnlyList<DeploymentSkuOption>> ListDeploymentSkusAsync(string deploymentId, CancellationToken cancellationToken) =>
        ListAllAsync<DeploymentSkuOption>($"{deploymentId}/skus", cancellationToken);

    /// <summary>Foundry projects under an AI services account.</summary>
    public Task<IReadOnlyList<ArmResource<CognitiveProjectProperties>>> ListAccountProjectsAsync(AzureAIAccount account, CancellationToken cancellationToken) =>
        ListAllAsync<ArmResource<CognitiveProjectProperties>>($"{Require(account).Id}/projects", cancellationToken);

    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await foreach (var item in client.ListAsync<T>(path, cancellationToken).ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }

    private static AzureAIAccount Require(AzureAIAccount account) => account ?? throw new ArgumentNullException(nameof(account));

    private static AzureAIAccount? Account(ArmResource<CognitiveAccountProperties> a, string subscription)
    {
        if (a.Id is null || a.Name is null)
        {
            return null;
        }

        var id = new ResourceIdentifier(a.Id);
        return new(a.Id, a.Name, a.Kind ?? "CognitiveServices", a.Location, id.ResourceGroupName ?? "", id.SubscriptionId ?? subscription, a.Sku?.Name,
            a.Properties?.Endpoint, a.Properties?.Endpoints ?? new Dictionary<string, string>(), a.Properties?.ProvisioningState, a.Properties?.DisableLocalAuth == true);
    }
}
