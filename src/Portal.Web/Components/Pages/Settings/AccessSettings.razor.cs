using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MudBlazor;
using Portal.Web.Access;
using Portal.Web.Components.Controls;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>Settings → Access: who signed in, their effective role and where it comes from; Owners assign roles here.</summary>
public sealed partial class AccessSettings : PortalComponentBase
{
    internal const string NoAssignment = "none";

    private IReadOnlyList<PortalUserView>? _users;
    private readonly Dictionary<string, string> _errors = [];
    private string? _denied;
    private string? _loadError;
    private bool _busy;
    private BrowserTimeZone _zone = BrowserTimeZone.Utc;

    [Inject]
    public required AccessDirectory Directory { get; init; }

    [Inject]
    public required ICurrentUser CurrentUser { get; init; }

    [Inject]
    public required IOptions<AuthOptions> Options { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required BrowserTimeZones TimeZones { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required ILogger<AccessSettings> Logger { get; init; }

    private bool SignInRequired => Options.Value.SignInRequired;

    private string CurrentUserId => CurrentUser.Id;

    private string IntervalText => Describe(Options.Value.RevalidationInterval);

    protected override Task OnInitializedAsync() => SignInRequired ? LoadAsync() : Task.CompletedTask;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && IsInteractive && SignInRequired)
        {
            var zone = await TimeZones.GetAsync(ComponentToken);
            if (zone != _zone)
            {
                _zone = zone;
                StateHasChanged();
            }
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            // The page hides what the role does not allow (merely opening it is not an attempt worth an audit entry);
            // the service checks again, and refuses, if the role changes meanwhile.
            var role = await Access.RoleAsync(ComponentToken);
            if (role is not { } r || !r.Allows(PortalAction.AssignRole))
            {
                _denied = role is { } actual ? $"Your role is {actual.Label()}." : "Sign in with the Owner role to use this page.";
                return;
            }

            _users = await Directory.ListAsync(ComponentToken);
            _loadError = null;
        }
        catch (PortalAccessDeniedException ex)
        {
            _denied = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not list the portal's users");
            _loadError = "The list of users could not be read from the store just now. Try again in a moment.";
        }
    }

    private Task AssignAsync(PortalUserView user, string? value)
    {
        PortalRole? role = PortalRoles.TryParse(value, out var chosen) ? chosen : null;
        return ForUserAsync(user, "The role could not be saved just now; nothing changed. Try again in a moment.", async () =>
        {
            var (changed, error) = await Directory.AssignAsync(user.UserId, role, ComponentToken);
            if (!changed)
            {
                _errors[user.UserId] = error ?? "The role was not changed.";
                return;
            }

            var name = NameOf(user);
            Snackbar.Add(
                (role is { } r ? $"{name} is assigned {r.Label()}." : $"{name} has no role assigned in the portal now.")
                + $" It applies at once to what they do, and to their open pages within {IntervalText}.",
                Severity.Success);
            await LoadAsync();
        });
    }

    private async Task RevokeTokensAsync(PortalUserView user)
    {
        var name = NameOf(user);
        if (!await Dialogs.ConfirmAsync($"Revoke every API token of {name}?", "Their scripts stop working at once; they can create new tokens while their role allows.", "Revoke all"))
        {
            return;
        }

        await ForUserAsync(user, "The tokens could not be revoked just now; nothing changed. Try again in a moment.", async () =>
        {
            var revoked = await Directory.RevokeTokensAsync(user.UserId, ComponentToken);
            Snackbar.Add(revoked == 0 ? $"{name} had no active API token." : $"Revoked {revoked} API token(s) of {name}.", Severity.Success);
        });
    }

    /// <summary>Runs a change to one user's access; a refusal or a failure is shown in that user's row.</summary>
    private async Task ForUserAsync(PortalUserView user, string failure, Func<Task> change)
    {
        _busy = true;
        _errors.Remove(user.UserId);
        try
        {
            await change();
        }
        catch (PortalAccessDeniedException ex)
        {
            // Our own role changed meanwhile (another Owner took it): the page says so instead of the controls.
            _errors[user.UserId] = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not change a user's access");
            _errors[user.UserId] = failure;
        }
        finally
        {
            _busy = false;
        }
    }

    private static string NameOf(PortalUserView user) => user.DisplayName ?? user.Email ?? user.UserId;

    /// <summary>Which rule gave the effective role (<see cref="UserRoles.Resolve"/>: the highest wins, bootstrap Owners always).</summary>
    internal static string Source(PortalUserView user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.BootstrapOwner)
        {
            return "bootstrap Owner (Portal:Auth:Owners)";
        }

        if (user.AssignedRole == user.EffectiveRole)
        {
            return "assigned in the portal";
        }

        return user.ProviderRole == user.EffectiveRole ? "from the provider's token" : "default role";
    }

    internal static string Describe(TimeSpan interval) =>
        interval.TotalMinutes >= 1 && interval.Seconds == 0
            ? interval.TotalMinutes == 1 ? "a minute" : $"{interval.TotalMinutes:0} minutes"
            : $"{interval.TotalSeconds:0} seconds";
}
