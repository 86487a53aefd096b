using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using Portal.Azure;
using Portal.Web.Access;
using Portal.Web.Azure;
using Portal.Web.Components.Controls;

namespace Portal.Web.Components.Pages.Deployments;

/// <summary>
/// Azure OpenAI deployments of the user's accounts: reveal the account key, make a connection, change the capacity
/// (within the SKU's range and the quota left, confirmed first) and delete (confirmed first). Every change goes
/// through <see cref="AzureActions"/>, which checks the role.
/// </summary>
public sealed partial class OpenAIDeployments
{
    [Inject]
    public required AzureContext Azure { get; init; }

    [Inject]
    public required AzureActions Actions { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    /// <summary>Changes when the page's Refresh was pressed: the list is read again from Azure.</summary>
    [Parameter]
    public int Generation { get; set; }

    [Parameter]
    public bool MayUseKeys { get; set; }

    [Parameter]
    public bool MayDeploy { get; set; }

    [Parameter]
    public bool MayDelete { get; set; }

    private List<OpenAIDeployment> _items = [];
    private readonly List<string> _problems = [];
    private readonly Dictionary<string, string> _keys = [];
    private readonly Dictionary<string, string> _busy = [];
    private int _accounts;
    private int _seenGeneration = -1;
    private bool _loading = true;
    private string? _status;
    private CapacityEdit? _editing;

    /// <summary>The capacity being edited, with the range and quota it must stay within.</summary>
    private sealed class CapacityEdit(OpenAIDeployment deployment)
    {
        public OpenAIDeployment Deployment { get; } = deployment;

        public int Capacity { get; set; } = deployment.Capacity ?? 1;

        public int Minimum { get; set; } = 1;

        public int Maximum { get; set; } = 1000;

        public int Step { get; set; } = 1;

        public string RangeSource { get; set; } = "the deployment's SKUs could not be read";

        public string QuotaLine { get; set; } = "";

        /// <summary>The most the deployment can grow to: its own capacity plus the quota left; null when unknown.</summary>
        public double? QuotaCeiling { get; set; }

        public string? Problem { get; set; }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (IsInteractive && Generation != _seenGeneration)
        {
            var refresh = _seenGeneration >= 0;
            _seenGeneration = Generation;
            await LoadAsync(refresh);
        }
        else if (!IsInteractive)
        {
            _loading = true;
        }
    }

    private async Task LoadAsync(bool refresh)
    {
        _problems.Clear();
        try
        {
            var discovery = await Azure.DiscoverAccountsAsync(refresh, ComponentToken);
            if (discovery is not null)
            {
                var accounts = discovery.Accounts.Where(a => a.ServesOpenAI).ToList();
                _accounts = accounts.Count;
                var (items, problems) = await Azure.Service.ListOpenAIDeploymentsAsync(accounts, ComponentToken);
                _items = [.. items.OrderBy(d => d.Account.Name, StringComparer.OrdinalIgnoreCase).ThenBy(d => d.Name, StringComparer.OrdinalIgnoreCase)];
                _problems.AddRange(discovery.Problems.Concat(problems));
            }
        }
        catch (ArmException ex)
        {
            _problems.Add(ex.Error.Message);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            _loading = false;
        }
    }

    private static Color StateColor(string state) => state switch
    {
        "Succeeded" => Color.Success,
        _ when state.Equals("Failed", StringComparison.OrdinalIgnoreCase) || state.Equals("Canceled", StringComparison.OrdinalIgnoreCase) => Color.Error,
        _ => Color.Info,
    };

    private static string StateIcon(string state) => StateColor(state) switch
    {
        Color.Success => Icons.Material.Filled.CheckCircle,
        Color.Error => Icons.Material.Filled.Error,
        _ => Icons.Material.Filled.HourglassTop,
    };

    private Task<bool> RevealAsync(OpenAIDeployment d) => SayAsync(
        async () =>
        {
            _keys[d.Id] = await Actions.RevealOpenAIKeyAsync(d, ComponentToken) ?? "(no key: the account does not use keys)";
            return _status;
        },
        ex => $"The key of account {d.Account.Name} could not be read: {ex.Error.Message}");

    private Task<bool> CreateConnectionAsync(OpenAIDeployment d) => SayAsync(
        async () => (await Actions.CreateOpenAIConnectionAsync(d, ComponentToken)).Message,
        ex => $"No connection was made for {d.Name}: {ex.Error.Message}");

    /// <summary>
    /// Runs a row's action and puts its outcome in the status line: its own sentence, Azure's error or the role's refusal
    /// in words. False when the page went away meanwhile.
    /// </summary>
    private async Task<bool> SayAsync(Func<Task<string?>> action, Func<ArmException, string> failed)
    {
        try
        {
            _status = await action();
        }
        catch (ArmException ex)
        {
            _status = failed(ex);
        }
        catch (PortalAccessDeniedException ex)
        {
            _status = ex.Message;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return false;
        }

        return true;
    }

    /// <summary>Opens the capacity editor with the SKU's range (deployment SKUs API) and the quota left (usages API).</summary>
    private async Task OpenCapacityAsync(OpenAIDeployment d)
    {
        var edit = new CapacityEdit(d);
        var day = Time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        try
        {
            var skus = await Azure.Service.ListDeploymentSkusAsync(d.Id, ComponentToken);
            if (skus.FirstOrDefault(s => string.Equals(s.Sku?.Name, d.Sku, StringComparison.OrdinalIgnoreCase))?.Capacity is { } range)
            {
                edit.Minimum = range.Minimum ?? 1;
                edit.Maximum = range.Maximum ?? edit.Maximum;
                edit.Step = Math.Max(1, range.Step ?? 1);
                edit.RangeSource = $"from the deployment's SKUs API, {day}";
            }

            var models = await Azure.Service.ListAccountModelsAsync(d.Account, ComponentToken);
            var usageName = models.FirstOrDefault(m => m.Name == d.ModelName && m.Version == d.ModelVersion)?.Skus?
                .FirstOrDefault(s => string.Equals(s.Name, d.Sku, StringComparison.OrdinalIgnoreCase))?.UsageName;
            var usage = usageName is null || d.Account.Location is not { } location
                ? null
                : (await Azure.Service.ListUsagesAsync(d.Account.SubscriptionId, location, ComponentToken)).FirstOrDefault(u => u.Name?.Value == usageName);
            if (usage is not null)
            {
                var quota = new OpenAIQuota(usageName!, usage.Name?.LocalizedValue, usage.CurrentValue ?? 0, usage.Limit ?? 0, d.Account.Location!, $"from the usages API, {day}");
                edit.QuotaCeiling = quota.Remaining + (d.Capacity ?? 0);
                edit.QuotaLine = string.Create(CultureInfo.InvariantCulture,
                    $"Quota {quota.Label ?? quota.UsageName}: {quota.Line}; this deployment holds {d.Capacity}, so it can grow to {edit.QuotaCeiling:0.##} ({quota.Source}).");
            }
            else
            {
                edit.QuotaLine = $"The quota for {d.Model} {d.Sku} in {d.Account.Location} could not be found; Azure checks it when the change is made.";
            }
        }
        catch (ArmException ex)
        {
            edit.QuotaLine = $"Azure could not say the range or quota ({ex.Error.Message}); Azure checks them when the change is made.";
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            return;
        }

        _editing = edit;
    }

    private async Task ConfirmCapacityAsync(CapacityEdit edit)
    {
        var d = edit.Deployment;
        edit.Problem = edit.Capacity < edit.Minimum || edit.Capacity > edit.Maximum || (edit.Capacity - edit.Minimum) % edit.Step != 0
            ? $"Capacity must be between {edit.Minimum} and {edit.Maximum}{(edit.Step > 1 ? $", in steps of {edit.Step}" : "")}."
            : edit.QuotaCeiling is { } ceiling && edit.Capacity > ceiling
                ? string.Create(CultureInfo.InvariantCulture, $"Capacity {edit.Capacity} is more than the quota allows ({ceiling:0.##}); lower it, or free or request quota in {d.Account.Location}.")
                : edit.Capacity == d.Capacity ? "That is the current capacity." : null;
        if (edit.Problem is not null)
        {
            return;
        }

        if (!await Dialogs.ConfirmAsync($"Change the capacity of {d.Name}?",
            $"Deployment {d.Name} ({d.Model}, {OpenAIDeployModel.DescribeSku(d.Sku).Label}) in account {d.Account.Name} ({d.Account.Location}) changes from {d.Capacity} to {edit.Capacity} {OpenAIDeployModel.CapacityUnit(d.Sku)}.",
            "Change capacity", "Keep"))
        {
            return;
        }

        _editing = null;
        _busy[d.Id] = "Changing capacity…";
        var stillOpen = await SayAsync(
            async () =>
            {
                var updated = await Actions.UpdateOpenAICapacityAsync(d, edit.Capacity, Progress(d, "Changing capacity"), ComponentToken);
                return $"{d.Name} now has capacity {updated.Capacity} ({updated.ProvisioningState}).";
            },
            ex => $"The capacity of {d.Name} was not changed: {ex.Error.Message}");
        _busy.Remove(d.Id);
        if (stillOpen)
        {
            await LoadAsync(true);
        }
    }

    private async Task ConfirmDeleteAsync(OpenAIDeployment d)
    {
        if (!await Dialogs.ConfirmAsync($"Delete {d.Name} in Azure?",
            $"Deployment {d.Name} ({d.Model}) in account {d.Account.Name} is deleted in Azure; apps and connections that use it stop working, and its quota is freed."))
        {
            return;
        }

        _busy[d.Id] = "Deleting…";
        var stillOpen = await SayAsync(
            async () =>
            {
                await Actions.DeleteOpenAIDeploymentAsync(d, Progress(d, "Deleting"), ComponentToken);
                return $"Deleted {d.Name} from account {d.Account.Name}.";
            },
            ex => $"{d.Name} was not deleted: {ex.Error.Message}");
        _busy.Remove(d.Id);
        if (stillOpen)
        {
            await LoadAsync(true);
        }
    }

    private IProgress<ArmProgress> Progress(OpenAIDeployment d, string doing) => ProgressOnRenderer<ArmProgress>(p =>
    {
        if (_busy.ContainsKey(d.Id))
        {
            _busy[d.Id] = $"{doing}… {p.Status} ({p.Elapsed.TotalSeconds:0} s)";
        }
    });
}
