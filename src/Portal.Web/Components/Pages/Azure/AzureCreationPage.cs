using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Web.Access;
using Portal.Web.Azure;

namespace Portal.Web.Components.Pages.Azure;

/// <summary>
/// What the pages that create in Azure share (the deploy wizard, the Azure OpenAI deployment, the hub and project
/// wizards, the fine-tuned model deployment): Azure's permission check for what they will create (the latest check wins),
/// and the creation itself with its steps, cancellable while Azure works, ending in Azure's error, the role's refusal or
/// "stopped waiting" — each said on the page, never thrown.
/// </summary>
public abstract class AzureCreationPage : PortalComponentBase
{
    private CancellationTokenSource? _running;
    private int _accessCheck;

    [Inject]
    public required AzureContext Azure { get; init; }

    [Inject]
    public required AzureActions Actions { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    protected List<DeployStep> Steps { get; } = [];

    protected bool Running => _running is not null;

    protected ArmError? Error { get; set; }

    protected string? Denied { get; private set; }

    protected bool Cancelled { get; private set; }

    protected bool CheckingAccess { get; private set; }

    /// <summary>The Azure actions the user lacks at the scope last checked; null before a check or while one runs.</summary>
    protected IReadOnlyList<string>? Missing { get; private set; }

    /// <summary>Forgets the last check (the choice it was for changed and there is nothing to check yet).</summary>
    protected void ForgetAccessCheck()
    {
        _accessCheck++;
        Missing = null;
        CheckingAccess = false;
    }

    /// <summary>Asks Azure which of <paramref name="actions"/> the user lacks at <paramref name="scope"/>; a newer check replaces an older one.</summary>
    protected async Task CheckAccessAtAsync(string scope, IReadOnlyList<string> actions)
    {
        var check = ++_accessCheck;
        Missing = null;
        CheckingAccess = true;
        try
        {
            var missing = await Azure.Service.MissingPermissionsAsync(scope, actions, ComponentToken);
            if (check == _accessCheck)
            {
                Missing = missing;
            }
        }
        catch (ArmException ex)
        {
            // An answer for a choice since replaced is dropped, error or not.
            if (check == _accessCheck)
            {
                Error = ex.Error;
            }
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (check == _accessCheck)
            {
                CheckingAccess = false;
            }
        }
    }

    /// <summary>Runs the creation with its steps shown as they come.</summary>
    protected async Task CreateWithProgressAsync(Func<IProgress<DeployStep>, CancellationToken, Task> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        Error = null;
        Denied = null;
        Cancelled = false;
        _running = CancellationTokenSource.CreateLinkedTokenSource(ComponentToken);
        try
        {
            await create(ProgressOnRenderer<DeployStep>(Steps.Add), _running.Token);
        }
        catch (PortalAccessDeniedException ex)
        {
            Denied = ex.Message;
        }
        catch (ArmException ex)
        {
            Error = ex.Error;
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            Cancelled = true;
        }
        finally
        {
            _running.Dispose();
            _running = null;
        }
    }

    protected void Cancel() => _running?.Cancel();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _running?.Cancel();
        }

        base.Dispose(disposing);
    }
}
