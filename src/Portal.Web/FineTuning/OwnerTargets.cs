using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Portal.Data.FineTuning;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Connections;

namespace Portal.Web.FineTuning;

/// <summary>
/// A job's connection as its owner sees it, with the key, for work done without the owner present (the follower, or a
/// Contributor cancelling someone else's job): a service scope whose signed-in user is the owner resolves the
/// connection by name, as the evaluation runner does for its runs. The owner's role is checked there as for any use.
/// </summary>
public sealed class OwnerTargets(IServiceScopeFactory scopes)
{
    /// <summary>The target, or why there is none (in words).</summary>
    public async Task<(InferenceTarget? Target, string? Problem)> ResolveAsync(FineTuningJobRow job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var scope = scopes.CreateAsyncScope();
        ActAs(scope.ServiceProvider, job.OwnerId, string.IsNullOrEmpty(job.OwnerName) ? job.OwnerId : job.OwnerName);
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();
        try
        {
            return await connections.TargetAsync(job.Connection, cancellationToken) is { } target
                ? (target, null)
                : (null, $"The connection '{job.Connection}' no longer exists for {Owner(job)}; add it again in Settings → Connections to follow this job.");
        }
        catch (InferenceException ex)
        {
            return (null, ex.Error.Message);
        }
        catch (PortalAccessDeniedException ex)
        {
            return (null, $"The job's owner ({Owner(job)}) may no longer use connections: {ex.Message}");
        }
    }

    private static string Owner(FineTuningJobRow job) => string.IsNullOrEmpty(job.OwnerName) ? job.OwnerId : job.OwnerName;

    private static void ActAs(IServiceProvider services, string ownerId, string ownerName)
    {
        var identity = new ClaimsIdentity([new Claim(PortalClaims.UserId, ownerId), new Claim(PortalClaims.Name, ownerName)], "fine-tuning-follower", PortalClaims.Name, PortalClaims.Role);
        if (services.GetRequiredService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(identity))));
        }
    }
}
