using Portal.Azure;
using Portal.Web.Access;

namespace Portal.Web.Azure;

/// <summary>Creating hubs and projects: <see cref="PortalAction.CreateAzureResource"/> (Contributor), audited with what was created.</summary>
public sealed partial class AzureActions
{
    public async Task<AzureWorkspace> CreateHubAsync(HubPlan plan, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await access.DemandAsync(PortalAction.CreateAzureResource, plan.HubId, cancellationToken);
        return await RecordAsync(PortalAction.CreateAzureResource, plan.HubId, "hub: " + string.Join(", ", plan.Resources.Select(r => r.Label)),
            () => azure.CreateHubAsync(plan, steps, cancellationToken));
    }

    public async Task<AzureWorkspace> CreateHubProjectAsync(HubProjectPlan plan, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await access.DemandAsync(PortalAction.CreateAzureResource, plan.ProjectId, cancellationToken);
        return await RecordAsync(PortalAction.CreateAzureResource, plan.ProjectId, $"project under hub {plan.Hub.Name}",
            () => azure.CreateHubProjectAsync(plan, steps, cancellationToken));
    }

    public async Task<ArmResource<CognitiveProjectProperties>> CreateFoundryProjectAsync(FoundryProjectPlan plan, IProgress<DeployStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await access.DemandAsync(PortalAction.CreateAzureResource, plan.ProjectId, cancellationToken);
        return await RecordAsync(PortalAction.CreateAzureResource, plan.ProjectId, $"Foundry project under account {plan.Account.Name}",
            () => azure.CreateFoundryProjectAsync(plan, steps, cancellationToken));
    }
}
