using System.Globalization;
using Portal.Azure;
using Portal.Catalog;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>What stands between the user and an Azure OpenAI deployment.</summary>
public enum OpenAIBlockerKind
{
    AzureNotSetUp,
    AzureProblem,
    NoAccount,
    ModelNotInRegion,
    VersionNotOffered,
    SkuNotOffered,
    QuotaExhausted,
    CapacityAboveQuota,
    NoPermission,
}

public sealed record OpenAIBlocker(OpenAIBlockerKind Kind, string Message);

public enum OpenAIInputProblemKind
{
    Name,
    NameTaken,
    Capacity,
    Choice,
}

public sealed record OpenAIInputProblem(OpenAIInputProblemKind Kind, string Message);

/// <summary>A quota of the subscription in a region, as the usages API reported it.</summary>
public sealed record OpenAIQuota(string UsageName, string? Label, double Used, double Limit, string Location, string Source)
{
    public double Remaining => Math.Max(0, Limit - Used);

    /// <summary>"used 440 of 450 in swedencentral, 10 left".</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture, $"used {Used:0.##} of {Limit:0.##} in {Location}, {Remaining:0.##} left");
}

/// <summary>
/// The Azure OpenAI deploy wizard's rules, apart from the page: the accounts that serve OpenAI models, the versions an
/// account offers for the catalog model (with lifecycle and retirement), the SKUs each version allows, the capacity
/// range and the remaining quota, what blocks a deployment (each with what to do), and validation of the form.
/// </summary>
public sealed class OpenAIDeployModel(CatalogModel model, DateTimeOffset now)
{
    /// <summary>A version retiring within this many days gets a warning.</summary>
    public const int RetiringSoonDays = 90;

    public static IReadOnlyList<(string Value, string Label)> UpgradeOptions { get; } =
    [
        ("OnceNewDefaultVersionAvailable", "Upgrade when a new default version is available"),
        ("OnceCurrentVersionExpired", "Upgrade only when this version retires"),
        ("NoAutoUpgrade", "Never upgrade automatically (the deployment stops working when the version retires)"),
    ];

    public CatalogModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Whether a catalog model is deployed as an Azure OpenAI deployment (its collection is Azure OpenAI).</summary>
    public static bool Applies(CatalogModel model) =>
        string.Equals(model?.Collection, "Azure OpenAI", StringComparison.OrdinalIgnoreCase);

    public bool AzureConfigured { get; private set; } = true;

    public List<string> AzureProblems { get; } = [];

    /// <summary>Null until Azure was asked; then the accounts that serve OpenAI models.</summary>
    public IReadOnlyList<AzureAIAccount>? Accounts { get; private set; }

    public AzureAIAccount? Account { get; private set; }

    /// <summary>Everything the chosen account can deploy (its models API); null until read.</summary>
    public IReadOnlyList<CognitiveModel>? AccountModels { get; private set; }

    public string? ModelsSource { get; private set; }

    /// <summary>The subscription's usages in the account's region; null until read (or unreadable).</summary>
    public IReadOnlyList<CognitiveUsage>? Usages { get; private set; }

    public string? UsagesSource { get; private set; }

    public IReadOnlyCollection<string> TakenNames { get; private set; } = [];

    public string? Version { get; set; }

    public string? Sku { get; set; }

    public int Capacity { get; set; }

    public string Name { get; set; } = model?.Id ?? "";

    public string VersionUpgradeOption { get; set; } = UpgradeOptions[0].Value;

    /// <summary>Set when the identity may not create deployments in <see cref="Account"/>.</summary>
    public string? AccessProblem { get; private set; }

    /// <summary>The versions of this catalog model the account offers, the default first.</summary>
    public IReadOnlyList<CognitiveModel> Versions => AccountModels is null
        ? []
        : [.. AccountModels.Where(m => Matches(m.Name)).OrderByDescending(m => m.IsDefaultVersion == true).ThenByDescending(m => m.Version, StringComparer.Ordinal)];

    public CognitiveModel? SelectedVersion => Versions.FirstOrDefault(v => v.Version == Version);

    public IReadOnlyList<CognitiveModelSku> Skus => SelectedVersion?.Skus ?? [];

    public CognitiveModelSku? SelectedSku => Skus.FirstOrDefault(s => string.Equals(s.Name, Sku, StringComparison.OrdinalIgnoreCase));

    /// <summary>The quota the chosen SKU counts against (by its usage name), if the usages API lists it.</summary>
    public OpenAIQuota? Quota => QuotaFor(SelectedSku);

    public OpenAIQuota? QuotaFor(CognitiveModelSku? sku)
    {
        if (sku?.UsageName is not { } usageName || Usages is null || Account?.Location is not { } location)
        {
            return null;
        }

        var usage = Usages.FirstOrDefault(u => string.Equals(u.Name?.Value, usageName, StringComparison.OrdinalIgnoreCase));
        return usage is null ? null : new(usageName, usage.Name?.LocalizedValue, usage.CurrentValue ?? 0, usage.Limit ?? 0, location, UsagesSource ?? "");
    }

    public int CapacityMinimum => SelectedSku?.Capacity?.Minimum ?? 1;

    public int CapacityStep => Math.Max(1, SelectedSku?.Capacity?.Step ?? 1);

    /// <summary>The most the SKU allows (not yet limited by quota: that is a blocker with its own words).</summary>
    public int CapacityMaximum => SelectedSku?.Capacity?.Maximum ?? SelectedVersion?.MaxCapacity ?? 1000;

    public bool CanChoose => Accounts is { Count: > 0 };

    public bool CanDeploy => Account is not null && SelectedVersion is not null && SelectedSku is not null && Blockers.Count == 0;

    public static bool IsProvisioned(string? sku) => sku?.Contains("Provisioned", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>What a unit of capacity means for a SKU.</summary>
    public static string CapacityUnit(string? sku) => IsProvisioned(sku)
        ? "PTUs (provisioned throughput units)"
        : "units of 1,000 tokens per minute (TPM)";

    /// <summary>A deployment SKU in words, with what it means.</summary>
    public static (string Label, string Explanation) DescribeSku(string? sku) => sku switch
    {
        "Standard" => ("Standard", "pay per token; requests are processed in the account's region."),
        "GlobalStandard" => ("Global standard", "pay per token; requests may be processed in any Azure region, with the highest default quota."),
        "DataZoneStandard" => ("Data zone standard", "pay per token; requests stay within the account's data zone (EU or US)."),
        "ProvisionedManaged" => ("Provisioned", "reserved throughput in PTUs, billed by the hour; processed in the account's region."),
        "GlobalProvisionedManaged" => ("Global provisioned", "reserved throughput in PTUs, billed by the hour; processed in any Azure region."),
        "DataZoneProvisionedManaged" => ("Data zone provisioned", "reserved throughput in PTUs, billed by the hour; processed within the data zone."),
        "GlobalBatch" => ("Global batch", "asynchronous batch jobs at a lower price; results within 24 hours."),
        "DataZoneBatch" => ("Data zone batch", "asynchronous batch jobs within the data zone; results within 24 hours."),
        _ => (sku ?? "—", "a deployment type the portal has no description for; see Azure's documentation."),
    };

    /// <summary>A lifecycle status in words.</summary>
    public static string Lifecycle(string? status) => status switch
    {
        "GenerallyAvailable" => "generally available",
        "Stable" => "stable",
        "Preview" => "preview",
        "Deprecating" => "deprecating",
        "Deprecated" => "deprecated",
        "Legacy" => "legacy",
        null or "" => "lifecycle not stated",
        _ => status,
    };

    public static string Day(DateTimeOffset? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    /// <summary>How a version reads in the list: "2024-08-06 — generally available, default, retires 2027-06-30".</summary>
    public static string VersionLabel(CognitiveModel version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var parts = new List<string> { Lifecycle(version.LifecycleStatus) };
        if (version.IsDefaultVersion == true)
        {
            parts.Add("default");
        }

        if (version.Deprecation?.Inference is { } retires)
        {
            parts.Add($"retires {Day(retires)}");
        }

        return $"{version.Version} — {string.Join(", ", parts)}";
    }

    /// <summary>Warnings that do not block: the chosen version retires soon, or is a preview.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var list = new List<string>();
            if (SelectedVersion is not { } v)
            {
                return list;
            }

            if (v.Deprecation?.Inference is { } retires && retires - now < TimeSpan.FromDays(RetiringSoonDays))
            {
                var days = Math.Max(0, (int)Math.Ceiling((retires - now).TotalDays));
                var replacement = v.ReplacementConfig?.TargetModelName is { } target
                    ? $" Azure names {target} {v.ReplacementConfig.TargetModelVersion} as its replacement."
                    : Versions.FirstOrDefault(o => o.IsDefaultVersion == true && o.Version != v.Version) is { } d
                        ? $" The account's default version is {d.Version} (retires {Day(d.Deprecation?.Inference)})."
                        : "";
                list.Add($"Version {v.Version} retires on {Day(retires)} (in {days} days): a deployment of it stops answering then unless it is upgraded.{replacement}");
            }

            if (string.Equals(v.LifecycleStatus, "Preview", StringComparison.OrdinalIgnoreCase))
            {
                list.Add($"Version {v.Version} is a preview: it may change or be withdrawn, and quota and regions are limited.");
            }

            return list;
        }
    }

    /// <summary>Everything that stands between the user and the deployment, each with what to do about it.</summary>
    public IReadOnlyList<OpenAIBlocker> Blockers
    {
        get
        {
            var list = new List<OpenAIBlocker>();
            if (!AzureConfigured)
            {
                list.Add(new(OpenAIBlockerKind.AzureNotSetUp, "Azure is not set up: choose subscriptions in Settings → Azure (the portal signs in with az login, AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET, or a managed identity)."));
            }

            list.AddRange(AzureProblems.Select(p => new OpenAIBlocker(OpenAIBlockerKind.AzureProblem, p)));
            if (Accounts is { Count: 0 } && AzureProblems.Count == 0)
            {
                list.Add(new(OpenAIBlockerKind.NoAccount, "No Azure OpenAI or AI services account (kind OpenAI or AIServices) was found in your subscriptions. Create one in the Azure portal or with `az cognitiveservices account create --kind OpenAI --sku S0`, or choose other subscriptions in Settings → Azure."));
            }

            if (Account is { } account && AccountModels is not null)
            {
                if (Versions.Count == 0)
                {
                    list.Add(new(OpenAIBlockerKind.ModelNotInRegion, $"Account {account.Name} in {account.Location} does not offer {Model.Id} ({ModelsSource}). Choose an account in another region, or create one where the model is offered."));
                }
                else if (Version is { } version && SelectedVersion is null)
                {
                    list.Add(new(OpenAIBlockerKind.VersionNotOffered, $"Version {version} of {Model.Id} is not offered by account {account.Name} in {account.Location}; it offers {string.Join(", ", Versions.Select(v => v.Version))}. Choose one of those, or an account in a region that offers {version}."));
                }
                else if (SelectedVersion is { } v && Sku is { } sku && SelectedSku is null)
                {
                    list.Add(new(OpenAIBlockerKind.SkuNotOffered, $"{DescribeSku(sku).Label} ({sku}) is not offered for {Model.Id} {v.Version} in {account.Location}; this version allows {string.Join(", ", Skus.Select(s => DescribeSku(s.Name).Label))}."));
                }
                else if (Quota is { } quota)
                {
                    var where = $"{quota.Label ?? quota.UsageName}: {quota.Line} ({quota.Source})";
                    if (quota.Remaining <= 0)
                    {
                        list.Add(new(OpenAIBlockerKind.QuotaExhausted, $"No {DescribeSku(Sku).Label.ToLowerInvariant()} quota is left for {Model.Id} in {quota.Location}: {where}.{OtherSkus()} Lower or delete another deployment of it in {quota.Location}, choose an account in another region, or request more quota."));
                    }
                    else if (Capacity > quota.Remaining)
                    {
                        list.Add(new(OpenAIBlockerKind.CapacityAboveQuota, string.Create(CultureInfo.InvariantCulture, $"Capacity {Capacity} is more than the {quota.Remaining:0.##} left: {where}. Lower the capacity to {quota.Remaining:0.##} or less, or free or request quota.")));
                    }
                }
            }

            if (AccessProblem is { } access)
            {
                list.Add(new(OpenAIBlockerKind.NoPermission, access));
            }

            return list;
        }
    }

    /// <summary>Azure answered: null when no subscription is chosen (Azure is not set up).</summary>
    public void Discovered(AccountDiscovery? discovery)
    {
        AzureConfigured = discovery is not null;
        Accounts = discovery is null ? null : [.. discovery.Accounts.Where(a => a.ServesOpenAI)];
        if (discovery is not null)
        {
            AzureProblems.AddRange(discovery.Problems);
        }
    }

    /// <summary>Chooses an account; its models, usages and deployments come with <see cref="AccountRead"/>.</summary>
    public void ChooseAccount(AzureAIAccount? account)
    {
        Account = account;
        AccountModels = null;
        Usages = null;
        ModelsSource = UsagesSource = null;
        TakenNames = [];
        AccessProblem = null;
    }

    /// <summary>
    /// What Azure said about the chosen account. A version or SKU chosen before stays chosen if offered here (else it is
    /// a blocker); with none chosen, the default version and its first SKU are.
    /// </summary>
    public void AccountRead(IReadOnlyList<CognitiveModel> models, IReadOnlyList<CognitiveUsage>? usages, IEnumerable<string> deploymentNames)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(deploymentNames);
        var day = Day(now);
        AccountModels = models;
        ModelsSource = $"from the models API of account {Account?.Name}, {day}";
        Usages = usages;
        UsagesSource = usages is null ? null : $"from the usages API of the subscription in {Account?.Location}, {day}";
        TakenNames = deploymentNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (Version is null && Versions is [var first, ..])
        {
            ChooseVersion(first.Version);
        }

        if (TakenNames.Contains(Name))
        {
            Name = FreeName(Model.Id);
        }
    }

    public void ChooseVersion(string? version)
    {
        Version = version;
        // A deployment type chosen before stays chosen: if this version does not allow it, that is a blocker that says which it allows.
        if (SelectedVersion is { } v && Sku is null && v.Skus is { Count: > 0 } skus)
        {
            ChooseSku((skus.FirstOrDefault(s => s.Name == "GlobalStandard") ?? skus[0]).Name);
        }
    }

    /// <summary>Chooses a SKU and its default capacity (no more than the quota left).</summary>
    public void ChooseSku(string? sku)
    {
        Sku = sku;
        if (SelectedSku is { } s)
        {
            var wanted = s.Capacity?.Default ?? CapacityMinimum;
            Capacity = Quota is { Remaining: > 0 } q ? Math.Max(CapacityMinimum, Math.Min(wanted, (int)q.Remaining)) : wanted;
        }
    }

    /// <summary>The identity may not create deployments in <see cref="Account"/>.</summary>
    public void PermissionDenied(string? azureMessage = null) =>
        AccessProblem = azureMessage is null
            ? $"The signed-in identity lacks permission to create deployments in account {Account?.Name} (it may not perform {AzureService.OpenAIDeploymentWrite}). Ask for a role such as Cognitive Services Contributor or Azure AI Developer on the account."
            : $"In account {Account?.Name}: {azureMessage}";

    /// <summary>What is wrong with the form's input, before anything is asked of Azure.</summary>
    public IReadOnlyList<OpenAIInputProblem> Validate()
    {
        var problems = new List<OpenAIInputProblem>();
        if (AzureService.CheckDeploymentName(Name) is { } nameProblem)
        {
            problems.Add(new(OpenAIInputProblemKind.Name, nameProblem));
        }
        else if (TakenNames.Contains(Name))
        {
            problems.Add(new(OpenAIInputProblemKind.NameTaken, $"Account {Account?.Name} already has a deployment named {Name}; choose another name (for example {FreeName(Name)})."));
        }

        if (SelectedVersion is null || SelectedSku is null)
        {
            problems.Add(new(OpenAIInputProblemKind.Choice, "Choose an account, a version and a deployment type."));
        }
        else if (Capacity < CapacityMinimum || Capacity > CapacityMaximum || (Capacity - CapacityMinimum) % CapacityStep != 0)
        {
            problems.Add(new(OpenAIInputProblemKind.Capacity, CapacityStep == 1
                ? $"Capacity must be between {CapacityMinimum} and {CapacityMaximum} {CapacityUnit(Sku)}."
                : $"Capacity must be between {CapacityMinimum} and {CapacityMaximum} {CapacityUnit(Sku)}, in steps of {CapacityStep}."));
        }

        return problems;
    }

    public OpenAIDeploymentSpec Spec() =>
        new(Name, SelectedVersion?.Name ?? Model.Id, Version ?? "", Sku ?? "", Capacity, VersionUpgradeOption);

    /// <summary>A name not yet used in the account: the model's id, else with -2, -3…</summary>
    public string FreeName(string name)
    {
        var baseName = AzureService.CheckDeploymentName(name) is null ? name : "deployment";
        if (!TakenNames.Contains(baseName))
        {
            return baseName;
        }

        for (var i = 2; ; i++)
        {
            var candidate = $"{(baseName.Length > 60 ? baseName[..60] : baseName)}-{i.ToString(CultureInfo.InvariantCulture)}";
            if (!TakenNames.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    private string OtherSkus()
    {
        var others = Skus.Where(s => s != SelectedSku && QuotaFor(s) is { Remaining: > 0 }).Select(s => $"{DescribeSku(s.Name).Label} has {QuotaFor(s)!.Remaining.ToString("0.##", CultureInfo.InvariantCulture)} left").ToList();
        return others.Count > 0 ? $" Another deployment type has room: {string.Join("; ", others)}." : "";
    }

    private bool Matches(string? name) =>
        name is not null && (string.Equals(name, Model.Id, StringComparison.OrdinalIgnoreCase) || Model.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
}
