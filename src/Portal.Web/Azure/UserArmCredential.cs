using Azure.Core;
using Azure.Identity;
using Microsoft.Identity.Web;
using Portal.Web.Access;
using Portal.Web.Hosting;

namespace Portal.Web.Azure;

/// <summary>
/// In <c>EntraId</c> mode, Azure Resource Manager is called as the signed-in user: the token comes from
/// Microsoft.Identity.Web's token acquisition (on behalf of the user, scope <c>user_impersonation</c>), so Azure RBAC
/// decides what each person sees and may deploy.
/// </summary>
public sealed class UserArmCredential(ITokenAcquisition tokens, ICurrentUser user) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The portal asks for the user's Azure token asynchronously only.");

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        if (!user.IsSignedIn)
        {
            throw new AuthenticationFailedException("Sign in to use Azure: the portal calls Azure as you.");
        }

        try
        {
            var result = await tokens.GetAuthenticationResultForUserAsync([AuthServiceCollectionExtensions.ArmUserScope], user: user.Principal);
            return new AccessToken(result.AccessToken, result.ExpiresOn);
        }
        catch (MicrosoftIdentityWebChallengeUserException ex)
        {
            throw new AuthenticationFailedException("Azure needs you to sign in again (or to consent to the portal's access to Azure): sign out and sign in.", ex);
        }
        catch (Microsoft.Identity.Client.MsalException ex)
        {
            throw new AuthenticationFailedException($"Microsoft Entra ID gave no Azure token for you: {ex.ErrorCode}.", ex);
        }
    }
}
