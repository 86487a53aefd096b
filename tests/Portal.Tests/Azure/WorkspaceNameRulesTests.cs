using Portal.Azure;

namespace Portal.Tests.Azure;

/// <summary>Azure's naming rules for hubs, projects and their resources, and the summary of what a hub creates.</summary>
public sealed class WorkspaceNameRulesTests
{
    private const string Subscription = "00000000-1111-2222-3333-444444444444";

    [Theory]
    [InlineData("team-hub", true)]
    [InlineData("Hub_2", true)]
    [InlineData("9lives", true)]
    [InlineData("abc", true)]
    [InlineData("a23456789012345678901234567890123", true)]
    [InlineData("a234567890123456789012345678901234", false)]
    [InlineData("ab", false)]
    [InlineData("-hub", false)]
    [InlineData("_hub", false)]
    [InlineData("team hub", false)]
    [InlineData("team.hub", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void CheckWorkspaceName_FollowsAzureRule(string? name, bool valid) =>
        Assert.Equal(valid, WorkspaceCreation.CheckWorkspaceName(name) is null);

    [Theory]
    [InlineData("p1", true)]
    [InlineData("team.project_1-a", true)]
    [InlineData("p", false)]
    [InlineData(".p1", false)]
    [InlineData("team project", false)]
    public void CheckFoundryProjectName_FollowsAzureRule(string name, bool valid) =>
        Assert.Equal(valid, WorkspaceCreation.CheckFoundryProjectName(name) is null);

    [Theory]
    [InlineData("team-rg", true)]
    [InlineData("rg(1).x", true)]
    [InlineData("ends.", false)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void CheckResourceGroupName_FollowsAzureRule(string name, bool valid) =>
        Assert.Equal(valid, WorkspaceCreation.CheckResourceGroupName(name) is null);

    [Theory]
    [InlineData("team-hub")]
    [InlineData("A_Very-Long_Hub-Name_With_Many-Parts")]
    [InlineData("9--9")]
    [InlineData("___x")]
    public void AssociatedResourceNames_AlwaysFollowTheirRules(string hub)
    {
        var storage = WorkspaceCreation.StorageAccountNameFor(hub);
        var vault = WorkspaceCreation.KeyVaultNameFor(hub);

        Assert.True(WorkspaceCreation.IsStorageAccountName(storage), storage);
        Assert.True(WorkspaceCreation.IsKeyVaultName(vault), vault);
        Assert.NotEqual(storage, WorkspaceCreation.StorageAccountNameFor(hub));
    }

    [Fact]
    public void HubPlan_WithNewResourceGroup_ListsItFirst_ThenStorageKeyVaultAndHub()
    {
        var plan = HubPlan.For(Subscription, "new-rg", newResourceGroup: true, "swedencentral", "team-hub2");

        Assert.Equal(["Resource group", "Storage account", "Key vault", "Hub"], plan.Resources.Select(r => r.Kind));
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/new-rg", plan.Resources[0].ResourceId);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/new-rg/providers/Microsoft.Storage/storageAccounts/{plan.StorageAccountName}", plan.Resources[1].ResourceId);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/new-rg/providers/Microsoft.KeyVault/vaults/{plan.KeyVaultName}", plan.Resources[2].ResourceId);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/new-rg/providers/Microsoft.MachineLearningServices/workspaces/team-hub2", plan.HubId);
        Assert.Empty(plan.Problems());
    }

    [Fact]
    public void HubPlan_InExistingResourceGroup_CreatesNoResourceGroup()
    {
        var plan = HubPlan.For(Subscription, "team-rg", newResourceGroup: false, "swedencentral", "team-hub2");

        Assert.Equal(["Storage account", "Key vault", "Hub"], plan.Resources.Select(r => r.Kind));
    }

    [Fact]
    public void HubPlan_WithBadNames_SaysEveryProblem()
    {
        var plan = HubPlan.For("not-a-guid", "bad rg", newResourceGroup: true, "", "-x");

        var problems = plan.Problems();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("not a subscription id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Hub name '-x'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Resource group 'bad rg'", StringComparison.Ordinal));
        Assert.Contains("Choose a region.", problems);
    }

    [Fact]
    public void FoundryProjectPlan_UnderAnAccountThatHostsNoProjects_IsAProblem()
    {
        var account = new AzureAIAccount("/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a", "a", "OpenAI", "swedencentral", "rg", "s", "S0", null,
            new Dictionary<string, string>(), "Succeeded", false);

        var problems = new FoundryProjectPlan(account, "p1", null, null).Problems();

        Assert.Contains(problems, p => p.Contains("only be created under AI services (AIServices) accounts", StringComparison.Ordinal));
    }
}
