using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Playground.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Components.Pages.Azure;
using Portal.Web.Connections;
using Portal.Web.FineTuning;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>
/// <c>/deployments/new/fine-tuned?job=&lt;id&gt;</c>: deploys a succeeded job's fine-tuned model into the Azure OpenAI
/// account behind the job's connection (found by the endpoint's host among the accounts of the chosen subscriptions; the
/// user chooses when several share the host, as accounts on a regional endpoint do), as
/// Azure deploys fine-tuned models (<see cref="FineTunedDeployment"/>). A summary is confirmed before anything is PUT;
/// then the deployment is followed, and a connection to it is made so the chat playground can use it.
/// </summary>
public sealed partial class FineTunedDeploy : AzureCreationPage
{
    private FineTuningJobView? _job;
    private ConnectionView? _connection;
    private AzureAIAccount? _account;
    private IReadOnlyList<AzureAIAccount> _matches = [];
    private string? _accountProblem;
    private bool _readingAccount;
    private int _accountRead;
    private HashSet<string> _taken = [];
    private IReadOnlyList<string> _existing = [];
    private string _name = "";
    private string _sku = FineTunedDeployment.Skus[0].Sku;
    private int _capacity = 1;
    private string? _nameProblem;
    private string? _stop;
    private (string Href, string Text)? _stopLink;
    private string? _blocker;
    private bool _azureNotSetUp;
    private bool _loading = true;
    private bool _mayDeploy = true;
    private bool _confirming;
    private OpenAIDeployment? _done;
    private DeploymentConnectionResult? _connectionResult;

    [SupplyParameterFromQuery(Name = "job")]
    public string? JobParameter { get; set; }

    [Inject]
    public required FineTuningCompareService Jobs { get; init; }

    [Inject]
    public required ConnectionService ConnectionService { get; init; }

    protected override async Task OnAccessChangedAsync() =>
        _mayDeploy = await Access.CanAsync(PortalAction.DeployModel, ComponentToken);

    protected override async Task OnInitializedAsync()
    {
        await OnAccessChangedAsync();
        if (!Guid.TryParse(JobParameter, out var id))
        {
            _stop = $"{(string.IsNullOrWhiteSpace(JobParameter) ? "No job was given" : $"'{JobParameter}' is not a job id")}: open this page from a succeeded job (its \"Deploy to chat with it\" button).";
            _stopLink = (FineTuningJobUrls.JobsPath, "Go to the fine-tuning jobs");
            return;
        }

        try
        {
            _job = await Jobs.GetAsync(id, ComponentToken);
            _connection = _job is null ? null : await ConnectionService.FindAsync(_job.Connection, ComponentToken);
        }
        catch (PortalAccessDeniedException ex)
        {
            _stop = ex.Message;
            return;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return;
        }

        if (Problem(_job, _connection) is { } problem)
        {
            _stop = problem.Message;
            _stopLink = problem.Link;
            return;
        }

        if (IsInteractive)
        {
            // Azure is asked once the circuit is up, not also while prerendering.
            await FindAccountAsync(_job!, _connection!);
        }
    }

    /// <summary>Why this job's model cannot be deployed from here (and where to go instead), or null.</summary>
    private static (string Message, (string Href, string Text)? Link)? Problem(FineTuningJobView? job, ConnectionView? connection)
    {
        if (job is null)
        {
            return ("There is no such job, or it is another person's (deploying other people's models needs the Contributor role to see their jobs).", (FineTuningJobUrls.JobsPath, "Go to the fine-tuning jobs"));
        }

        if (job.State != FineTuningState.Succeeded || job.Row.FineTunedModel is null)
        {
            return ($"Job {FineTuningCompareText.Name(job)} is {FineTuningStates.Label(job.State).ToLowerInvariant()}: only a succeeded job has a model to deploy.", (FineTuningJobUrls.Job(job.Id), "Back to the job"));
        }

        if (connection is null)
        {
            return ($"The connection '{job.Connection}' that ran the job is not one you can use any more: add it again in Settings → Connections (kind Azure OpenAI, the account's endpoint and key), then come back.", (PortalUrls.ConnectionsPath, "Settings → Connections"));
        }

        if (connection.Kind != ConnectionKind.AzureOpenAI)
        {
            return ($"The connection '{connection.Name}' is not Azure OpenAI: its fine-tuned model {job.Row.FineTunedModel} answers at once, no deployment needed.", (PortalUrls.PlaygroundChat(connection.Name, job.Row.FineTunedModel), "Open in chat"));
        }

        return null;
    }

    private async Task FindAccountAsync(FineTuningJobView job, ConnectionView connection)
    {
        try
        {
            var discovery = await Azure.DiscoverAccountsAsync(refresh: false, ComponentToken);
            if (discovery is null)
            {
                _azureNotSetUp = true;
                _blocker = $"The portal cannot find the Azure OpenAI account behind {connection.Endpoint.Host} because Azure is not set up: choose subscriptions in Settings → Azure (the portal signs in with az login, AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_CLIENT_SECRET, or a managed identity).";
                return;
            }

            var matches = FineTunedDeployment.AccountsFor(discovery.Accounts, connection.Endpoint);
            if (matches.Count == 0)
            {
                var problems = discovery.Problems.Count > 0 ? $" (Azure also said: {string.Join(" ", discovery.Problems)})" : "";
                _blocker = $"None of the Azure OpenAI accounts in your chosen subscriptions has the endpoint host {connection.Endpoint.Host}{problems}. Choose the subscription that holds it in Settings → Azure.";
                _azureNotSetUp = true;
                return;
            }

            // Normally one account has the host; accounts reached through a shared regional endpoint all have it, and
            // the user chooses the one that trained the model.
            _matches = matches;
            await SelectAccountAsync(matches[0], job);
        }
        catch (ArmException ex)
        {
            _blocker = $"Azure could not be asked about the account behind {connection.Endpoint.Host}: {ex.Error.Message}";
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task OnAccountChangedAsync(ChangeEventArgs e)
    {
        if (_job is { } job && _matches.FirstOrDefault(a => a.Id == e.Value?.ToString()) is { } account)
        {
            await SelectAccountAsync(account, job);
        }
    }

    /// <summary>Reads the chosen account's deployments (taken names, earlier deployments of this model) and the identity's permission there; the latest choice wins.</summary>
    private async Task SelectAccountAsync(AzureAIAccount account, FineTuningJobView job)
    {
        var read = ++_accountRead;
        _account = account;
        _confirming = false;
        _nameProblem = null;
        _accountProblem = null;
        _taken = [];
        _existing = [];
        _readingAccount = true;
        try
        {
            var deployments = await Azure.Service.ListAccountDeploymentsAsync(account, ComponentToken);
            var allowed = await Azure.Service.CanPerformAsync(account.Id, AzureService.OpenAIDeploymentWrite, ComponentToken);
            if (read != _accountRead)
            {
                return;
            }

            _taken = deployments.Select(d => d.Name ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
            _existing = [.. deployments.Where(d => string.Equals(d.Properties?.Model?.Name, job.Row.FineTunedModel, StringComparison.Ordinal)).Select(d => d.Name ?? "")];
            _name = FineTunedDeployment.DefaultName(job.Row.BaseModel, job.Row.Suffix, _taken);
            if (allowed == false)
            {
                _accountProblem = $"The signed-in identity lacks permission to create deployments in account {account.Name} (it may not perform {AzureService.OpenAIDeploymentWrite}). Ask for a role such as Cognitive Services Contributor or Azure AI Developer on the account.";
            }
        }
        catch (ArmException ex)
        {
            // An answer about an account no longer chosen is dropped, error or not.
            if (read == _accountRead)
            {
                _accountProblem = ex.Error.Kind is ArmErrorKind.Forbidden or ArmErrorKind.Unauthorized
                    ? $"The signed-in identity may not read account {account.Name}: {ex.Error.Message}"
                    : $"Azure could not be asked about account {account.Name}: {ex.Error.Message} Reload the page to ask again.";
            }
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _readingAccount &= read != _accountRead;
        }
    }

    /// <summary>Checks the form, then shows what will be created; nothing is sent to Azure before "Create deployment".</summary>
    private void Review()
    {
        if (_accountProblem is not null || _readingAccount)
        {
            return;
        }

        _nameProblem = AzureService.CheckDeploymentName(_name)
            ?? (_taken.Contains(_name) ? $"Account {_account?.Name} already has a deployment named {_name}; choose another name (for example {FineTunedDeployment.DefaultName(_name, null, _taken)})." : null)
            ?? (_capacity < 1 || _capacity > 1000 ? "Capacity must be between 1 and 1000 thousand tokens per minute." : null);
        _confirming = _nameProblem is null;
    }

    private async Task DeployAsync()
    {
        if (!_confirming || _accountProblem is not null || _readingAccount || _account is not { } account || _job?.Row.FineTunedModel is not { } model)
        {
            return;
        }

        // Deploying and the connection made afterwards are checked against the user's role there.
        await CreateWithProgressAsync(async (progress, token) =>
        {
            _done = await Actions.DeployOpenAIAsync(account, new OpenAIDeploymentSpec(_name, model, FineTunedDeployment.ModelVersion, _sku, _capacity), progress, token);
            _connectionResult = await Actions.CreateOpenAIConnectionAsync(_done, token);
        });
        if (Error is not null && Steps.Count == 0)
        {
            // Refused before Azure was asked to create anything (a taken name, say): the form stays to correct it.
            _confirming = false;
        }
    }
}
