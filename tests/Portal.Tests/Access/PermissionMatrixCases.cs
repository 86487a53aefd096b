using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Azure;
using Portal.Catalog;
using Portal.Catalog.Sources;
using Portal.Data.Access;
using Portal.Data.Connections;
using Portal.Data.Evaluations;
using Portal.Data.FineTuning;
using Portal.Data.Playground;
using Portal.Data.Preferences;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Web.Access;
using Portal.Web.Azure;
using Portal.Web.Benchmarks;
using Portal.Web.Catalog;
using Portal.Web.Connections;
using Portal.Web.Evaluations;
using Portal.Web.FineTuning;
using Portal.Web.Playground;

namespace Portal.Tests.Access;

/// <summary>One try of an operation: what to call, and what in the store it would change (read before and after).</summary>
/// <param name="Act">Calls the service as the scope's user.</param>
/// <param name="Probe">Reads the state the operation changes; the same text before and after means nothing changed.</param>
/// <param name="Changes">Whether an allowed call changes what <paramref name="Probe"/> reads (reading and testing do not).</param>
public sealed record Attempt(Func<IServiceProvider, Task> Act, Func<Task<string>> Probe, bool Changes = true);

/// <summary>A service operation: <c>Type.Method</c> it covers, and how to prepare a try for a user (seeding what it needs).</summary>
public sealed record Operation(string Covers, Func<MatrixHost, string, Task<Attempt>> Prepare);

/// <summary>An HTTP call: how to prepare it for a user, the probe, and the status that says it was done.</summary>
public sealed record HttpAttempt(Func<HttpClient, Task<HttpResponseMessage>> Send, Func<Task<string>> Probe, HttpStatusCode Success);

public sealed record HttpOperation(string Endpoint, Func<MatrixHost, string, Task<HttpAttempt>> Prepare);

/// <summary>
/// The role × action matrix's operations: for every <see cref="PortalAction"/>, each service method that performs it
/// and, where there is one, its HTTP endpoint. The tests derive who may do what from <see cref="PortalPermissions"/>.
/// </summary>
public static partial class PermissionMatrixCases
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static readonly string[] PeerModels = ["peer-chat"];

    public static IReadOnlyDictionary<PortalAction, IReadOnlyList<Operation>> Service { get; } = new Dictionary<PortalAction, IReadOnlyList<Operation>>
    {
        [PortalAction.SavePreferences] =
        [
            new("UserPreferences.SetAsync", (host, user) => Task.FromResult(new Attempt(
                sp => sp.GetRequiredService<UserPreferences>().SetAsync("layout.sidebar-expanded", "false", None),
                () => Preference(host, user, "layout.sidebar-expanded")))),
            new("UserPreferences.SetInBrowserAsync", (host, user) =>
            {
                var written = false;
                return Task.FromResult(new Attempt(
                    sp => sp.GetRequiredService<UserPreferences>().SetInBrowserAsync("theme", () =>
                    {
                        written = true;
                        return Task.CompletedTask;
                    }, None),
                    () => Task.FromResult(written ? "written" : "not written")));
            }),
            new("AzureContext.SaveChosenAsync", (host, user) => Task.FromResult(new Attempt(
                sp => sp.GetRequiredService<AzureContext>().SaveChosenAsync(["99999999-1111-2222-3333-444444444444"], None),
                () => Preference(host, user, AzureContext.PreferenceKey)))),
        ],
        [PortalAction.EditCompareTray] =
        [
            new("CompareTray.AddAsync", (host, user) => Task.FromResult(new Attempt(
                async sp => Assert.True(await sp.GetRequiredService<CompareTray>().AddAsync(AModel(host))),
                () => Preference(host, user, CompareTray.PreferenceKey)))),
            new("CompareTray.RemoveAsync", async (host, user) =>
            {
                await host.Get<IPreferenceStore>().SetAsync(user, CompareTray.PreferenceKey, AModel(host), None);
                return new Attempt(sp => sp.GetRequiredService<CompareTray>().RemoveAsync(AModel(host)), () => Preference(host, user, CompareTray.PreferenceKey));
            }),
            new("CompareTray.ClearAsync", async (host, user) =>
            {
                await host.Get<IPreferenceStore>().SetAsync(user, CompareTray.PreferenceKey, AModel(host), None);
                return new Attempt(sp => sp.GetRequiredService<CompareTray>().ClearAsync(), () => Preference(host, user, CompareTray.PreferenceKey));
            }),
        ],
        [PortalAction.CreateApiToken] =
        [
            new("ApiTokens.CreateAsync", (host, user) => Task.FromResult(new Attempt(
                async sp => Assert.NotNull((await sp.GetRequiredService<ApiTokens>().CreateAsync("matrix", 7, None)).Created),
                async () => (await host.Get<IApiTokenStore>().ListAsync(user, None)).Count.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
        ],
        [PortalAction.RevokeApiToken] =
        [
            new("ApiTokens.RevokeAsync", async (host, user) =>
            {
                var row = await host.Get<IApiTokenStore>().AddAsync(new ApiTokenRow
                {
                    UserId = user, Name = "to revoke", Hash = ApiTokens.Hash("pat_" + Guid.NewGuid().ToString("N")), Prefix = "pat_abcd",
                    CreatedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddDays(1),
                }, None);
                return new Attempt(
                    async sp => Assert.True(await sp.GetRequiredService<ApiTokens>().RevokeAsync(row.Id, None)),
                    async () => (await host.Get<IApiTokenStore>().ListAsync(user, None)).Single(t => t.Id == row.Id).RevokedUtc is null ? "active" : "revoked");
            }),
        ],
        [PortalAction.RunPlayground] =
        [
            new("ConnectionService.TargetAsync", async (host, user) =>
            {
                var shared = await SeedConnectionAsync(host, ConnectionService.SharedOwner);
                return new Attempt(
                    async sp => Assert.Equal(host.Peer.V1, (await sp.GetRequiredService<ConnectionService>().TargetAsync(shared.Name, None))!.Endpoint),
                    () => Task.FromResult(""),
                    Changes: false);
            }),
        ],
        [PortalAction.SavePlaygroundHistory] =
        [
            new("PlaygroundSessions.SaveAsync", (host, user) => Task.FromResult(new Attempt(
                sp => sp.GetRequiredService<PlaygroundSessions>().SaveAsync(Guid.Empty, PlaygroundSessions.Chat, "matrix", new { connection = "c", model = "m" }, None),
                () => Sessions(host, user)))),
            new("PlaygroundSessions.RenameAsync", async (host, user) =>
            {
                var id = await host.Get<IPlaygroundSessionStore>().SaveAsync(user, Guid.Empty, PlaygroundSessions.Chat, "before", "{}", None);
                return new Attempt(async sp => Assert.True(await sp.GetRequiredService<PlaygroundSessions>().RenameAsync(id, "after", None)), () => Sessions(host, user));
            }),
        ],
        [PortalAction.DeletePlaygroundHistory] =
        [
            new("PlaygroundSessions.DeleteAsync", async (host, user) =>
            {
                var id = await host.Get<IPlaygroundSessionStore>().SaveAsync(user, Guid.Empty, PlaygroundSessions.Chat, "to delete", "{}", None);
                return new Attempt(async sp => Assert.True(await sp.GetRequiredService<PlaygroundSessions>().DeleteAsync(id, None)), () => Sessions(host, user));
            }),
        ],
        [PortalAction.SavePersonalConnection] =
        [
            new("ConnectionService.SaveAsync", (host, user) => Task.FromResult(SaveConnection(host, user, shared: false))),
        ],
        [PortalAction.DeletePersonalConnection] =
        [
            new("ConnectionService.DeleteAsync", async (host, user) => DeleteConnection(host, user, await SeedConnectionAsync(host, user))),
        ],
        [PortalAction.SaveSharedConnection] =
        [
            new("ConnectionService.SaveAsync", (host, user) => Task.FromResult(SaveConnection(host, user, shared: true))),
        ],
        [PortalAction.DeleteSharedConnection] =
        [
            new("ConnectionService.DeleteAsync", async (host, user) => DeleteConnection(host, user, await SeedConnectionAsync(host, ConnectionService.SharedOwner))),
        ],
        [PortalAction.TestConnection] =
        [
            new("ConnectionService.TestAsync", (host, user) => Task.FromResult(new Attempt(
                async sp => Assert.True((await sp.GetRequiredService<ConnectionService>().TestAsync(
                    new ConnectionInput(null, "to test", ConnectionKind.OpenAICompatible, host.Peer.V1.AbsoluteUri, ConnectionAuth.ApiKey, MatrixHost.PeerKey, []), None)).Success),
                () => Task.FromResult(""),
                Changes: false))),
            new("ConnectionService.TestAsync(name)", async (host, user) =>
            {
                var shared = await SeedConnectionAsync(host, ConnectionService.SharedOwner);
                return new Attempt(
                    async sp => Assert.True((await sp.GetRequiredService<ConnectionService>().TestAsync(shared.Name, None)).Success),
                    () => Task.FromResult(""),
                    Changes: false);
            }),
        ],
        [PortalAction.DeployModel] =
        [
            new("AzureActions.DeployServerlessAsync", async (host, user) =>
            {
                var project = await host.ProjectAsync();
                var name = MatrixHost.EndpointName();
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().DeployServerlessAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct", name, false, new InlineProgress<DeployStep>(_ => { }), None),
                    () => Task.FromResult(host.Arm.Exists($"{project.Id}/serverlessEndpoints/{name}") ? "exists" : "absent"));
            }),
            new("AzureActions.DeployManagedAsync", async (host, user) =>
            {
                var project = await host.ProjectAsync();
                var name = MatrixHost.EndpointName();
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().DeployManagedAsync(project, "azureml://registries/azureml/models/Phi-3-mini-4k-instruct/versions/1", name, "Standard_NC24ads_A100_v4", 1, new InlineProgress<DeployStep>(_ => { }), None),
                    () => Task.FromResult(host.Arm.Exists($"{project.Id}/onlineEndpoints/{name}") ? "exists" : "absent"));
            }),
            new("AzureActions.DeployOpenAIAsync", async (host, user) =>
            {
                var account = await OpenAIAccountAsync(host);
                var name = MatrixHost.EndpointName();
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().DeployOpenAIAsync(account, new OpenAIDeploymentSpec(name, "gpt-4o", "2024-08-06", "GlobalStandard", 1), new InlineProgress<DeployStep>(_ => { }), None),
                    () => Task.FromResult(host.Arm.Exists($"{account.Id}/deployments/{name}") ? "exists" : "absent"));
            }),
            new("AzureActions.UpdateOpenAICapacityAsync", async (host, user) =>
            {
                var deployment = await OpenAIDeployedAsync(host);
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().UpdateOpenAICapacityAsync(deployment, 2, null, None),
                    () => Task.FromResult(host.Arm.Resource(deployment.Id)?["sku"]?["capacity"]?.ToJsonString() ?? "absent"));
            }),
        ],
        [PortalAction.UseDeploymentKeys] =
        [
            new("AzureActions.ListKeysAsync", async (host, user) =>
            {
                var deployment = await host.DeployedAsync();
                return new Attempt(
                    async sp => Assert.Equal(host.Arm.InferenceKey, (await sp.GetRequiredService<AzureActions>().ListKeysAsync(deployment, None)).PrimaryKey),
                    () => Task.FromResult(""),
                    Changes: false);
            }),
            new("AzureActions.CreateConnectionAsync", async (host, user) =>
            {
                var deployment = await host.DeployedAsync();
                return new Attempt(
                    async sp => Assert.Equal(DeploymentConnectionOutcome.Created, (await sp.GetRequiredService<AzureActions>().CreateConnectionAsync(deployment, None)).Outcome),
                    () => Connections(host, user));
            }),
            new("AzureActions.RevealAccountKeyAsync", async (host, user) =>
            {
                var account = await host.AccountAsync();
                return new Attempt(
                    async sp => Assert.Equal(host.Arm.AccountKey, await sp.GetRequiredService<AzureActions>().RevealAccountKeyAsync(account, None)),
                    () => Task.FromResult(""),
                    Changes: false);
            }),
            new("AzureActions.CreateAccountConnectionAsync", async (host, user) =>
            {
                var account = await host.AccountAsync();
                var name = "account-" + Guid.NewGuid().ToString("N")[..8];
                return new Attempt(
                    async sp => Assert.Equal(AccountConnectionOutcome.Created, (await sp.GetRequiredService<AzureActions>().CreateAccountConnectionAsync(account, name, ConnectionAuth.ApiKey, None)).Outcome),
                    () => Connections(host, user));
            }),
            new("AzureActions.RevealOpenAIKeyAsync", async (host, user) =>
            {
                var deployment = await OpenAIDeployedAsync(host);
                return new Attempt(
                    async sp => Assert.Equal(host.Arm.AccountKey, await sp.GetRequiredService<AzureActions>().RevealOpenAIKeyAsync(deployment, None)),
                    () => Task.FromResult(""),
                    Changes: false);
            }),
            new("AzureActions.CreateOpenAIConnectionAsync", async (host, user) =>
            {
                var deployment = await OpenAIDeployedAsync(host);
                return new Attempt(
                    async sp => Assert.Equal(DeploymentConnectionOutcome.Created, (await sp.GetRequiredService<AzureActions>().CreateOpenAIConnectionAsync(deployment, None)).Outcome),
                    () => Connections(host, user));
            }),
        ],
        [PortalAction.DeleteDeployment] =
        [
            new("AzureActions.DeleteAsync", async (host, user) =>
            {
                var deployment = await host.DeployedAsync();
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().DeleteAsync(deployment, null, None),
                    () => Task.FromResult(host.Arm.Exists(deployment.Id) ? "exists" : "absent"));
            }),
            new("AzureActions.DeleteOpenAIDeploymentAsync", async (host, user) =>
            {
                var deployment = await OpenAIDeployedAsync(host);
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().DeleteOpenAIDeploymentAsync(deployment, null, None),
                    () => Task.FromResult(host.Arm.Exists(deployment.Id) ? "exists" : "absent"));
            }),
        ],
        [PortalAction.ImportCatalog] =
        [
            new("CatalogImporter.ImportAsync", (host, user) =>
            {
                var name = "import-" + Guid.NewGuid().ToString("N")[..8];
                return Task.FromResult(new Attempt(
                    async sp => Assert.True((await sp.GetRequiredService<CatalogImporter>().ImportAsync(name, "team.json", CatalogFile(name), None)).Succeeded),
                    () => Imports(host)));
            }),
        ],
        [PortalAction.RemoveCatalogImport] =
        [
            new("CatalogImporter.RemoveAsync", async (host, user) =>
            {
                var import = await SeedImportAsync(host);
                return new Attempt(async sp => Assert.True(await sp.GetRequiredService<CatalogImporter>().RemoveAsync(import.Id, None)), () => Imports(host));
            }),
        ],
        [PortalAction.AssignRole] =
        [
            new("AccessDirectory.AssignAsync", async (host, user) =>
            {
                var other = await host.UserAsync(PortalRole.Reader, "assignee");
                return new Attempt(
                    async sp => Assert.True((await sp.GetRequiredService<AccessDirectory>().AssignAsync(other, PortalRole.Contributor, None)).Changed),
                    async () => (await host.Get<IUserDirectoryStore>().GetAsync(other, None))!.AssignedRole ?? "none");
            }),
            new("AccessDirectory.RevokeTokensAsync", async (host, user) =>
            {
                var other = await host.UserAsync(PortalRole.Reader, "token-holder");
                await host.Get<IApiTokenStore>().AddAsync(new ApiTokenRow
                {
                    UserId = other, Name = "script", Hash = ApiTokens.Hash("pat_" + Guid.NewGuid().ToString("N")), Prefix = "pat_abcd",
                    CreatedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddDays(1),
                }, None);
                return new Attempt(
                    async sp => Assert.Equal(1, await sp.GetRequiredService<AccessDirectory>().RevokeTokensAsync(other, None)),
                    async () => string.Join(",", (await host.Get<IApiTokenStore>().ListAsync(other, None)).Select(t => t.RevokedUtc is null ? "active" : "revoked")));
            }),
        ],
        [PortalAction.ReadAuditLog] =
        [
            new("AuditReader.QueryAsync", (host, user) => Task.FromResult(new Attempt(
                async sp => Assert.True((await sp.GetRequiredService<AuditReader>().QueryAsync(new AuditQuery(), None)).Total > 0),
                () => Task.FromResult(""),
                Changes: false))),
            new("AuditReader.ExportCsvAsync", (host, user) => Task.FromResult(new Attempt(
                async sp =>
                {
                    await using var writer = new StringWriter();
                    await sp.GetRequiredService<AuditReader>().ExportCsvAsync(new AuditQuery(), writer, None);
                    Assert.StartsWith(AuditReader.CsvHeader, writer.ToString(), StringComparison.Ordinal);
                },
                () => Task.FromResult(""),
                Changes: false))),
        ],
        // No page or endpoint changes portal-wide settings yet: the rule is checked as a service would check it.
        [PortalAction.ChangePortalSettings] =
        [
            new("AccessControl.DemandAsync", (host, user) => Task.FromResult(new Attempt(
                sp => sp.GetRequiredService<AccessControl>().DemandAsync(PortalAction.ChangePortalSettings, "portal-settings", None),
                () => Task.FromResult(""),
                Changes: false))),
        ],
        [PortalAction.RunPerformanceProbe] =
        [
            new("PerformanceProbe.RunAsync", async (host, user) =>
            {
                var shared = await SeedConnectionAsync(host, ConnectionService.SharedOwner);
                var model = "probe-" + Guid.NewGuid().ToString("N")[..8];
                return new Attempt(
                    async sp => Assert.Equal(1, (await sp.GetRequiredService<Portal.Web.Evaluations.PerformanceProbe>().RunAsync(
                        new Portal.Web.Evaluations.ProbeRequest(model, shared.Name, "peer-chat", 1, 1, "hi", 16), null, None)).Result!.Succeeded),
                    async () => string.Join(",", (await host.Get<Portal.Data.Probes.IPerformanceProbeStore>().LatestAsync(model, 5, None)).Select(p => p.Id)));
            }),
        ],
        // Everyone reads their own traces; someone else's (or everyone's) only with ReadAllTraces.
        [PortalAction.ReadAllTraces] =
        [
            new("TraceService.QueryAsync", (host, user) => Task.FromResult(new Attempt(
                sp => sp.GetRequiredService<Portal.Web.Tracing.TraceService>().QueryAsync(new Portal.Web.Tracing.TraceFilter { User = "oidc:someone-else" }, 0, 10, None),
                () => Task.FromResult(""),
                Changes: false))),
        ],
        [PortalAction.ManageTrainingFiles] = TrainingFileOperations(),
        [PortalAction.ManageDatasets] =
        [
            new("DatasetService.SaveAsync", (host, user) => Task.FromResult(new Attempt(
                async sp => Assert.Empty((await sp.GetRequiredService<IDatasetService>().SaveAsync("matrix-" + Guid.NewGuid().ToString("N")[..8], null,
                    new MemoryStream("{\"input\": \"What is 1 + 1?\", \"expected\": \"2\"}\n"u8.ToArray()), "matrix.jsonl", null, None)).Problems),
                () => Datasets(host, user)))),
            new("DatasetService.SaveAsync(version)", async (host, user) =>
            {
                var own = await SeedDatasetAsync(host, user);
                return new Attempt(
                    async sp => Assert.Equal(2, (await sp.GetRequiredService<IDatasetService>().SaveAsync("", null,
                        new MemoryStream("{\"input\": \"q\"}\n"u8.ToArray()), "v2.jsonl", own, None)).Version),
                    () => Dataset(host, own));
            }),
            new("DatasetService.CreateFromRowsAsync", (host, user) => Task.FromResult(new Attempt(
                async sp => Assert.Empty((await sp.GetRequiredService<IDatasetService>().CreateFromRowsAsync("rows-" + Guid.NewGuid().ToString("N")[..8], null,
                    [new DatasetRow(1, new DatasetInput("q", null), "a", new Dictionary<string, string>())], None)).Problems),
                () => Datasets(host, user)))),
            new("DatasetService.DeleteAsync", async (host, user) =>
            {
                var own = await SeedDatasetAsync(host, user);
                return new Attempt(sp => sp.GetRequiredService<IDatasetService>().DeleteAsync(own, None), () => Dataset(host, own));
            }),
        ],
        [PortalAction.RunEvaluation] =
        [
            new("EvaluationService.StartAsync", async (host, user) =>
            {
                var shared = await SeedConnectionAsync(host, ConnectionService.SharedOwner);
                return new Attempt(
                    async sp =>
                    {
                        var result = await sp.GetRequiredService<IEvaluationService>().StartAsync(new EvaluationSpec("matrix", null, null,
                            [new DatasetRow(1, new DatasetInput("What is 1 + 1?", null), "2", new Dictionary<string, string>())],
                            [new EvaluationTargetSpec(shared.Name, "peer-quiz")], ["substring-match"]), None);
                        Assert.Empty(result.Problems);
                    },
                    () => RunsOf(host, user));
            }),
            new("EvaluationService.CancelAsync", async (host, user) =>
            {
                var own = await SeedRunAsync(host, user, "Queued");
                return new Attempt(sp => sp.GetRequiredService<IEvaluationService>().CancelAsync(own, None), () => Run(host, own));
            }),
            new("EvaluationService.DeleteAsync", async (host, user) =>
            {
                var own = await SeedRunAsync(host, user, "Completed");
                return new Attempt(sp => sp.GetRequiredService<IEvaluationService>().DeleteAsync(own, None), () => Run(host, own));
            }),
        ],
        [PortalAction.FineTune] =
        [
            new("FineTuningService.CreateAsync", async (host, user) =>
            {
                var (connection, file) = await SeedFineTuningAsync(host);
                return new Attempt(
                    async sp =>
                    {
                        var result = await sp.GetRequiredService<FineTuningService>().CreateAsync(
                            new FineTuningJobInput { Connection = connection, BaseModel = "gpt-4o-mini", TrainingFile = file, Suffix = "matrix" }, None);
                        Assert.True(result.Created, result.Error ?? string.Join("; ", result.FieldErrors.Values));
                    },
                    async () => (await host.Get<IFineTuningStore>().ListJobsAsync(user, None)).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }),
            new("FineTuningService.ImportAsync", async (host, user) =>
            {
                var (connection, file) = await SeedFineTuningAsync(host);
                var target = new InferenceTarget(connection, ConnectionKind.OpenAI, host.Peer.V1, ConnectionAuth.ApiKey, MatrixHost.PeerKey);
                await host.Get<FineTuningClient>().CreateJobAsync(target,
                    new FineTuningJobRequest("gpt-4o-mini", file, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, "elsewhere"), None);
                return new Attempt(
                    async sp => Assert.True((await sp.GetRequiredService<FineTuningService>().ImportAsync(connection, None)).Added > 0),
                    async () => (await host.Get<IFineTuningStore>().ListJobsAsync(user, None)).Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }),
            new("FineTuningService.CancelAsync", async (host, user) =>
            {
                var own = await SeedFineTuningJobAsync(host, user);
                return new Attempt(async sp => Assert.Null(await sp.GetRequiredService<FineTuningService>().CancelAsync(own, None)), () => FineTuningJobState(host, own));
            }),
        ],
        [PortalAction.ManageOthersFineTuning] =
        [
            new("FineTuningService.CancelAsync", async (host, user) =>
            {
                var others = await SeedFineTuningJobAsync(host, await host.UserAsync(PortalRole.AzureAIDeveloper, "ft-owner"));
                return new Attempt(async sp => Assert.Null(await sp.GetRequiredService<FineTuningService>().CancelAsync(others, None)), () => FineTuningJobState(host, others));
            }),
        ],
        [PortalAction.ManageOthersEvaluations] =
        [
            new("EvaluationService.CancelAsync", async (host, user) =>
            {
                var others = await SeedRunAsync(host, "oidc:someone-else", "Queued");
                return new Attempt(sp => sp.GetRequiredService<IEvaluationService>().CancelAsync(others, None), () => Run(host, others));
            }),
            new("EvaluationService.DeleteAsync", async (host, user) =>
            {
                var others = await SeedRunAsync(host, "oidc:someone-else", "Completed");
                return new Attempt(sp => sp.GetRequiredService<IEvaluationService>().DeleteAsync(others, None), () => Run(host, others));
            }),
            new("DatasetService.DeleteAsync", async (host, user) =>
            {
                var others = await SeedDatasetAsync(host, "oidc:someone-else");
                return new Attempt(sp => sp.GetRequiredService<IDatasetService>().DeleteAsync(others, None), () => Dataset(host, others));
            }),
        ],
        [PortalAction.ShowOnBenchmarks] =
        [
            new("EvaluationService.SetShownOnBenchmarksAsync", async (host, user) =>
            {
                var run = await SeedRunAsync(host, "oidc:someone-else", "Completed");
                return new Attempt(sp => sp.GetRequiredService<IEvaluationService>().SetShownOnBenchmarksAsync(run, true, None), () => Run(host, run));
            }),
        ],
        [PortalAction.CreateAzureResource] =
        [
            new("AzureActions.CreateHubAsync", (host, user) =>
            {
                var plan = HubPlan.For(ArmPeer.Subscription, ArmPeer.ResourceGroup, false, ArmPeer.Location, "hub-" + Guid.NewGuid().ToString("N")[..8]);
                return Task.FromResult(new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().CreateHubAsync(plan, new InlineProgress<DeployStep>(_ => { }), None),
                    () => Task.FromResult(host.Arm.Exists(plan.HubId) ? "exists" : "absent")));
            }),
            new("AzureActions.CreateHubProjectAsync", async (host, user) =>
            {
                var hub = (await host.App.Services.GetRequiredKeyedService<AzureService>(Portal.Web.Hosting.AzureServiceCollectionExtensions.ServerKey).DiscoverAsync([ArmPeer.Subscription], refresh: true, None)).Hubs.Single(h => h.Name == "team-hub");
                var plan = new HubProjectPlan(hub, "project-" + Guid.NewGuid().ToString("N")[..8], null, null);
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().CreateHubProjectAsync(plan, new InlineProgress<DeployStep>(_ => { }), None),
                    () => Task.FromResult(host.Arm.Exists(plan.ProjectId) ? "exists" : "absent"));
            }),
            new("AzureActions.CreateFoundryProjectAsync", async (host, user) =>
            {
                var account = await host.App.Services.GetRequiredKeyedService<AzureService>(Portal.Web.Hosting.AzureServiceCollectionExtensions.ServerKey).GetAccountAsync(ArmPeer.AccountId(ArmPeer.AIServicesAccountName), None);
                var plan = new FoundryProjectPlan(account, "foundry-" + Guid.NewGuid().ToString("N")[..8], null, null);
                return new Attempt(
                    sp => sp.GetRequiredService<AzureActions>().CreateFoundryProjectAsync(plan, new InlineProgress<DeployStep>(_ => { }), None),
                    () => Task.FromResult(host.Arm.Exists(plan.ProjectId) ? "exists" : "absent"));
            }),
        ],
    };

    public static IReadOnlyDictionary<PortalAction, HttpOperation> Http { get; } = new Dictionary<PortalAction, HttpOperation>
    {
        [PortalAction.ImportCatalog] = new("POST /api/catalog/imports", (host, user) =>
        {
            var name = "api-import-" + Guid.NewGuid().ToString("N")[..8];
            return Task.FromResult(new HttpAttempt(
                client => client.PostAsJsonAsync(new Uri("/api/catalog/imports", UriKind.Relative), new { name, fileName = "team.json", content = CatalogFile(name) }),
                () => Imports(host),
                HttpStatusCode.Created));
        }),
        [PortalAction.RemoveCatalogImport] = new("DELETE /api/catalog/imports/{id}", async (host, user) =>
        {
            var import = await SeedImportAsync(host);
            return new HttpAttempt(client => client.DeleteAsync(new Uri($"/api/catalog/imports/{import.Id}", UriKind.Relative)), () => Imports(host), HttpStatusCode.NoContent);
        }),
        [PortalAction.SavePersonalConnection] = new("POST /api/connections", (host, user) => Task.FromResult(PostConnection(host, user, shared: false))),
        [PortalAction.SaveSharedConnection] = new("POST /api/connections", (host, user) => Task.FromResult(PostConnection(host, user, shared: true))),
        [PortalAction.DeletePersonalConnection] = new("DELETE /api/connections/{id}", async (host, user) =>
        {
            var row = await SeedConnectionAsync(host, user);
            return new HttpAttempt(client => client.DeleteAsync(new Uri($"/api/connections/{row.Id}", UriKind.Relative)), () => Connections(host, user), HttpStatusCode.NoContent);
        }),
        [PortalAction.DeleteSharedConnection] = new("DELETE /api/connections/{id}", async (host, user) =>
        {
            var row = await SeedConnectionAsync(host, ConnectionService.SharedOwner);
            return new HttpAttempt(client => client.DeleteAsync(new Uri($"/api/connections/{row.Id}", UriKind.Relative)), () => Connections(host, user), HttpStatusCode.NoContent);
        }),
        [PortalAction.RunEvaluation] = new("POST /api/evaluations", async (host, user) =>
        {
            var shared = await SeedConnectionAsync(host, ConnectionService.SharedOwner);
            return new HttpAttempt(
                client => client.PostAsJsonAsync(new Uri("/api/evaluations", UriKind.Relative), new
                {
                    name = "api-matrix",
                    rows = new[] { new { input = "What is 1 + 1?", expected = "2" } },
                    targets = new[] { new { connection = shared.Name, model = "peer-quiz" } },
                    scorers = new[] { "substring-match" },
                }),
                () => RunsOf(host, user),
                HttpStatusCode.Accepted);
        }),
        [PortalAction.ManageOthersEvaluations] = new("POST /api/evaluations/{id}/cancel", async (host, user) =>
        {
            var others = await SeedRunAsync(host, "oidc:someone-else", "Queued");
            return new HttpAttempt(client => client.PostAsync(new Uri($"/api/evaluations/{others}/cancel", UriKind.Relative), JsonContent.Create(new { })), () => Run(host, others), HttpStatusCode.OK);
        }),
    };

    /// <summary>A shared OpenAI connection to the peer offering gpt-4o-mini, and a training file uploaded to it (no portal check).</summary>
    public static async Task<(string Connection, string File)> SeedFineTuningAsync(MatrixHost host)
    {
        var connection = await SeedFineTuningConnectionAsync(host);
        var target = new InferenceTarget(connection, ConnectionKind.OpenAI, host.Peer.V1, ConnectionAuth.ApiKey, MatrixHost.PeerKey);
        using var content = new MemoryStream("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello.\"}]}\n"u8.ToArray());
        var file = await host.Get<FineTuningClient>().UploadFileAsync(target, "matrix.jsonl", content, null, None);
        return (connection, file.Id);
    }

    /// <summary>A running job of <paramref name="owner"/> at the peer (slow: it stays unfinished for the test), followed by the portal.</summary>
    public static async Task<Guid> SeedFineTuningJobAsync(MatrixHost host, string owner)
    {
        var (connection, file) = await SeedFineTuningAsync(host);
        host.Peer.FineTuningStepInterval = TimeSpan.FromMinutes(5);
        var target = new InferenceTarget(connection, ConnectionKind.OpenAI, host.Peer.V1, ConnectionAuth.ApiKey, MatrixHost.PeerKey);
        var job = await host.Get<FineTuningClient>().CreateJobAsync(target,
            new FineTuningJobRequest("gpt-4o-mini", file, null, FineTuningMethod.Supervised, FineTuningHyperparameters.Automatic, null, "seeded"), None);
        var id = Guid.NewGuid();
        await host.Get<IFineTuningStore>().AddJobAsync(new FineTuningJobRow
        {
            Id = id,
            OwnerId = owner,
            OwnerName = owner,
            Connection = connection,
            ProviderJobId = job.Id,
            BaseModel = "gpt-4o-mini",
            TrainingFileId = file,
            Status = job.Status,
            State = job.State.ToString(),
            CreatedUtc = DateTimeOffset.UtcNow,
            UpdatedUtc = DateTimeOffset.UtcNow,
        }, None);
        return id;
    }

    private static async Task<string> FineTuningJobState(MatrixHost host, Guid id) =>
        (await host.Get<IFineTuningStore>().GetJobAsync(id, None))?.State ?? "gone";

    /// <summary>A dataset of one version as if uploaded earlier by <paramref name="owner"/>.</summary>
    public static async Task<Guid> SeedDatasetAsync(MatrixHost host, string owner)
    {
        var id = Guid.NewGuid();
        var content = "{\"input\": \"What is 1 + 1?\", \"expected\": \"2\"}\n"u8.ToArray();
        await host.Get<IEvaluationStore>().AddDatasetAsync(
            new StoredDataset { Id = id, Name = "seeded-" + id.ToString("N")[..8], OwnerId = owner, OwnerName = owner, CreatedUtc = DateTimeOffset.UtcNow, UpdatedUtc = DateTimeOffset.UtcNow },
            new StoredDatasetVersion { FileName = "seeded.jsonl", Format = "jsonl", Content = content, Sha256 = "", Rows = 1, CreatedBy = owner, CreatedUtc = DateTimeOffset.UtcNow },
            None);
        return id;
    }

    /// <summary>A run in the store (not queued in the runner) of <paramref name="owner"/> with the given status.</summary>
    public static async Task<Guid> SeedRunAsync(MatrixHost host, string owner, string status)
    {
        var id = Guid.NewGuid();
        await host.Get<IEvaluationStore>().AddRunAsync(new EvaluationRunRow
        {
            Id = id,
            Name = "seeded-run",
            OwnerId = owner,
            OwnerName = owner,
            Status = status,
            Spec = EvaluationJson.Write(new StoredSpec([new EvaluationTargetSpec("nowhere", "peer-quiz")], ["substring-match"], null, null, 1)),
            RowsJson = EvaluationJson.Write(new[] { new DatasetRow(1, new DatasetInput("q", null), "a", new Dictionary<string, string>()) }),
            DatasetName = "Inline rows",
            Rows = 1,
            Targets = 1,
            CreatedUtc = DateTimeOffset.UtcNow,
        }, None);
        return id;
    }

    /// <summary>The user's datasets (ids and latest versions).</summary>
    private static async Task<string> Datasets(MatrixHost host, string owner) =>
        string.Join(",", (await host.Get<IEvaluationStore>().ListDatasetsAsync(None)).Where(d => d.OwnerId == owner).Select(d => $"{d.Id}/{d.LatestVersion}").Order(StringComparer.Ordinal));

    private static async Task<string> Dataset(MatrixHost host, Guid id) =>
        await host.Get<IEvaluationStore>().GetDatasetAsync(id, None) is { } d ? $"{d.Id}/{d.LatestVersion}" : "(deleted)";

    /// <summary>The ids of the user's runs (their status moves on in the background, so it is left out).</summary>
    private static async Task<string> RunsOf(MatrixHost host, string owner) =>
        string.Join(",", (await host.Get<IEvaluationStore>().ListRunsAsync(None)).Where(r => r.OwnerId == owner).Select(r => r.Id.ToString()).Order(StringComparer.Ordinal));

    /// <summary>One seeded run (never queued in the runner, so only the tried operation changes it).</summary>
    private static async Task<string> Run(MatrixHost host, Guid id) =>
        await host.Get<IEvaluationStore>().GetRunHeaderAsync(id, None) is { } r ? $"{r.Status}/{r.ShownOnBenchmarks}" : "(deleted)";

    /// <summary>A valid catalog file with one model of its own (a copy of an embedded one under a new id).</summary>
    public static string CatalogFile(string id)
    {
        var model = JsonNode.Parse(EmbeddedCatalogSource.ReadJson())!["models"]!.AsArray()[0]!.DeepClone();
        model["id"] = id;
        model["aliases"] = new JsonArray();
        return new JsonObject { ["models"] = new JsonArray(model) }.ToJsonString();
    }

    private static Attempt SaveConnection(MatrixHost host, string user, bool shared)
    {
        var name = "conn-" + Guid.NewGuid().ToString("N")[..8];
        return new Attempt(
            async sp =>
            {
                var (saved, errors) = await sp.GetRequiredService<ConnectionService>().SaveAsync(
                    new ConnectionInput(null, name, ConnectionKind.OpenAICompatible, host.Peer.V1.AbsoluteUri, ConnectionAuth.ApiKey, MatrixHost.PeerKey, ["peer-chat"], shared), None);
                Assert.Empty(errors);
                Assert.Equal(shared, saved!.Shared);
            },
            () => Connections(host, user));
    }

    private static HttpAttempt PostConnection(MatrixHost host, string user, bool shared)
    {
        var name = "api-conn-" + Guid.NewGuid().ToString("N")[..8];
        return new HttpAttempt(
            client => client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), new
            {
                name, kind = "OpenAICompatible", endpoint = host.Peer.V1.AbsoluteUri, auth = "ApiKey", apiKey = MatrixHost.PeerKey, models = PeerModels, shared,
            }),
            () => Connections(host, user),
            HttpStatusCode.Created);
    }

    private static Attempt DeleteConnection(MatrixHost host, string user, StoredConnection row) => new(
        async sp => Assert.True(await sp.GetRequiredService<ConnectionService>().DeleteAsync(row.Id, None)),
        () => Connections(host, user));

    /// <summary>A connection in the store as if saved earlier (for <paramref name="owner"/>: a user, or the shared owner).</summary>
    public static Task<StoredConnection> SeedConnectionAsync(MatrixHost host, string owner) =>
        host.Get<IConnectionStore>().SaveAsync(new StoredConnection
        {
            UserId = owner,
            Name = "seeded-" + Guid.NewGuid().ToString("N")[..8],
            Kind = nameof(ConnectionKind.OpenAICompatible),
            Endpoint = host.Peer.V1.AbsoluteUri,
            Auth = nameof(ConnectionAuth.ApiKey),
            ProtectedApiKey = host.Get<IDataProtectionProvider>().CreateProtector(ConnectionService.KeyPurpose).Protect(MatrixHost.PeerKey),
            KeyHint = MatrixHost.PeerKey[^4..],
            Models = "peer-chat",
        }, None);

    private static Task<CatalogImportRecord> SeedImportAsync(MatrixHost host)
    {
        var name = "seeded-" + Guid.NewGuid().ToString("N")[..8];
        return host.Get<ICatalogImportStore>().AddAsync(name, "seeded.json", CatalogFile(name), 1, None);
    }

    /// <summary>The user's own connections and the shared ones (names and owners), in a stable order.</summary>
    private static AzureService ServerAzure(MatrixHost host) =>
        host.App.Services.GetRequiredKeyedService<AzureService>(Portal.Web.Hosting.AzureServiceCollectionExtensions.ServerKey);

    private static Task<AzureAIAccount> OpenAIAccountAsync(MatrixHost host) =>
        ServerAzure(host).GetAccountAsync(Portal.TestPeers.ArmPeer.AccountId(Portal.TestPeers.ArmPeer.AIServicesAccountName), None);

    /// <summary>An Azure OpenAI deployment made directly in Azure (no portal check), for the actions on existing deployments.</summary>
    private static async Task<OpenAIDeployment> OpenAIDeployedAsync(MatrixHost host) =>
        await ServerAzure(host).DeployOpenAIAsync(await OpenAIAccountAsync(host), new OpenAIDeploymentSpec(MatrixHost.EndpointName(), "gpt-4o", "2024-08-06", "GlobalStandard", 1),
            new InlineProgress<DeployStep>(_ => { }), None);

    private static async Task<string> Connections(MatrixHost host, string user)
    {
        var store = host.Get<IConnectionStore>();
        var rows = (await store.ListAsync(user, None)).Concat(await store.ListAsync(ConnectionService.SharedOwner, None));
        return string.Join(",", rows.Select(r => $"{r.UserId}/{r.Name}/{r.UpdatedUtc.UtcTicks}").Order(StringComparer.Ordinal));
    }

    private static async Task<string> Sessions(MatrixHost host, string user) =>
        string.Join(",", (await host.Get<IPlaygroundSessionStore>().ListAsync(user, None)).Select(s => $"{s.Id}/{s.Title}").Order(StringComparer.Ordinal));

    private static async Task<string> Imports(MatrixHost host) =>
        string.Join(",", (await host.Get<ICatalogImportStore>().ListAsync(None)).Select(i => $"{i.Id}/{i.Name}").Order(StringComparer.Ordinal));

    private static async Task<string> Preference(MatrixHost host, string user, string key) =>
        await host.Get<IPreferenceStore>().GetAsync(user, key, None) ?? "(none)";

    private static string AModel(MatrixHost host) => host.Get<ICatalogService>().Current.Models[0].Id;
}
