using Portal.Data.Access;

namespace Portal.Web.Access;

public enum AuditOutcome
{
    Succeeded,
    Failed,
    Denied,
}

/// <summary>
/// Writes the audit log: who (the current user), what, target, when, outcome, client address. Targets and details are
/// names and ids the caller chooses, never a key, token or prompt. A failure to write is logged and does not undo the
/// action.
/// </summary>
public sealed partial class AuditLog(IAuditStore store, ICurrentUser user, IHttpContextAccessor http, TimeProvider time, ILogger<AuditLog> logger)
{
    public const string SignInAction = "SignIn";
    public const string SignOutAction = "SignOut";

    /// <remarks>Takes no cancellation token: an action that happened is recorded even when its page closes right after.</remarks>
    public Task RecordAsync(PortalAction action, string target, AuditOutcome outcome, string? detail = null) =>
        RecordAsync(action.ToString(), target, outcome, detail);

    public async Task RecordAsync(string action, string target, AuditOutcome outcome, string? detail = null)
    {
        var entry = new AuditEntryRow
        {
            WhenUtc = time.GetUtcNow(),
            UserId = Cut(user.Id, 200)!,
            UserName = Cut(user.IsSignedIn ? user.Email ?? user.DisplayName : user.DisplayName, 200),
            Action = Cut(action, 60)!,
            Target = Cut(target, 500)!,
            Outcome = outcome.ToString(),
            // In an open page, the address of the page's connection: the circuit runs within that request.
            ClientAddress = Cut(http.HttpContext?.Connection.RemoteIpAddress?.ToString(), 64),
            Detail = Cut(detail, 1000),
        };
        try
        {
            // A stuck store gives up after 10 s, and that too is only logged: the action itself already happened.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await store.AddAsync(entry, bounded.Token);
        }
        catch (Exception ex)
        {
            LogNotRecorded(logger, ex, entry.Action, entry.Outcome);
        }
    }

    private static string? Cut(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max];

    [LoggerMessage(Level = LogLevel.Error, Message = "An audit entry ({Action}, {Outcome}) could not be written")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string action, string outcome);
}

/// <summary>
/// The permission check every mutating service makes before it acts. A denied attempt is audited and thrown as
/// <see cref="PortalAccessDeniedException"/>; pages show its message, the HTTP API answers 403.
/// </summary>
public sealed class AccessControl(ICurrentUser user, UserRoles roles, AuditLog audit)
{
    public ICurrentUser User => user;

    /// <summary>The current user's role, read fresh from the store (so a change applies to the next action).</summary>
    public Task<PortalRole?> RoleAsync(CancellationToken cancellationToken) => roles.EffectiveRoleAsync(user.Principal, cancellationToken);

    /// <remarks>A page that shows several controls by role reads <see cref="RoleAsync"/> once and asks the role instead.</remarks>
    public async Task<bool> CanAsync(PortalAction action, CancellationToken cancellationToken) =>
        (await RoleAsync(cancellationToken)).Allows(action);

    /// <summary>Returns when the user may perform the action; otherwise audits the denial and throws.</summary>
    public async Task DemandAsync(PortalAction action, string target, CancellationToken cancellationToken)
    {
        var role = await RoleAsync(cancellationToken);
        if (role is { } r && r.Allows(action))
        {
            return;
        }

        var required = PortalPermissions.Required(action);
        await audit.RecordAsync(action, target, AuditOutcome.Denied, role is null ? "not signed in" : $"role {role.Value.Label()}, needs {required.Label()}");
        throw new PortalAccessDeniedException(action, required, role);
    }

    public Task SucceededAsync(PortalAction action, string target, string? detail = null) =>
        audit.RecordAsync(action, target, AuditOutcome.Succeeded, detail);

    public Task FailedAsync(PortalAction action, string target, string? detail = null) =>
        audit.RecordAsync(action, target, AuditOutcome.Failed, detail);
}
