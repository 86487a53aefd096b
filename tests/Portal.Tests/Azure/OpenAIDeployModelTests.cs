using Portal.Azure;
using Portal.Catalog;
using Portal.Web.Components.Pages.Deployments;

namespace Portal.Tests.Azure;

/// <summary>The Azure OpenAI deploy wizard's rules without the page: versions, SKUs, capacity, quota, blockers, names.</summary>
public sealed class OpenAIDeployModelTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly AzureAIAccount Sweden = Account("team-openai", "OpenAI", "swedencentral");

    private static readonly AzureAIAccount EastUs = Account("team-aiservices", "AIServices", "eastus2");

    private static AzureAIAccount Account(string name, string kind, string location) =>
        new($"/subscriptions/s/resourceGroups/team-rg/providers/Microsoft.CognitiveServices/accounts/{name}", name, kind, location, "team-rg", "s", "S0",
            $"https://{name}.openai.azure.com/", new Dictionary<string, string>(), "Succeeded", false);

    private static CatalogModel Gpt4o() => new() { Id = "gpt-4o", DisplayName = "GPT-4o", Publisher = "OpenAI", Collection = "Azure OpenAI" };

    private static CognitiveModelSku Sku(string name, int min = 1, int max = 1000, int step = 1, int @default = 10) =>
        new(name, $"OpenAI.{name}.gpt-4o", null, new CapacityRange(min, max, step, @default, null), null);

    private static CognitiveModel Version(string version, string lifecycle, bool isDefault, DateTimeOffset retires, params CognitiveModelSku[] skus) =>
        new("gpt-4o", "OpenAI", version, null, null, null, null, new ModelDeprecation(null, retires, null), isDefault, lifecycle, 1000, null, skus, null, null);

    private static readonly CognitiveModel Ga = Version("2024-08-06", "GenerallyAvailable", true, new(2027, 6, 30, 0, 0, 0, TimeSpan.Zero), Sku("Standard"), Sku("GlobalStandard"), Sku("ProvisionedManaged", 15, 1000, 5, 50));

    private static readonly CognitiveModel Retiring = Version("2024-05-13", "Deprecating", false, new(2026, 12, 20, 0, 0, 0, TimeSpan.Zero), Sku("Standard"), Sku("GlobalStandard"));

    private static readonly CognitiveModel Preview = Version("2024-11-20", "Preview", false, new(2027, 9, 30, 0, 0, 0, TimeSpan.Zero), Sku("GlobalStandard"));

    private static readonly CognitiveModel Mini = new("gpt-4o-mini", "OpenAI", "2024-07-18", null, null, null, null, null, true, "GenerallyAvailable", 1000, null, [Sku("GlobalStandard")], null, null);

    private static CognitiveUsage Usage(string name, double used, double limit) => new(new UsageName(name, $"Tokens Per Minute (thousands) - {name}"), used, limit, "Count", null, null, null, null, null);

    private static readonly CognitiveUsage[] Usages =
        [Usage("OpenAI.Standard.gpt-4o", 440, 450), Usage("OpenAI.GlobalStandard.gpt-4o", 100, 2000), Usage("OpenAI.ProvisionedManaged.gpt-4o", 0, 0)];

    private static OpenAIDeployModel Ready(AzureAIAccount? account = null, CognitiveModel[]? models = null, CognitiveUsage[]? usages = null, string[]? taken = null)
    {
        var wizard = new OpenAIDeployModel(Gpt4o(), Now);
        wizard.Discovered(new AccountDiscovery([Sweden, EastUs, Account("team-speech", "SpeechServices", "westeurope")], [], Now));
        wizard.ChooseAccount(account ?? Sweden);
        wizard.AccountRead(models ?? [Ga, Retiring, Preview, Mini], usages ?? Usages, taken ?? ["gpt-4o-mini"]);
        return wizard;
    }

    [Fact]
    public void Applies_OnlyToTheAzureOpenAICollection()
    {
        Assert.True(OpenAIDeployModel.Applies(Gpt4o()));
        Assert.False(OpenAIDeployModel.Applies(new CatalogModel { Id = "Phi-3-mini-4k-instruct", DisplayName = "Phi", Collection = "Microsoft" }));
    }

    [Fact]
    public void Accounts_AreThoseServingOpenAI_AndNoneIsABlockerThatSaysWhatToDo()
    {
        var wizard = Ready();
        Assert.Equal(["team-openai", "team-aiservices"], wizard.Accounts!.Select(a => a.Name));

        var none = new OpenAIDeployModel(Gpt4o(), Now);
        none.Discovered(new AccountDiscovery([Account("team-speech", "SpeechServices", "westeurope")], [], Now));
        var blocker = Assert.Single(none.Blockers);
        Assert.Equal(OpenAIBlockerKind.NoAccount, blocker.Kind);
        Assert.Contains("az cognitiveservices account create --kind OpenAI", blocker.Message, StringComparison.Ordinal);

        var notSetUp = new OpenAIDeployModel(Gpt4o(), Now);
        notSetUp.Discovered(null);
        Assert.Equal([OpenAIBlockerKind.AzureNotSetUp], notSetUp.Blockers.Select(b => b.Kind));
    }

    [Fact]
    public void Versions_AreTheModelsOnes_DefaultFirst_AndChosenWithGlobalStandard()
    {
        var wizard = Ready();

        Assert.Equal(["2024-08-06", "2024-11-20", "2024-05-13"], wizard.Versions.Select(v => v.Version));
        Assert.Equal("2024-08-06", wizard.Version);
        Assert.Equal("GlobalStandard", wizard.Sku);
        Assert.Equal(10, wizard.Capacity);
        Assert.Equal("2024-08-06 — generally available, default, retires 2027-06-30", OpenAIDeployModel.VersionLabel(wizard.Versions[0]));
        Assert.Equal("2024-05-13 — deprecating, retires 2026-12-20", OpenAIDeployModel.VersionLabel(wizard.Versions[2]));
        Assert.Contains("from the models API of account team-openai, 2026-12-02", wizard.ModelsSource, StringComparison.Ordinal);
        Assert.Empty(wizard.Blockers);
        Assert.True(wizard.CanDeploy);
    }

    [Fact]
    public void Sku_InWords_AndCapacityUnit_ByType()
    {
        Assert.Equal("Global standard", OpenAIDeployModel.DescribeSku("GlobalStandard").Label);
        Assert.Contains("data zone", OpenAIDeployModel.DescribeSku("DataZoneStandard").Explanation, StringComparison.Ordinal);
        Assert.Contains("PTUs", OpenAIDeployModel.CapacityUnit("ProvisionedManaged"), StringComparison.Ordinal);
        Assert.Contains("1,000 tokens per minute", OpenAIDeployModel.CapacityUnit("Standard"), StringComparison.Ordinal);
    }

    [Fact]
    public void Quota_IsTheSkusUsage_WithUsedLimitAndLeft()
    {
        var wizard = Ready();
        wizard.ChooseSku("Standard");

        var quota = wizard.Quota!;
        Assert.Equal("used 440 of 450 in swedencentral, 10 left", quota.Line);
        Assert.Equal(10, wizard.Capacity);
        wizard.Capacity = 11;
        var blocker = Assert.Single(wizard.Blockers);
        Assert.Equal(OpenAIBlockerKind.CapacityAboveQuota, blocker.Kind);
        Assert.Contains("Capacity 11 is more than the 10 left", blocker.Message, StringComparison.Ordinal);
        Assert.Contains("used 440 of 450 in swedencentral", blocker.Message, StringComparison.Ordinal);
        Assert.False(wizard.CanDeploy);
    }

    [Fact]
    public void QuotaExhausted_SaysWhereAndWhatElseHasRoom()
    {
        var wizard = Ready(usages: [Usage("OpenAI.Standard.gpt-4o", 450, 450), Usage("OpenAI.GlobalStandard.gpt-4o", 100, 2000)]);
        wizard.ChooseSku("Standard");

        var blocker = Assert.Single(wizard.Blockers);
        Assert.Equal(OpenAIBlockerKind.QuotaExhausted, blocker.Kind);
        Assert.Contains("used 450 of 450 in swedencentral, 0 left", blocker.Message, StringComparison.Ordinal);
        Assert.Contains("Global standard has 1900 left", blocker.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelNotInTheRegion_VersionOrSkuNotOffered_AreBlockers()
    {
        Assert.Equal(OpenAIBlockerKind.ModelNotInRegion, Assert.Single(Ready(models: [Mini]).Blockers).Kind);

        var wizard = Ready();
        wizard.ChooseVersion("2024-11-20");
        wizard.ChooseAccount(EastUs);
        wizard.AccountRead([Ga, Retiring], Usages, []);
        var version = Assert.Single(wizard.Blockers);
        Assert.Equal(OpenAIBlockerKind.VersionNotOffered, version.Kind);
        Assert.Contains("2024-11-20 of gpt-4o is not offered by account team-aiservices in eastus2", version.Message, StringComparison.Ordinal);

        var sku = Ready();
        sku.ChooseSku("Standard");
        sku.ChooseVersion("2024-11-20");
        var skuBlocker = Assert.Single(sku.Blockers);
        Assert.Equal(OpenAIBlockerKind.SkuNotOffered, skuBlocker.Kind);
        Assert.Contains("Standard (Standard) is not offered for gpt-4o 2024-11-20", skuBlocker.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RetiringSoon_IsAWarningWithTheDate_AndTheDefaultVersion()
    {
        var wizard = Ready();
        wizard.ChooseVersion("2024-05-13");

        var warning = Assert.Single(wizard.Warnings);
        Assert.Contains("retires on 2026-12-20 (in 18 days)", warning, StringComparison.Ordinal);
        Assert.Contains("default version is 2024-08-06", warning, StringComparison.Ordinal);
        Assert.Empty(wizard.Blockers);

        var replaced = Ready(models: [Retiring with { ReplacementConfig = new ModelReplacement("gpt-4.1", "2025-04-14", null, null) }]);
        Assert.Contains("Azure names gpt-4.1 2025-04-14 as its replacement", Assert.Single(replaced.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void NoPermission_NamesTheAction()
    {
        var wizard = Ready();
        wizard.PermissionDenied();

        var blocker = Assert.Single(wizard.Blockers);
        Assert.Equal(OpenAIBlockerKind.NoPermission, blocker.Kind);
        Assert.Contains("Microsoft.CognitiveServices/accounts/deployments/write", blocker.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt-4o", true)]
    [InlineData("gpt_4o.prod-2", true)]
    [InlineData("ab", true)]
    [InlineData("a", false)]
    [InlineData("-gpt", false)]
    [InlineData("gpt 4o", false)]
    [InlineData("gpt/4o", false)]
    public void DeploymentNames_FollowAzuresRule(string name, bool valid)
    {
        Assert.Equal(valid, AzureService.CheckDeploymentName(name) is null);
        Assert.False(AzureService.CheckDeploymentName(new string('a', 65)) is null);
        Assert.True(AzureService.CheckDeploymentName(new string('a', 64)) is null);
    }

    [Fact]
    public void Validate_NameTaken_CapacityOffStep_AndTheDefaultNameAvoidsTakenOnes()
    {
        var wizard = Ready(taken: ["gpt-4o"]);
        Assert.Equal("gpt-4o-2", wizard.Name);

        wizard.Name = "gpt-4o";
        Assert.Equal(OpenAIInputProblemKind.NameTaken, Assert.Single(wizard.Validate()).Kind);

        wizard.Name = "x";
        Assert.Equal(OpenAIInputProblemKind.Name, Assert.Single(wizard.Validate()).Kind);

        wizard.Name = "gpt-4o-ptu";
        wizard.ChooseSku("ProvisionedManaged");
        wizard.Capacity = 17;
        var capacity = Assert.Single(wizard.Validate());
        Assert.Equal(OpenAIInputProblemKind.Capacity, capacity.Kind);
        Assert.Contains("between 15 and 1000 PTUs (provisioned throughput units), in steps of 5", capacity.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spec_CarriesTheChoices()
    {
        var wizard = Ready();
        wizard.Name = "chat";
        wizard.Capacity = 25;
        wizard.VersionUpgradeOption = "NoAutoUpgrade";

        Assert.Equal(new OpenAIDeploymentSpec("chat", "gpt-4o", "2024-08-06", "GlobalStandard", 25, "NoAutoUpgrade"), wizard.Spec());
    }
}
