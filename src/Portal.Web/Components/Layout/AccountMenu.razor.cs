using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Portal.Web.Access;

namespace Portal.Web.Components.Layout;

/// <summary>
/// The app bar's account: who is signed in and with which role, their API tokens, sign-out; "Single-user mode" when
/// sign-in is off. It follows the page's authentication state, which is checked again every
/// <see cref="AuthOptions.RevalidationInterval"/> (a role change or a sign-out elsewhere shows here).
/// </summary>
public sealed partial class AccountMenu : IDisposable
{
    [Inject]
    public required ICurrentUser User { get; init; }

    [Inject]
    public required IOptions<AuthOptions> Options { get; init; }

    [Inject]
    public required AuthenticationStateProvider Authentication { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    private bool SignInRequired => Options.Value.SignInRequired;

    private string RoleLabel => User.Principal.EffectiveRole()?.Label() ?? "no role";

    /// <summary>Sign-in that comes back here; from the signed-out and sign-in-failed pages it goes to the home page.</summary>
    private string SignInHref
    {
        get
        {
            var here = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
            return here.StartsWith("/account/", StringComparison.OrdinalIgnoreCase) ? AccountEndpoints.SignInPath : PortalUrls.SignIn(here);
        }
    }

    protected override void OnInitialized()
    {
        if (SignInRequired)
        {
            Authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        }
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> state) => _ = InvokeAsync(StateHasChanged);

    public void Dispose() => Authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
}
