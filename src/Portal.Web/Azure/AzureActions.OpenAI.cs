using Portal.Azure;
using Portal.Web.Access;

namespace Portal.Web.Azure;

/// <summary>
/// Azure OpenAI deployments: creating one and changing its capacity need <see cref="PortalAction.DeployModel"/>,
/// deleting <see cref="PortalAction.DeleteDeployment"/>, revealing the account's key or making a connection from it
/// <see cref="PortalAction.UseDeploymentKeys"/>. Each attempt is audited (never with a key).
/// </summary>
public sealed partial class AzureActions
{
    public async Task<OpenAIDeployment> DeployOpenAIAsync(AzureAIAccount account, OpenAIDeploymentSpec spec, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(spec);
        var target = $"{account.Id}/deployments/{spec.Name}";
        await access.DemandAsync(PortalAction.DeployModel, target, cancellationToken);
        return await RecordAsync(PortalAction.DeployModel, target, $"Azure OpenAI, {spec.ModelName} {spec.ModelVersion}, {spec.Sku} × {spec.Capacity}",
            () => azure.DeployOpenAIAsync(account, spec, steps, cancellationToken));
    }

    public async Task<OpenAIDeployment> UpdateOpenAICapacityAsync(OpenAIDeployment deployment, int capacity, IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        await access.DemandAsync(PortalAction.DeployModel, deployment.Id, cancellationToken);
        return await RecordAsync(PortalAction.DeployModel, deployment.Id, $"capacity {deployment.Capacity} → {capacity}",
            () => azure.UpdateOpenAICapacityAsync(deployment, capacity, progress, cancellationToken));
    }

    public async Task DeleteOpenAIDeploymentAsync(OpenAIDeployment deployment, IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        await access.DemandAsync(PortalAction.DeleteDeployment, deployment.Id, cancellationToken);
        await RecordAsync(PortalAction.DeleteDeployment, deployment.Id, $"Azure OpenAI, {deployment.Model}", async () =>
        {
            await azure.DeleteOpenAIDeploymentAsync(deployment, progress, cancellationToken);
            return true;
        });
    }

    /// <summary>The account key that calls the deployment, for the user to see once. The audit entry never holds it.</summary>
    public async Task<string?> RevealOpenAIKeyAsync(OpenAIDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        await access.DemandAsync(PortalAction.UseDeploymentKeys, deployment.Id, cancellationToken);
        return await RecordAsync(PortalAction.UseDeploymentKeys, deployment.Id, "account key revealed",
            async () => (await azure.ListAccountKeysAsync(deployment.Account, cancellationToken)).Key1);
    }

    /// <summary>Makes a personal Azure OpenAI connection to the deployment (the account's v1 endpoint, its key, the deployment's name).</summary>
    public async Task<DeploymentConnectionResult> CreateOpenAIConnectionAsync(OpenAIDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        await access.DemandAsync(PortalAction.UseDeploymentKeys, deployment.Id, cancellationToken);
        var result = await connections.CreateForOpenAIAsync(deployment, cancellationToken);
        if (result.Outcome == DeploymentConnectionOutcome.Created)
        {
            await access.SucceededAsync(PortalAction.UseDeploymentKeys, deployment.Id, $"connection '{result.ConnectionName}' made");
        }
        else
        {
            await access.FailedAsync(PortalAction.UseDeploymentKeys, deployment.Id, result.Outcome.ToString());
        }

        return result;
    }
}
