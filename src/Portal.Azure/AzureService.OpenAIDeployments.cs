using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Portal.Azure;

/// <summary>What to deploy into an Azure OpenAI (or AI services) account: the deployment's name, the model version, its SKU and capacity.</summary>
public sealed record OpenAIDeploymentSpec(string Name, string ModelName, string ModelVersion, string Sku, int Capacity, string? VersionUpgradeOption = null);

/// <summary>
/// An Azure OpenAI deployment (<c>accounts/{account}/deployments/{name}</c>) as the portal lists it. <c>Capacity</c> is the
/// SKU's capacity: thousands of tokens per minute for Standard-type SKUs, provisioned throughput units for provisioned ones.
/// </summary>
public sealed record OpenAIDeployment(
    string Id,
    string Name,
    AzureAIAccount Account,
    string? ModelName,
    string? ModelVersion,
    string? Sku,
    int? Capacity,
    string? ProvisioningState,
    string? VersionUpgradeOption,
    DateTimeOffset? Created)
{
    public string Model => ModelVersion is { Length: > 0 } v ? $"{ModelName} {v}" : ModelName ?? "—";
}

/// <summary>Azure OpenAI deployments: list, create (PUT), change capacity (PATCH) and delete, each followed to its end.</summary>
public sealed partial class AzureService
{
    /// <summary>The permission creating or changing a deployment needs on the account.</summary>
    public const string OpenAIDeploymentWrite = "Microsoft.CognitiveServices/accounts/deployments/write";

    /// <summary>Azure OpenAI deployments in the accounts that serve OpenAI models; problems per account are returned, not thrown.</summary>
    public async Task<(IReadOnlyList<OpenAIDeployment> Items, IReadOnlyList<string> Problems)> ListOpenAIDeploymentsAsync(IEnumerable<AzureAIAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var items = new List<OpenAIDeployment>();
        var problems = new List<string>();
        foreach (var account in accounts.Where(a => a.ServesOpenAI))
        {
            try
            {
                items.AddRange((await ListAccountDeploymentsAsync(account, cancellationToken).ConfigureAwait(false)).Select(d => OpenAIDeploymentOf(account, d)));
            }
            catch (ArmException ex)
            {
                problems.Add($"Account {account.Name}: {ex.Error.Message}");
            }
        }

        return (items, problems);
    }

    /// <summary>
    /// PUTs the deployment and follows it until Azure says Succeeded or Failed, reporting each step. A name that already
    /// exists in the account is refused before anything is sent (a PUT would change that deployment).
    /// </summary>
    public async Task<OpenAIDeployment> DeployOpenAIAsync(AzureAIAccount account, OpenAIDeploymentSpec spec, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(steps);
        if (CheckDeploymentName(spec.Name) is { } nameProblem)
        {
            throw new ArmException(new(ArmErrorKind.BadRequest, $"'{spec.Name}' cannot be a deployment name. {nameProblem}"));
        }

        var deploymentId = $"{account.Id}/deployments/{spec.Name}";
        var label = $"Azure OpenAI deployment {spec.Name} ({spec.ModelName} {spec.ModelVersion}, {spec.Sku} × {spec.Capacity.ToString(CultureInfo.InvariantCulture)})";
        var request = new CognitiveDeploymentRequest(
            new CognitiveDeploymentRequestProperties(new CognitiveDeploymentModel("OpenAI", spec.ModelName, spec.ModelVersion), spec.VersionUpgradeOption),
            new ArmSku(spec.Sku, null, null, null, spec.Capacity));
        try
        {
            if (await FindDeploymentAsync(deploymentId, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                throw new ArmException(new(ArmErrorKind.Conflict,
                    $"Account {account.Name} already has a deployment named {spec.Name} ({existing.Properties?.Model?.Name} {existing.Properties?.Model?.Version}); choose another name. Nothing was changed.", 409, "DeploymentNameTaken"));
            }

            var json = await RunAsync(deploymentId, label, () => client.BeginPutAsync(deploymentId, request, cancellationToken), steps, cancellationToken).ConfigureAwait(false);
            return OpenAIDeploymentOf(account, json!.Value.Deserialize<ArmResource<CognitiveDeploymentProperties>>(Api.Json)!);
        }
        catch (ArmException ex)
        {
            throw new ArmException(DeploymentError(ex.Error, account, spec.Name, spec.ModelName, spec.Sku, creating: true), ex);
        }
    }

    /// <summary>Changes a deployment's capacity (PATCH of its SKU) and waits until Azure applied it.</summary>
    public async Task<OpenAIDeployment> UpdateOpenAICapacityAsync(OpenAIDeployment deployment, int capacity, IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        try
        {
            using var operation = await client.BeginPatchAsync(deployment.Id, new CognitiveDeploymentPatch(new ArmSku(deployment.Sku, null, null, null, capacity)), cancellationToken).ConfigureAwait(false);
            var json = await operation.WaitAsync(progress, cancellationToken).ConfigureAwait(false);
            return OpenAIDeploymentOf(deployment.Account, json!.Value.Deserialize<ArmResource<CognitiveDeploymentProperties>>(Api.Json)!);
        }
        catch (ArmException ex)
        {
            throw new ArmException(DeploymentError(ex.Error, deployment.Account, deployment.Name, deployment.ModelName, deployment.Sku, creating: false), ex);
        }
    }

    /// <summary>Deletes a deployment and waits until it is gone. Its quota is free again afterwards.</summary>
    public async Task DeleteOpenAIDeploymentAsync(OpenAIDeployment deployment, IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        try
        {
            using var operation = await client.BeginDeleteAsync(deployment.Id, cancellationToken).ConfigureAwait(false);
            await operation.WaitAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        catch (ArmException ex)
        {
            throw new ArmException(DeploymentError(ex.Error, deployment.Account, deployment.Name, deployment.ModelName, deployment.Sku, creating: false), ex);
        }
    }

    /// <summary>
    /// Azure OpenAI deployment names: 2 to 64 letters, digits, hyphens, underscores and periods, starting with a letter or
    /// digit (they become part of the inference URL and the model name clients send).
    /// </summary>
    public static string? CheckDeploymentName(string? name) =>
        name is not null && DeploymentName().IsMatch(name) ? null : "Use 2 to 64 letters, digits, hyphens (-), underscores (_) and periods (.), starting with a letter or digit.";

    /// <summary>
    /// Whether the signed-in identity may perform an action at a scope (a resource id), from Microsoft.Authorization's
    /// permissions. Null when Azure does not say.
    /// </summary>
    public async Task<bool?> CanPerformAsync(string scopeId, string action, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(scopeId);
        List<RoleActions> permissions = [];
        try
        {
            await foreach (var p in client.ListAsync<RoleActions>($"{scopeId}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01", cancellationToken).ConfigureAwait(false))
            {
                permissions.Add(p);
            }
        }
        catch (ArmException ex) when (ex.Error.Kind is ArmErrorKind.NotFound or ArmErrorKind.BadRequest or ArmErrorKind.ServerError)
        {
            return null;
        }

        return permissions.Any(p => (p.Actions ?? []).Any(a => Matches(a, action)) && !(p.NotActions ?? []).Any(a => Matches(a, action)));
    }

    /// <summary>An account's deployment as the portal shows it.</summary>
    public static OpenAIDeployment OpenAIDeploymentOf(AzureAIAccount account, ArmResource<CognitiveDeploymentProperties> d)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id ?? "", d.Name ?? "", account, d.Properties?.Model?.Name, d.Properties?.Model?.Version, d.Sku?.Name, d.Sku?.Capacity,
            d.Properties?.ProvisioningState, d.Properties?.VersionUpgradeOption, d.SystemData?.CreatedAt);
    }

    private async Task<ArmResource<CognitiveDeploymentProperties>?> FindDeploymentAsync(string deploymentId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync<ArmResource<CognitiveDeploymentProperties>>(deploymentId, cancellationToken).ConfigureAwait(false);
        }
        catch (ArmException ex) when (ex.Error.Kind == ArmErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>Azure's answer about a deployment in words that say what to do, keeping Azure's code and message.</summary>
    private static ArmError DeploymentError(ArmError error, AzureAIAccount account, string name, string? model, string? sku, bool creating)
    {
        var said = error.ArmMessage is { } m ? $" Azure said: {error.Code}: {m}" : "";
        var where = $"account {account.Name} ({account.Location ?? "—"})";
        var message = error switch
        {
            { Code: "InsufficientQuota" } =>
                $"Not enough quota for {model} {sku} in {account.Location}: lower the capacity, lower or delete another {model} {sku} deployment in that region, or request more quota.{said}",
            { Kind: ArmErrorKind.Forbidden } =>
                $"The signed-in identity may not change deployments in {where} (403). Ask for a role such as Cognitive Services Contributor or Azure AI Developer on the account.{said}",
            { Kind: ArmErrorKind.Conflict, Code: "DeploymentNameTaken" } => error.Message,
            { Kind: ArmErrorKind.Conflict } =>
                $"Deployment {name} in {where} is being changed by another operation (409). Wait until its state is Succeeded on the Deployments page, then try again.{said}",
            { Kind: ArmErrorKind.Throttled } =>
                $"Azure is throttling requests to {where} (429) and the portal's retries ran out.{(error.RetryAfter is { } r ? $" Try again in {r.TotalSeconds:0} s." : " Try again in a minute.")}{said}",
            { Kind: ArmErrorKind.OperationFailed } when creating =>
                $"Deployment {name} ended Failed in Azure; it exists in {where} with state Failed. Delete it on the Deployments page, then try again (perhaps another version, SKU or region). {error.Message}",
            { Kind: ArmErrorKind.OperationFailed } => $"The change to deployment {name} ended Failed in Azure. {error.Message}",
            { Kind: ArmErrorKind.BadRequest, Code: "InvalidResourceName" } =>
                $"Azure does not accept '{name}' as a deployment name. {CheckDeploymentName(null)}{said}",
            { Kind: ArmErrorKind.NotFound } when !creating => $"Deployment {name} is no longer in {where} (404); refresh the list.{said}",
            _ => error.Message,
        };
        return error with { Message = message };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$")]
    private static partial Regex DeploymentName();
}
