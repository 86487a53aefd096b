using Portal.Azure;
using Portal.Catalog;
using Portal.Catalog.Sources;
using Portal.Web.Components.Pages.Deployments;

namespace Portal.Tests.Azure;

/// <summary>The deploy wizard's rules without the page: options, blockers, names, VM sizes and validation.</summary>
public sealed class DeployWizardModelTests
{
    private static readonly AzureWorkspace Project = new("/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/p", "p", "Project", "swedencentral", "rg", "s", "Team project", null);

    private static CatalogModel Model(string id = "Meta-Llama-3-8B-Instruct", bool? serverless = true, bool? managed = true, string? publisher = "Meta", string? collection = null) =>
        new() { Id = id, DisplayName = id, Publisher = publisher, Collection = collection, Deployment = new DeploymentOptions(managed, serverless, null, null) };

    private static AzureDiscovery Discovery(params AzureWorkspace[] projects) => new([], projects, [], [], DateTimeOffset.UnixEpoch);

    [Fact]
    public void Options_FollowTheCatalog_ServerlessFirst()
    {
        Assert.Equal([DeployOption.Serverless, DeployOption.Managed], new DeployWizardModel(Model()).Options);
        Assert.Equal([DeployOption.Managed], new DeployWizardModel(Model(serverless: false)).Options);
        Assert.Equal(DeployOption.Managed, new DeployWizardModel(Model(serverless: null)).Option);
        Assert.Null(new DeployWizardModel(Model(serverless: null, managed: null)).Option);
    }

    [Fact]
    public void AzureOpenAiModel_IsBlocked_WithWhereItDeploysInstead()
    {
        var wizard = new DeployWizardModel(Model("gpt-4o", null, null, "OpenAI", "Azure OpenAI"));
        wizard.Discovered(Discovery(Project));

        var blocker = Assert.Single(wizard.Blockers);
        Assert.Equal(DeployBlockerKind.AzureOpenAIModel, blocker.Kind);
        Assert.Contains("Azure OpenAI deployments", blocker.Message, StringComparison.Ordinal);
        Assert.False(wizard.CanChoose);
    }

    [Fact]
    public void ModelWithoutOptions_IsBlocked_NamingTheCatalogFact()
    {
        var wizard = new DeployWizardModel(Model(serverless: false, managed: false));

        Assert.Equal([DeployBlockerKind.NoDeploymentOption], wizard.Blockers.Select(b => b.Kind));
    }

    [Fact]
    public void AzureNotSetUp_NoProject_AzureProblems_AndPermission_AreEachABlocker()
    {
        var notSetUp = new DeployWizardModel(Model());
        notSetUp.Discovered(null);
        Assert.Equal([DeployBlockerKind.AzureNotSetUp], notSetUp.Blockers.Select(b => b.Kind));

        var noProject = new DeployWizardModel(Model());
        noProject.Discovered(Discovery());
        Assert.Equal([DeployBlockerKind.NoProject], noProject.Blockers.Select(b => b.Kind));

        var failing = new DeployWizardModel(Model());
        failing.Discovered(new AzureDiscovery([], [], [], ["Subscription s: The access token is invalid."], DateTimeOffset.UnixEpoch));
        var problem = Assert.Single(failing.Blockers);
        Assert.Equal(DeployBlockerKind.AzureProblem, problem.Kind);
        Assert.Equal("Subscription s: The access token is invalid.", problem.Message);

        var locked = new DeployWizardModel(Model());
        locked.Discovered(Discovery(Project));
        locked.ChooseProject(Project);
        Assert.True(locked.CanDeploy);
        locked.PermissionDenied();
        var denied = Assert.Single(locked.Blockers);
        Assert.Equal(DeployBlockerKind.NoPermission, denied.Kind);
        Assert.Contains(AzureService.ServerlessEndpointWrite, denied.Message, StringComparison.Ordinal);
        Assert.False(locked.CanDeploy);

        locked.ChooseProject(Project);
        Assert.Empty(locked.Blockers);
    }

    [Fact]
    public void RequiredAction_FollowsTheOption()
    {
        var wizard = new DeployWizardModel(Model()) { Option = DeployOption.Managed };

        Assert.Equal(AzureService.OnlineEndpointWrite, wizard.RequiredAction);
    }

    [Fact]
    public async Task DefaultEndpointName_IsValidForEveryCatalogModel()
    {
        var models = await new EmbeddedCatalogSource().LoadAsync(CancellationToken.None);

        Assert.NotEmpty(models);
        Assert.All(models, m => Assert.Null(AzureService.CheckEndpointName(DeployWizardModel.DefaultEndpointName(m.Id))));
        Assert.Equal("phi-3-5-mini-instruct-ep", DeployWizardModel.DefaultEndpointName("Phi-3.5-mini-instruct"));
        Assert.Equal("m-01-ai-yi-ep", DeployWizardModel.DefaultEndpointName("01-ai-Yi"));
    }

    [Fact]
    public void Validate_NamesEachProblem_ByKind()
    {
        var wizard = new DeployWizardModel(Model()) { Name = "9 bad name", AssetId = "" };

        Assert.Equal([DeployInputProblemKind.EndpointName, DeployInputProblemKind.AssetId], wizard.Validate().Select(p => p.Kind));

        wizard.Name = "llama3-ep";
        wizard.AssetId = "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct";
        Assert.Empty(wizard.Validate());
    }

    [Fact]
    public void VmSizes_AndInstanceCount_AreBounded()
    {
        var wizard = new DeployWizardModel(Model()) { InstanceCount = 50 };

        Assert.Equal(DeployWizardModel.MaxInstances, wizard.InstanceCount);
        wizard.InstanceCount = 0;
        Assert.Equal(1, wizard.InstanceCount);
        Assert.Equal(DeployWizardModel.VmSizes[0], wizard.InstanceType);
        Assert.All(DeployWizardModel.VmSizes, s => Assert.StartsWith("Standard_N", s, StringComparison.Ordinal));
    }

    [Fact]
    public void FindAsset_MatchesTheIdOrAnAlias_IgnoringCase()
    {
        var registry = new AzureRegistry("/r", "azureml-meta", null, "rg", "s");
        var wizard = new DeployWizardModel(Model() with { Aliases = ["llama-3-8b-chat"] });

        Assert.Equal("meta-llama-3-8b-instruct", wizard.FindAsset([new(registry, "other", null, null, new Dictionary<string, string>()), new(registry, "meta-llama-3-8b-instruct", "3", null, new Dictionary<string, string>())])?.Name);
        Assert.Equal("llama-3-8b-chat", wizard.FindAsset([new(registry, "llama-3-8b-chat", null, null, new Dictionary<string, string>())])?.Name);
        Assert.Null(wizard.FindAsset([new(registry, "other", null, null, new Dictionary<string, string>())]));
    }

    [Fact]
    public void Marketplace_IsForThirdPartyModels()
    {
        Assert.True(new DeployWizardModel(Model()).NeedsMarketplace);
        Assert.False(new DeployWizardModel(Model("Phi-3-mini-4k-instruct", publisher: "Microsoft")).NeedsMarketplace);
        Assert.Equal("Meta-Llama-3-8B-Instruct", new DeployWizardModel(Model()) { AssetId = "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct" }.MarketplaceSubscriptionName);
    }

    [Fact]
    public void RegionNote_SaysWhatTheRegionFactsSay_AndNothingWhenThereAreNone()
    {
        var unknown = new DeployWizardModel(Model());
        unknown.Discovered(Discovery(Project));
        unknown.ChooseProject(Project);
        Assert.Contains("no facts about which regions", unknown.RegionNote, StringComparison.Ordinal);

        RegionAvailability Fact(string region) => new(region, "1", ["Standard"], "GenerallyAvailable", null, null, $"From a team catalog file ({region})", null);
        var listed = new DeployWizardModel(Model() with { Regions = [Fact("swedencentral")] });
        listed.Discovered(Discovery(Project));
        listed.ChooseProject(Project);
        Assert.Equal("The catalog's region facts list Sweden Central for this model (From a team catalog file (swedencentral)).", listed.RegionNote);

        var elsewhere = new DeployWizardModel(Model() with { Regions = [Fact("eastus2"), Fact("westus")] });
        elsewhere.Discovered(Discovery(Project));
        elsewhere.ChooseProject(Project);
        Assert.StartsWith("The catalog's region facts do not list Sweden Central for this model (they list East US 2, West US)", elsewhere.RegionNote, StringComparison.Ordinal);
    }
}
