namespace Portal.Web.Access;

/// <summary>
/// Every operation of the portal that changes something (or spends the team's money or Azure quota), checked by the
/// service that performs it. A new mutating operation gets a value here and a rule in <see cref="PortalPermissions"/>;
/// the role × action matrix test fails until it has both.
/// </summary>
public enum PortalAction
{
    // Everyone signed in, on their own data.
    SavePreferences,
    EditCompareTray,
    CreateApiToken,
    RevokeApiToken,

    // Azure AI Developer.
    RunPlayground,
    SavePlaygroundHistory,
    DeletePlaygroundHistory,
    SavePersonalConnection,
    DeletePersonalConnection,
    TestConnection,
    DeployModel,
    UseDeploymentKeys,
    ManageDatasets,
    RunEvaluation,
    RunPerformanceProbe,
    ManageTrainingFiles,
    FineTune,

    // Contributor.
    SaveSharedConnection,
    DeleteSharedConnection,
    ImportCatalog,
    RemoveCatalogImport,
    DeleteDeployment,
    ManageOthersEvaluations,
    ShowOnBenchmarks,
    CreateAzureResource,
    ManageOthersFineTuning,

    // Owner.
    AssignRole,
    ReadAuditLog,
    ChangePortalSettings,
    ReadAllTraces,
}

public static class PortalPermissions
{
    /// <summary>The least role each action needs.</summary>
    public static IReadOnlyDictionary<PortalAction, PortalRole> Minimum { get; } = new Dictionary<PortalAction, PortalRole>
    {
        [PortalAction.SavePreferences] = PortalRole.Reader,
        [PortalAction.EditCompareTray] = PortalRole.Reader,
        [PortalAction.CreateApiToken] = PortalRole.Reader,
        [PortalAction.RevokeApiToken] = PortalRole.Reader,
        [PortalAction.RunPlayground] = PortalRole.AzureAIDeveloper,
        [PortalAction.SavePlaygroundHistory] = PortalRole.AzureAIDeveloper,
        [PortalAction.DeletePlaygroundHistory] = PortalRole.AzureAIDeveloper,
        [PortalAction.SavePersonalConnection] = PortalRole.AzureAIDeveloper,
        [PortalAction.DeletePersonalConnection] = PortalRole.AzureAIDeveloper,
        [PortalAction.TestConnection] = PortalRole.AzureAIDeveloper,
        [PortalAction.DeployModel] = PortalRole.AzureAIDeveloper,
        [PortalAction.UseDeploymentKeys] = PortalRole.AzureAIDeveloper,
        [PortalAction.ManageDatasets] = PortalRole.AzureAIDeveloper,
        [PortalAction.RunEvaluation] = PortalRole.AzureAIDeveloper,
        [PortalAction.RunPerformanceProbe] = PortalRole.AzureAIDeveloper,
        [PortalAction.ManageTrainingFiles] = PortalRole.AzureAIDeveloper,
        [PortalAction.FineTune] = PortalRole.AzureAIDeveloper,
        [PortalAction.SaveSharedConnection] = PortalRole.Contributor,
        [PortalAction.DeleteSharedConnection] = PortalRole.Contributor,
        [PortalAction.ImportCatalog] = PortalRole.Contributor,
        [PortalAction.RemoveCatalogImport] = PortalRole.Contributor,
        [PortalAction.DeleteDeployment] = PortalRole.Contributor,
        [PortalAction.ManageOthersEvaluations] = PortalRole.Contributor,
        [PortalAction.ShowOnBenchmarks] = PortalRole.Contributor,
        [PortalAction.CreateAzureResource] = PortalRole.Contributor,
        [PortalAction.ManageOthersFineTuning] = PortalRole.Contributor,
        [PortalAction.AssignRole] = PortalRole.Owner,
        [PortalAction.ReadAuditLog] = PortalRole.Owner,
        [PortalAction.ChangePortalSettings] = PortalRole.Owner,
        [PortalAction.ReadAllTraces] = PortalRole.Owner,
    };

    public static PortalRole Required(PortalAction action) =>
        Minimum.TryGetValue(action, out var role) ? role : PortalRole.Owner;

    public static bool Allows(this PortalRole role, PortalAction action) => role >= Required(action);

    /// <summary>For a role that may be unknown (not signed in, signed out): nothing is allowed.</summary>
    public static bool Allows(this PortalRole? role, PortalAction action) => role is { } known && known.Allows(action);

    /// <summary>What the UI says of an action ("import catalogs").</summary>
    public static string Describe(PortalAction action) => action switch
    {
        PortalAction.SavePreferences => "change your preferences",
        PortalAction.EditCompareTray => "change your compare tray",
        PortalAction.CreateApiToken => "create API tokens",
        PortalAction.RevokeApiToken => "revoke API tokens",
        PortalAction.RunPlayground => "send prompts in the playgrounds",
        PortalAction.SavePlaygroundHistory => "save playground history",
        PortalAction.DeletePlaygroundHistory => "delete playground history",
        PortalAction.SavePersonalConnection => "save personal connections",
        PortalAction.DeletePersonalConnection => "delete personal connections",
        PortalAction.TestConnection => "test connections",
        PortalAction.DeployModel => "deploy models",
        PortalAction.UseDeploymentKeys => "use a deployment's keys",
        PortalAction.ManageDatasets => "upload, version or delete datasets",
        PortalAction.RunEvaluation => "run evaluations",
        PortalAction.RunPerformanceProbe => "run performance probes",
        PortalAction.ManageTrainingFiles => "validate, upload or delete training files",
        PortalAction.FineTune => "start, follow or cancel fine-tuning jobs",
        PortalAction.SaveSharedConnection => "create or edit shared connections",
        PortalAction.DeleteSharedConnection => "delete shared connections",
        PortalAction.ImportCatalog => "import catalogs",
        PortalAction.RemoveCatalogImport => "remove imported catalogs",
        PortalAction.DeleteDeployment => "delete deployments",
        PortalAction.ManageOthersEvaluations => "cancel or delete other people's evaluations and datasets",
        PortalAction.ShowOnBenchmarks => "show evaluation results on the benchmark dashboard",
        PortalAction.CreateAzureResource => "create hubs and projects",
        PortalAction.ManageOthersFineTuning => "cancel or remove other people's fine-tuning jobs",
        PortalAction.AssignRole => "assign roles",
        PortalAction.ReadAuditLog => "read the audit log",
        PortalAction.ChangePortalSettings => "change portal-wide settings",
        PortalAction.ReadAllTraces => "read everyone's traces",
        _ => action.ToString(),
    };
}

/// <summary>Thrown by a service when the current user's role does not allow the action; the attempt is already audited.</summary>
public sealed class PortalAccessDeniedException(PortalAction action, PortalRole required, PortalRole? actual)
    : Exception(Describe(action, required, actual))
{
    public PortalAction Action { get; } = action;

    public PortalRole Required { get; } = required;

    public PortalRole? Actual { get; } = actual;

    private static string Describe(PortalAction action, PortalRole required, PortalRole? actual) =>
        actual is { } role
            ? $"You need the {required.Label()} role to {PortalPermissions.Describe(action)}; your role is {role.Label()}."
            : $"Sign in with the {required.Label()} role to {PortalPermissions.Describe(action)}.";
}
