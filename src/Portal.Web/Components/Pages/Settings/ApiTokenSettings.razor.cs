using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Portal.Web.Access;
using Portal.Web.Components.Controls;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>
/// Settings → API tokens: the user's personal tokens, creating one (shown once, in this page's memory only: never in
/// the address, persisted state or logs) and revoking one.
/// </summary>
public sealed partial class ApiTokenSettings : PortalComponentBase
{
    private IReadOnlyList<ApiTokenView>? _tokens;
    private IReadOnlyList<string> _createErrors = [];
    private CreatedApiToken? _newToken;
    private string? _error;
    private string _name = "";
    private int _days = 30;
    private bool _busy;

    [Inject]
    public required ApiTokens Tokens { get; init; }

    [Inject]
    public required IOptions<AuthOptions> Options { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required ILogger<ApiTokenSettings> Logger { get; init; }

    private bool SignInRequired => Options.Value.SignInRequired;

    private int MaxDays => Options.Value.ApiTokenMaxDays;

    protected override Task OnInitializedAsync()
    {
        _days = Math.Min(30, MaxDays);
        return SignInRequired ? LoadAsync() : Task.CompletedTask;
    }

    private async Task LoadAsync()
    {
        try
        {
            _tokens = await Tokens.ListAsync(ComponentToken);
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list the user's API tokens");
            _error = "Your tokens could not be read from the store just now. Try again in a moment.";
        }
    }

    private async Task CreateAsync()
    {
        _busy = true;
        _newToken = null;
        _createErrors = [];
        try
        {
            var (created, errors) = await Tokens.CreateAsync(_name, _days, ComponentToken);
            if (created is null)
            {
                _createErrors = errors;
                return;
            }

            _newToken = created;
            _name = "";
            await LoadAsync();
        }
        catch (PortalAccessDeniedException ex)
        {
            _createErrors = [ex.Message];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not create an API token");
            _createErrors = ["The token could not be created just now; nothing was saved. Try again in a moment."];
        }
        finally
        {
            _busy = false;
        }
    }

    private void HideNewToken() => _newToken = null;

    private async Task RevokeAsync(ApiTokenView token)
    {
        if (!await Dialogs.ConfirmAsync($"Revoke {token.Name}?", "Scripts that use this token stop working at once. This cannot be undone.", "Revoke", "Keep"))
        {
            return;
        }

        _busy = true;
        try
        {
            if (await Tokens.RevokeAsync(token.Id, ComponentToken))
            {
                Snackbar.Add($"{token.Name} is revoked.", Severity.Success);
            }
            else
            {
                Snackbar.Add($"{token.Name} was already revoked.", Severity.Info);
            }

            await LoadAsync();
        }
        catch (PortalAccessDeniedException ex)
        {
            _error = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not revoke an API token");
            _error = $"{token.Name} could not be revoked just now; it still works. Try again in a moment.";
        }
        finally
        {
            _busy = false;
        }
    }

    private string State(ApiTokenView token) =>
        token.RevokedUtc is not null ? "Revoked" : token.IsActive(Time.GetUtcNow()) ? "Active" : "Expired";

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    protected override void Dispose(bool disposing)
    {
        // The token leaves with the page: nothing keeps it once the user goes elsewhere.
        _newToken = null;
        base.Dispose(disposing);
    }
}
