using Portal.Azure;
using Portal.Web.Access;

namespace Portal.Web.Azure;

/// <summary>
/// What the portal changes in Azure, or reads that gives access (a deployment's keys), each checked against the
/// user's portal role before Azure is asked (Azure's own RBAC applies on top): deploying needs
/// <see cref="PortalAction.DeployModel"/>, deleting <see cref="PortalAction.DeleteDeployment"/>, revealing keys or making a
/// connection from them <see cref="PortalAction.UseDeploymentKeys"/>. Pages call these, never
/// <see cref="AzureService"/>'s mutating methods.
/// </summary>
public sealed partial class AzureActions(AzureService azure, DeploymentConnections connections, AccessControl access, Portal.Web.Connections.ConnectionService savedConnections)
{
    public async Task<AzureDeployment> DeployServerlessAsync(AzureWorkspace project, string assetId, string endpointName, bool marketplace, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var target = DeployTarget(project, endpointName);
        await access.DemandAsync(PortalAction.DeployModel, target, cancellationToken);
        return await RecordAsync(PortalAction.DeployModel, target, $"serverless, {assetId}",
            () => azure.DeployServerlessAsync(project, assetId, endpointName, marketplace, steps, cancellationToken));
    }

    public async Task<AzureDeployment> DeployManagedAsync(AzureWorkspace project, string assetId, string endpointName, string instanceType, int instanceCount, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        var target = DeployTarget(project, endpointName);
        await access.DemandAsync(PortalAction.DeployModel, target, cancellationToken);
        return await RecordAsync(PortalAction.DeployModel, target, $"managed, {instanceCount} × {instanceType}, {assetId}",
            () => azure.DeployManagedAsync(project, assetId, endpointName, instanceType, instanceCount, steps, cancellationToken));
    }

    public async Task DeleteAsync(AzureDeployment deployment, IProgress<ArmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var target = Target(deployment);
        await access.DemandAsync(PortalAction.DeleteDeployment, target, cancellationToken);
        await RecordAsync(PortalAction.DeleteDeployment, target, null, async () =>
        {
            await azure.DeleteAsync(deployment, progress, cancellationToken);
            return true;
        });
    }

    /// <summary>The endpoint's keys, for the user to see once. The audit entry never holds them.</summary>
    public async Task<EndpointKeys> ListKeysAsync(AzureDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var target = Target(deployment);
        await access.DemandAsync(PortalAction.UseDeploymentKeys, target, cancellationToken);
        return await RecordAsync(PortalAction.UseDeploymentKeys, target, "keys revealed", () => azure.ListKeysAsync(deployment, cancellationToken));
    }

    /// <summary>Makes a personal connection from the deployment's endpoint and key (saving it also needs that role).</summary>
    public async Task<DeploymentConnectionResult> CreateConnectionAsync(AzureDeployment deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var target = Target(deployment);
        await access.DemandAsync(PortalAction.UseDeploymentKeys, target, cancellationToken);
        var result = await connections.CreateAsync(deployment, cancellationToken);
        if (result.Outcome == DeploymentConnectionOutcome.Created)
        {
            await access.SucceededAsync(PortalAction.UseDeploymentKeys, target, $"connection '{result.ConnectionName}' made");
        }
        else
        {
            await access.FailedAsync(PortalAction.UseDeploymentKeys, target, result.Outcome.ToString());
        }

        return result;
    }

    private static string DeployTarget(AzureWorkspace project, string endpointName) => $"{project.Id}/{endpointName}";

    private static string Target(AzureDeployment deployment) => deployment.Id;

    /// <summary>Runs the Azure call and records its outcome: Azure's refusal or error is a failed attempt.</summary>
    private async Task<T> RecordAsync<T>(PortalAction action, string target, string? detail, Func<Task<T>> call)
    {
        try
        {
            var result = await call();
            await access.SucceededAsync(action, target, detail);
            return result;
        }
        catch (ArmException ex)
        {
            await access.FailedAsync(action, target, $"{ex.Error.Kind}: {ex.Error.Message}");
            throw;
        }
        catch (OperationCanceledException)
        {
            await access.FailedAsync(action, target, "cancelled (Azure may still finish it)");
            throw;
        }
    }
}
