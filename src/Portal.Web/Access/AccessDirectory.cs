using System.Globalization;
using Microsoft.Extensions.Options;
using Portal.Data.Access;

namespace Portal.Web.Access;

public sealed record PortalUserView(
    string UserId,
    string? Email,
    string? DisplayName,
    PortalRole EffectiveRole,
    PortalRole? AssignedRole,
    PortalRole? ProviderRole,
    bool BootstrapOwner,
    DateTimeOffset LastSignInUtc,
    DateTimeOffset? RoleChangedUtc,
    string? RoleChangedBy);

/// <summary>Settings → Access: the people who signed in and their roles. Owners only.</summary>
public sealed class AccessDirectory(IUserDirectoryStore directory, IApiTokenStore tokens, AccessControl access, IOptions<AuthOptions> options)
{
    public async Task<IReadOnlyList<PortalUserView>> ListAsync(CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.AssignRole, "users", cancellationToken);
        var settings = options.Value;
        return [.. (await directory.ListAsync(cancellationToken)).Select(row => ToView(settings, row))];
    }

    /// <summary>Assigns a role in the portal (null removes the assignment). The change applies to the user's next action
    /// at once, and to the user's open pages within <see cref="AuthOptions.RevalidationInterval"/>.</summary>
    public async Task<(bool Changed, string? Error)> AssignAsync(string userId, PortalRole? role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var target = $"user:{userId}";
        await access.DemandAsync(PortalAction.AssignRole, target, cancellationToken);
        if (role is { } r && !Enum.IsDefined(r))
        {
            return (false, "Choose Reader, Azure AI Developer, Contributor or Owner.");
        }

        if (userId == access.User.Id && role != PortalRole.Owner)
        {
            var self = await directory.GetAsync(userId, cancellationToken);
            var settings = options.Value;
            var without = UserRoles.Resolve(settings, userId, self is { EmailVerified: true } ? self.Email : null, self?.ProviderRole, role?.ToString());
            if (without != PortalRole.Owner)
            {
                await access.FailedAsync(PortalAction.AssignRole, target, "refused: an Owner cannot demote themself");
                return (false, "You cannot take the Owner role from yourself; ask another Owner.");
            }
        }

        var changed = await directory.AssignRoleAsync(userId, role?.ToString(), access.User.Email ?? access.User.DisplayName, cancellationToken);
        if (!changed)
        {
            await access.FailedAsync(PortalAction.AssignRole, target, "unknown user");
            return (false, "No such user: people appear here after their first sign-in.");
        }

        await access.SucceededAsync(PortalAction.AssignRole, target, role is { } given ? $"assigned {given.Label()}" : "assignment removed");
        return (true, null);
    }

    /// <summary>
    /// Revokes every personal API token of a user at once (someone left the team, or their provider role was taken
    /// away: a token keeps acting with the role their last sign-in had). Returns how many were active.
    /// </summary>
    public async Task<int> RevokeTokensAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var target = $"user:{userId}";
        await access.DemandAsync(PortalAction.AssignRole, target, cancellationToken);
        var revoked = await tokens.RevokeAllAsync(userId, cancellationToken);
        await access.SucceededAsync(PortalAction.AssignRole, target, $"revoked {revoked} API token(s)");
        return revoked;
    }

    private static PortalUserView ToView(AuthOptions settings, PortalUserRow row) => new(
        row.UserId,
        row.Email,
        row.DisplayName,
        UserRoles.Resolve(settings, row.UserId, row.EmailVerified ? row.Email : null, row.ProviderRole, row.AssignedRole),
        PortalRoles.TryParse(row.AssignedRole, out var assigned) ? assigned : null,
        PortalRoles.TryParse(row.ProviderRole, out var provider) ? provider : null,
        UserRoles.IsBootstrapOwner(settings, row.UserId, row.EmailVerified ? row.Email : null),
        row.LastSignInUtc,
        row.RoleChangedUtc,
        row.RoleChangedBy);
}

/// <summary>Settings → Audit: reading and exporting the audit log. Owners only; reading it is not itself audited.</summary>
public sealed class AuditReader(IAuditStore store, AccessControl access)
{
    public const string CsvHeader = "when_utc,user_id,user,action,target,outcome,client_address,detail";

    public async Task<(IReadOnlyList<AuditEntryRow> Items, int Total)> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.ReadAuditLog, "audit-log", cancellationToken);
        return await store.QueryAsync(query, cancellationToken);
    }

    /// <summary>Writes the matching entries as CSV (RFC 4180; cells that a spreadsheet would run as a formula are prefixed with ').</summary>
    public async Task ExportCsvAsync(AuditQuery query, TextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await access.DemandAsync(PortalAction.ReadAuditLog, "audit-log", cancellationToken);
        await writer.WriteLineAsync(CsvHeader.AsMemory(), cancellationToken);
        await foreach (var e in store.StreamAsync(query, cancellationToken))
        {
            var line = string.Join(',',
                Cell(e.WhenUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
                Cell(e.UserId), Cell(e.UserName), Cell(e.Action), Cell(e.Target), Cell(e.Outcome), Cell(e.ClientAddress), Cell(e.Detail));
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
    }

    internal static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var text = value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}

/// <summary>Deletes audit entries older than <see cref="AuditOptions.RetentionDays"/>, at start and then daily.</summary>
internal sealed partial class AuditRetention(IAuditStore store, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
        do
        {
            try
            {
                var removed = await store.PurgeAsync(time.GetUtcNow().AddDays(-options.Value.RetentionDays), stoppingToken);
                if (removed > 0)
                {
                    LogPurged(logger, removed, options.Value.RetentionDays);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} audit entries older than {Days} days")]
    private static partial void LogPurged(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old audit entries could not be removed; the next try is in a day")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
