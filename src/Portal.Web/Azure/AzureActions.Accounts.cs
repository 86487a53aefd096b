using Portal.Azure;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;

namespace Portal.Web.Azure;

/// <summary>What became of making a connection from an Azure OpenAI or AI services account.</summary>
public enum AccountConnectionOutcome
{
    Created,
    NameInvalid,
    NameTaken,
    NoOpenAIEndpoint,
    KeyNotAllowed,
    KeyUnreadable,
    NotSaved,
}

/// <summary>The outcome, the connection's name when one was made, and a sentence for the page.</summary>
public sealed record AccountConnectionResult(AccountConnectionOutcome Outcome, string? ConnectionName, string Message)
{
    public bool Created => Outcome == AccountConnectionOutcome.Created;
}

/// <summary>
/// Azure OpenAI and AI services accounts (<c>Microsoft.CognitiveServices/accounts</c>): revealing an account's key and
/// making an Azure OpenAI connection on its <c>/openai/v1/</c> address both need <see cref="PortalAction.UseDeploymentKeys"/>,
/// checked before Azure is asked. Audit entries never hold a key.
/// </summary>
public sealed partial class AzureActions
{
    /// <summary>
    /// The account's first key, for the user to see once. Null when the account has local (key) authentication
    /// disabled: it accepts Microsoft Entra ID only, so there is no key to use (Azure is not asked).
    /// </summary>
    public async Task<string?> RevealAccountKeyAsync(AzureAIAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await access.DemandAsync(PortalAction.UseDeploymentKeys, account.Id, cancellationToken);
        if (account.LocalAuthDisabled)
        {
            await access.FailedAsync(PortalAction.UseDeploymentKeys, account.Id, "local authentication is disabled on the account");
            return null;
        }

        var keys = await RecordAsync(PortalAction.UseDeploymentKeys, account.Id, "account key revealed", () => azure.ListAccountKeysAsync(account, cancellationToken));
        return keys.Key1;
    }

    /// <summary>
    /// Makes a personal Azure OpenAI connection named <paramref name="name"/> on the account's OpenAI v1 address
    /// (<see cref="AzureAIAccount.OpenAIV1Endpoint"/>), authenticated with the account's key (read now, stored
    /// encrypted) or with Microsoft Entra ID (no key stored). Its models are the account's deployment names when Azure
    /// lists them. A name already in use is refused, never replaced.
    /// </summary>
    public async Task<AccountConnectionResult> CreateAccountConnectionAsync(AzureAIAccount account, string name, ConnectionAuth auth, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var target = account.Id;
        await access.DemandAsync(PortalAction.UseDeploymentKeys, target, cancellationToken);
        var result = await MakeAccountConnectionAsync(account, (name ?? "").Trim(), auth, cancellationToken);
        if (result.Created)
        {
            await access.SucceededAsync(PortalAction.UseDeploymentKeys, target, $"connection '{result.ConnectionName}' made ({ConnectionKinds.AuthLabel(auth)})");
        }
        else
        {
            await access.FailedAsync(PortalAction.UseDeploymentKeys, target, result.Outcome.ToString());
        }

        return result;
    }

    private async Task<AccountConnectionResult> MakeAccountConnectionAsync(AzureAIAccount account, string name, ConnectionAuth auth, CancellationToken cancellationToken)
    {
        if (account.OpenAIV1Endpoint is not { } endpoint)
        {
            return new(AccountConnectionOutcome.NoOpenAIEndpoint, null, account.ServesOpenAI
                ? $"{account.Name} has no HTTPS endpoint address yet, so no connection can point at it; refresh the accounts once Azure has finished creating it."
                : $"{account.Name} is a {account.Kind} account, which serves no Azure OpenAI models; connections are made from OpenAI and AI services accounts.");
        }

        if (name.Length == 0 || name.Length > ConnectionService.MaxNameLength)
        {
            return new(AccountConnectionOutcome.NameInvalid, null, $"Enter a connection name of 1 to {ConnectionService.MaxNameLength} characters.");
        }

        if (auth is not (ConnectionAuth.ApiKey or ConnectionAuth.EntraId))
        {
            return new(AccountConnectionOutcome.NameInvalid, null, "Choose the account's key or Microsoft Entra ID to authenticate.");
        }

        if (await savedConnections.FindAsync(name, cancellationToken) is { } existing)
        {
            return new(AccountConnectionOutcome.NameTaken, null, existing.FromConfiguration
                ? $"'{name}' is declared in the portal's configuration; choose another name."
                : $"You already have a connection named '{name}' ({ConnectionKinds.Label(existing.Kind)}, {existing.Endpoint}); choose another name, or delete that one in Settings → Connections first.");
        }

        if (auth == ConnectionAuth.ApiKey && account.LocalAuthDisabled)
        {
            return new(AccountConnectionOutcome.KeyNotAllowed, null, $"{account.Name} has local authentication disabled: it accepts Microsoft Entra ID only. Choose Microsoft Entra ID.");
        }

        string? key = null;
        if (auth == ConnectionAuth.ApiKey)
        {
            try
            {
                key = (await azure.ListAccountKeysAsync(account, cancellationToken)).Key1;
            }
            catch (ArmException ex)
            {
                return new(AccountConnectionOutcome.KeyUnreadable, null, $"The key of {account.Name} could not be read, so no connection was made: {ex.Error.Message}");
            }

            if (string.IsNullOrEmpty(key))
            {
                return new(AccountConnectionOutcome.KeyUnreadable, null, $"Azure returned no key for {account.Name}, so no connection was made; choose Microsoft Entra ID.");
            }
        }

        var (saved, errors) = await savedConnections.SaveAsync(
            new ConnectionInput(null, name, ConnectionKind.AzureOpenAI, endpoint.AbsoluteUri, auth, key, await DeploymentNamesAsync(account, cancellationToken)), cancellationToken);
        return saved is not null
            ? new(AccountConnectionOutcome.Created, saved.Name, auth == ConnectionAuth.EntraId
                ? $"Connection '{saved.Name}' is ready ({endpoint}, Microsoft Entra ID: the portal's identity needs the Cognitive Services OpenAI User role on {account.Name})."
                : $"Connection '{saved.Name}' is ready ({endpoint}, the account's key, stored encrypted).")
            : new(AccountConnectionOutcome.NotSaved, null, $"The connection could not be saved: {string.Join(" ", errors)}");
    }

    /// <summary>The account's deployment names (what an Azure OpenAI request names as its model); none when Azure does not list them.</summary>
    private async Task<IReadOnlyList<string>> DeploymentNamesAsync(AzureAIAccount account, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await azure.ListAccountDeploymentsAsync(account, cancellationToken)).Select(d => d.Name).OfType<string>()];
        }
        catch (ArmException)
        {
            // The connection works without them: the playground lets the user type a deployment name.
            return [];
        }
    }
}
