using Portal.Azure;
using Portal.Catalog;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>How a catalog model can be deployed in an Azure AI project.</summary>
public enum DeployOption
{
    Serverless,
    Managed,
}

/// <summary>What stands between the user and a deployment.</summary>
public enum DeployBlockerKind
{
    AzureOpenAIModel,
    NoDeploymentOption,
    AzureNotSetUp,
    AzureProblem,
    NoProject,
    NoPermission,
}

public sealed record DeployBlocker(DeployBlockerKind Kind, string Message);

/// <summary>Why the form's input cannot be deployed as it is.</summary>
public enum DeployInputProblemKind
{
    EndpointName,
    AssetId,
}

public sealed record DeployInputProblem(DeployInputProblemKind Kind, string Message);

/// <summary>
/// The deploy wizard's rules, apart from the page: which options the catalog allows, what blocks a deployment (each
/// with what to do about it), the VM sizes offered, the default endpoint name, and validation of the form.
/// </summary>
public sealed class DeployWizardModel(CatalogModel model)
{
    /// <summary>VM sizes offered for managed compute (any other can be typed; Azure checks quota).</summary>
    public static IReadOnlyList<string> VmSizes { get; } =
        ["Standard_NC24ads_A100_v4", "Standard_NC48ads_A100_v4", "Standard_NC96ads_A100_v4", "Standard_ND96asr_v4", "Standard_ND96amsr_A100_v4", "Standard_NC6s_v3"];

    public const int MaxInstances = 20;

    public CatalogModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Null until Azure was asked; then hubs, projects and registries (or the problems).</summary>
    public AzureDiscovery? Discovery { get; private set; }

    public bool AzureConfigured { get; private set; } = true;

    public List<string> AzureProblems { get; } = [];

    public AzureWorkspace? Project { get; private set; }

    public DeployOption? Option { get; set; } = OptionsFor(model).Cast<DeployOption?>().FirstOrDefault();

    public string Name { get; set; } = DefaultEndpointName(model.Id);

    public string AssetId { get; set; } = "";

    public string InstanceType { get; set; } = VmSizes[0];

    private int _instanceCount = 1;

    public int InstanceCount
    {
        get => _instanceCount;
        set => _instanceCount = Math.Clamp(value, 1, MaxInstances);
    }

    /// <summary>Set when the identity may not create endpoints in <see cref="Project"/>.</summary>
    public string? AccessProblem { get; set; }

    public IReadOnlyList<DeployOption> Options => OptionsFor(Model);

    /// <summary>Third-party models are billed through Azure Marketplace: a serverless deployment subscribes first.</summary>
    public bool NeedsMarketplace => !string.Equals(Model.Publisher, "Microsoft", StringComparison.OrdinalIgnoreCase);

    public string MarketplaceSubscriptionName => AzureService.ResourceName(AssetId.Split('/')[^1]);

    /// <summary>The permission the chosen option needs in the project.</summary>
    public string RequiredAction => Option == DeployOption.Managed ? AzureService.OnlineEndpointWrite : AzureService.ServerlessEndpointWrite;

    /// <summary>
    /// What the catalog's region facts say of the chosen project's region: offered (with the source), not listed (with
    /// the regions that are), or nothing known — never "everywhere".
    /// </summary>
    public string RegionNote
    {
        get
        {
            var region = Project?.Location;
            if (region is null || Model.IsOfferedIn(region) is not { } offered)
            {
                return "The catalog has no facts about which regions offer this model; Azure checks the region when the deployment starts and its answer is shown here.";
            }

            var name = AzureRegions.DisplayName(region);
            if (offered)
            {
                var fact = Model.Regions.First(r => string.Equals(r.Region, region, StringComparison.OrdinalIgnoreCase));
                return $"The catalog's region facts list {name} for this model ({fact.Source}).";
            }

            return $"The catalog's region facts do not list {name} for this model (they list {string.Join(", ", Model.RegionsOffering().Select(AzureRegions.DisplayName))}); Azure may refuse the deployment, and its answer is shown here.";
        }
    }

    /// <summary>Whether the form can be shown: a project to choose and an option to deploy with.</summary>
    public bool CanChoose => Discovery is { Projects.Count: > 0 } && Options.Count > 0;

    public bool CanDeploy => Project is not null && Option is not null && Blockers.Count == 0;

    public static IReadOnlyList<DeployOption> OptionsFor(CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = new List<DeployOption>();
        if (model.Deployment?.ServerlessApi == true)
        {
            options.Add(DeployOption.Serverless);
        }

        if (model.Deployment?.ManagedCompute == true)
        {
            options.Add(DeployOption.Managed);
        }

        return options;
    }

    /// <summary>Everything that stands between the user and a deployment, each with what to do about it.</summary>
    public IReadOnlyList<DeployBlocker> Blockers
    {
        get
        {
            var list = new List<DeployBlocker>();
            if (Options.Count == 0 && string.Equals(Model.Collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase))
            {
                list.Add(new(DeployBlockerKind.AzureOpenAIModel, "Azure OpenAI models are deployed as Azure OpenAI deployments in an Azure OpenAI (or AI Services) account, not through an AI project's serverless or managed endpoints; the deploy page offers that flow for them."));
            }
            else if (Options.Count == 0)
            {
                list.Add(new(DeployBlockerKind.NoDeploymentOption, "The catalog lists neither a serverless API nor a managed compute option for this model (see the Deployment fact on its page and the source given there)."));
            }

            if (!AzureConfigured)
            {
                list.Add(new(DeployBlockerKind.AzureNotSetUp, "Azure is not set up: choose subscriptions in Settings → Azure (the portal signs in with az login, AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET, or a managed identity)."));
            }

            list.AddRange(AzureProblems.Select(p => new DeployBlocker(DeployBlockerKind.AzureProblem, p)));
            if (Discovery is { Projects.Count: 0 } && AzureProblems.Count == 0)
            {
                list.Add(new(DeployBlockerKind.NoProject, "No Azure AI project (a workspace of kind Project) was found in your subscriptions. Create one in Azure AI Foundry, or choose other subscriptions in Settings → Azure."));
            }

            if (AccessProblem is { } access)
            {
                list.Add(new(DeployBlockerKind.NoPermission, access));
            }

            return list;
        }
    }

    /// <summary>Azure answered: null when no subscription is chosen (Azure is not set up).</summary>
    public void Discovered(AzureDiscovery? discovery)
    {
        Discovery = discovery;
        AzureConfigured = discovery is not null;
        if (discovery is not null)
        {
            AzureProblems.AddRange(discovery.Problems);
        }
    }

    public void ChooseProject(AzureWorkspace? project)
    {
        Project = project;
        AccessProblem = null;
    }

    /// <summary>The identity may not perform <see cref="RequiredAction"/> in the chosen project.</summary>
    public void PermissionDenied(string? azureMessage = null) =>
        AccessProblem = azureMessage is null
            ? $"The signed-in identity lacks permission to create endpoints in {Project?.DisplayName} (it may not perform {RequiredAction}). Ask for a role such as Contributor or Azure AI Developer on the project's resource group."
            : $"In {Project?.DisplayName}: {azureMessage}";

    /// <summary>The model's entry in one of the registries: by its catalog id or one of its aliases.</summary>
    public RegistryModel? FindAsset(IEnumerable<RegistryModel> registryModels)
    {
        ArgumentNullException.ThrowIfNull(registryModels);
        return registryModels.FirstOrDefault(r => string.Equals(r.Name, Model.Id, StringComparison.OrdinalIgnoreCase) || Model.Aliases.Contains(r.Name, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>What is wrong with the form's input, before anything is asked of Azure.</summary>
    public IReadOnlyList<DeployInputProblem> Validate()
    {
        var problems = new List<DeployInputProblem>();
        if (AzureService.CheckEndpointName(Name) is { } nameProblem)
        {
            problems.Add(new(DeployInputProblemKind.EndpointName, nameProblem));
        }

        if (!AssetId.StartsWith("azureml://", StringComparison.Ordinal))
        {
            problems.Add(new(DeployInputProblemKind.AssetId, "Enter the model's asset id (azureml://registries/<registry>/models/<name>)."));
        }

        return problems;
    }

    /// <summary>A valid endpoint name from a model id: lower case, at most 26 characters plus <c>-ep</c>, starting with a letter.</summary>
    public static string DefaultEndpointName(string modelId)
    {
        var name = AzureService.ResourceName(modelId).ToLowerInvariant().Replace('.', '-');
        name = name.Length > 26 ? name[..26].TrimEnd('-') : name;
        return char.IsLetter(name.FirstOrDefault()) ? $"{name}-ep" : $"m-{name}-ep";
    }
}
