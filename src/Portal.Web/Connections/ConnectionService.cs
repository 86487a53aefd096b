using Portal.Web.Access;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Data.Connections;
using Portal.Playground.Inference;
using Portal.Playground.Outbound;
using Portal.Web.Hosting;

namespace Portal.Web.Connections;

/// <summary>A connection as the UI sees it: never the key, only its last four characters.</summary>
public sealed record ConnectionView(
    Guid? Id,
    string Name,
    ConnectionKind Kind,
    Uri Endpoint,
    ConnectionAuth Auth,
    string? KeyHint,
    IReadOnlyList<string> Models,
    bool FromConfiguration,
    bool Shared = false);

/// <summary>
/// What the connection form sends. <see cref="ApiKey"/> null or empty keeps the stored key, but only while the kind and
/// the endpoint's origin (scheme, host, port) are unchanged; otherwise the key must be entered again.
/// <see cref="Shared"/> saves it for the whole team (Contributor) instead of for the current user alone (Azure AI
/// Developer); an existing connection stays what it is.
/// </summary>
public sealed record ConnectionInput(
    Guid? Id,
    string Name,
    ConnectionKind Kind,
    string Endpoint,
    ConnectionAuth Auth,
    string? ApiKey,
    IReadOnlyList<string> Models,
    bool Shared = false);

public sealed record ConnectionTestResult(bool Success, string Message, IReadOnlyList<string> Models);

/// <summary>
/// The connections a user can use: the ones declared in configuration, the team's shared ones and the user's own
/// (saved in the store). Keys are encrypted with ASP.NET Core Data Protection before they reach the store and decrypted
/// only to build an <see cref="InferenceTarget"/>; they are never returned to the UI nor logged.
/// <para>
/// Saving and deleting a personal connection needs the Azure AI Developer role, a shared one the Contributor role;
/// testing one needs Azure AI Developer; using one (<see cref="TargetAsync"/>, the key released for a request) needs
/// <see cref="PortalAction.RunPlayground"/>.
/// </para>
/// </summary>
public sealed partial class ConnectionService(
    IConnectionStore store,
    ICurrentUser user,
    AccessControl access,
    IDataProtectionProvider protection,
    IOptions<ConnectionsOptions> configured,
    OutboundUrlPolicy policy,
    InferenceService inference,
    ILogger<ConnectionService> logger)
{
    public const int MaxNameLength = 100;

    /// <summary>How a problem with the key field starts (the form shows it on that field).</summary>
    public const string ReenterKeyMessage = "The base URL or the kind changed: enter the API key again.";
    internal const string KeyPurpose = "Portal.Connections.ApiKey.v1";

    /// <summary>
    /// The store's owner of the team's shared connections. User ids are "local", "oidc:…" or "entra:…", so none is
    /// ever this.
    /// </summary>
    public const string SharedOwner = "#shared";

    private IDataProtector Protector => protection.CreateProtector(KeyPurpose);

    public async Task<IReadOnlyList<ConnectionView>> ListAsync(CancellationToken cancellationToken)
    {
        var shared = await store.ListAsync(SharedOwner, cancellationToken);
        var personal = await store.ListAsync(user.Id, cancellationToken);
        return [.. Configured().Concat(shared.Select(ToView)).Concat(personal.Select(ToView)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Shared)];
    }

    /// <summary>The current user's saved connection with that id: theirs, or a shared one. Null when there is none.</summary>
    private async Task<StoredConnection?> StoredAsync(Guid id, CancellationToken cancellationToken) =>
        (await store.ListAsync(user.Id, cancellationToken)).FirstOrDefault(c => c.Id == id)
        ?? (await store.ListAsync(SharedOwner, cancellationToken)).FirstOrDefault(c => c.Id == id);

    private static string AuditTarget(string name, bool shared) => $"connection:{(shared ? "shared/" : "")}{(name.Length > 200 ? name[..200] : name)}";

    public async Task<ConnectionView?> FindAsync(string? name, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(name) ? null : (await ListAsync(cancellationToken)).FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Validates, encrypts the key and saves. Returns the problems instead when there are any.</summary>
    public async Task<(ConnectionView? Saved, IReadOnlyList<string> Errors)> SaveAsync(ConnectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = (input.Name ?? "").Trim();
        // An existing connection stays personal or shared; a new one is what the form asks for.
        var existing = input.Id is { } id ? await StoredAsync(id, cancellationToken) : null;
        var shared = existing is null ? input.Shared : existing.UserId == SharedOwner;
        var action = shared ? PortalAction.SaveSharedConnection : PortalAction.SavePersonalConnection;
        var target = AuditTarget(existing?.Name ?? name, shared);
        await access.DemandAsync(action, target, cancellationToken);

        var errors = new List<string>();
        if (name.Length == 0)
        {
            errors.Add("Enter a name.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add($"Use at most {MaxNameLength} characters for the name.");
        }
        else if (Configured().Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"'{name}' is declared in configuration; choose another name.");
        }

        if (!Uri.TryCreate((input.Endpoint ?? "").Trim(), UriKind.Absolute, out var endpoint))
        {
            errors.Add("Enter the base URL, for example " + ConnectionKinds.EndpointHint(input.Kind).Split(' ')[0] + ".");
        }
        else if (policy.Check(endpoint) is { } refused)
        {
            errors.Add(refused);
        }

        if (input.Id is not null && existing is null)
        {
            errors.Add("This connection no longer exists; it may have been deleted in another tab.");
        }

        var newKey = string.IsNullOrWhiteSpace(input.ApiKey) ? null : input.ApiKey.Trim();
        if (input.Auth == ConnectionAuth.ApiKey && newKey is null)
        {
            if (existing?.ProtectedApiKey is null)
            {
                errors.Add("Enter the API key (or choose another authentication).");
            }
            else if (endpoint is not null && !MayKeepKey(existing, input.Kind, endpoint))
            {
                errors.Add(ReenterKey(existing));
            }
        }

        if (errors.Count == 0 && await NameTakenAsync(name, shared, existing?.Id, cancellationToken))
        {
            errors.Add(shared
                ? $"You have a personal connection named '{name}'; for the shared one, choose another name."
                : $"A shared connection is named '{name}'; choose another name.");
        }

        var models = (input.Models ?? []).Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var row = existing ?? new StoredConnection { UserId = shared ? SharedOwner : user.Id, Name = name, Kind = "", Endpoint = "", Auth = "" };
        row.Name = name;
        row.Kind = input.Kind.ToString();
        row.Endpoint = endpoint!.AbsoluteUri;
        row.Auth = input.Auth.ToString();
        row.Models = string.Join('\n', models);
        if (input.Auth != ConnectionAuth.ApiKey)
        {
            row.ProtectedApiKey = null;
            row.KeyHint = null;
        }
        else if (newKey is not null)
        {
            row.ProtectedApiKey = Protector.Protect(newKey);
            row.KeyHint = newKey.Length >= 8 ? newKey[^4..] : null;
        }

        try
        {
            var saved = await store.SaveAsync(row, cancellationToken);
            // Escaping is a scan of a short string, copied only when there is something to escape.
            #pragma warning disable CA1873
            LogSaved(logger, LogText.Escape(saved.Name), saved.Kind, LogText.Escape(saved.Endpoint));
            #pragma warning restore CA1873

            await access.SucceededAsync(action, AuditTarget(saved.Name, shared), existing is null ? $"created ({saved.Kind})" : $"updated ({saved.Kind})");
            return (ToView(saved), []);
        }
        catch (DuplicateConnectionNameException ex)
        {
            return (null, [ex.Message]);
        }
    }

    /// <summary>Deletes the user's own connection (Azure AI Developer) or a shared one (Contributor). False when there is none.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var existing = await StoredAsync(id, cancellationToken);
        var shared = existing?.UserId == SharedOwner;
        var action = shared ? PortalAction.DeleteSharedConnection : PortalAction.DeletePersonalConnection;
        var target = existing is null ? $"connection:{id}" : AuditTarget(existing.Name, shared);
        await access.DemandAsync(action, target, cancellationToken);
        if (existing is null || !await store.DeleteAsync(existing.UserId, id, cancellationToken))
        {
            return false;
        }

        await access.SucceededAsync(action, target);
        return true;
    }

    /// <summary>Whether another connection the user sees (theirs or shared) has the name: names pick connections in the playgrounds.</summary>
    private async Task<bool> NameTakenAsync(string name, bool shared, Guid? self, CancellationToken cancellationToken)
    {
        var other = await store.ListAsync(shared ? user.Id : SharedOwner, cancellationToken);
        return other.Any(c => c.Id != self && string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The target to call, with the key decrypted (for a request the user sends: needs <see cref="PortalAction.RunPlayground"/>).
    /// Null when the connection is unknown. The user's own connection wins over a shared one of the same name.
    /// </summary>
    public async Task<InferenceTarget?> TargetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        var target = $"connection:{(name.Length > 200 ? name[..200] : name.Trim())}";
        await access.DemandAsync(PortalAction.RunPlayground, target, cancellationToken);
        var found = await FindTargetAsync(name, cancellationToken);
        if (found is not null)
        {
            await access.SucceededAsync(PortalAction.RunPlayground, target, "key released for one request");
        }

        return found;
    }

    private async Task<InferenceTarget?> FindTargetAsync(string name, CancellationToken cancellationToken)
    {
        var configuredItem = configured.Value.Items.FirstOrDefault(c => string.Equals(c.Name?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (configuredItem is not null)
        {
            var view = ToView(configuredItem);
            return new InferenceTarget(view.Name, view.Kind, view.Endpoint, view.Auth, configuredItem.ApiKey);
        }

        var row = (await store.ListAsync(user.Id, cancellationToken)).FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? (await store.ListAsync(SharedOwner, cancellationToken)).FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return row is null ? null : Target(row);
    }

    /// <summary>A saved connection as a target, its key decrypted.</summary>
    private InferenceTarget Target(StoredConnection row)
    {
        string? key = null;
        if (row.ProtectedApiKey is { } protectedKey)
        {
            try
            {
                key = Protector.Unprotect(protectedKey);
            }
            catch (System.Security.Cryptography.CryptographicException ex)
            {
                LogKeyUnreadable(logger, ex, LogText.Escape(row.Name));
                throw new InferenceException(new(InferenceErrorKind.Unauthorized,
                    $"The key saved for '{row.Name}' can no longer be decrypted (the portal's key ring changed). Enter it again in Settings → Connections."));
            }
        }

        var v = ToView(row);
        return new InferenceTarget(v.Name, v.Kind, v.Endpoint, v.Auth, key);
    }

    /// <summary>
    /// Tests a connection as the form has it now (a new key, or the saved one when the field is empty): lists its models.
    /// </summary>
    public async Task<ConnectionTestResult> TestAsync(ConnectionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var audit = AuditTarget((input.Name ?? "").Trim(), input.Shared);
        await access.DemandAsync(PortalAction.TestConnection, audit, cancellationToken);
        if (!Uri.TryCreate((input.Endpoint ?? "").Trim(), UriKind.Absolute, out var endpoint))
        {
            return new(false, "Enter an absolute base URL first.", []);
        }

        if (policy.Check(endpoint) is { } refused)
        {
            return new(false, refused, []);
        }

        var key = string.IsNullOrWhiteSpace(input.ApiKey) ? null : input.ApiKey.Trim();
        try
        {
            var row = key is null && input.Auth == ConnectionAuth.ApiKey && input.Id is { } id
                ? await StoredAsync(id, cancellationToken)
                : null;
            if (row?.ProtectedApiKey is not null && !MayKeepKey(row, input.Kind, endpoint))
            {
                return new(false, ReenterKey(row), []);
            }

            var saved = row is null ? null : Target(row);
            var target = saved?.With(input.Name ?? "", input.Kind, endpoint, input.Auth) ?? new InferenceTarget(input.Name ?? "", input.Kind, endpoint, input.Auth, key);
            return await TestedAsync(audit, await ListModelsAsync(target, cancellationToken));
        }
        catch (InferenceException ex)
        {
            return await TestedAsync(audit, Failed(ex));
        }
    }

    private async Task<ConnectionTestResult> TestedAsync(string target, ConnectionTestResult result)
    {
        if (result.Success)
        {
            await access.SucceededAsync(PortalAction.TestConnection, target, result.Message);
        }
        else
        {
            await access.FailedAsync(PortalAction.TestConnection, target, "the endpoint did not list its models");
        }

        return result;
    }

    /// <summary>
    /// Tests a listed connection by name, as it is saved or declared in configuration (whose key never leaves the
    /// server): lists its models.
    /// </summary>
    public async Task<ConnectionTestResult> TestAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var audit = $"connection:{(name.Length > 200 ? name[..200] : name.Trim())}";
        await access.DemandAsync(PortalAction.TestConnection, audit, cancellationToken);
        try
        {
            var target = await FindTargetAsync(name, cancellationToken);
            if (target is null)
            {
                return new(false, $"The connection '{name}' no longer exists; it may have been deleted in another tab.", []);
            }

            if (policy.Check(target.Endpoint) is { } refused)
            {
                return new(false, refused, []);
            }

            return await TestedAsync(audit, await ListModelsAsync(target, cancellationToken));
        }
        catch (InferenceException ex)
        {
            return await TestedAsync(audit, Failed(ex));
        }
    }

    private async Task<ConnectionTestResult> ListModelsAsync(InferenceTarget target, CancellationToken cancellationToken)
    {
        // The connection test's calls are made for this user and feature (a model list itself is not traced).
        using var scope = ModelCallScope.Begin(new ModelCallScope { Feature = ModelCallFeatures.ConnectionTest, UserId = user.Id });
        var models = await inference.ListModelsAsync(target, cancellationToken);
        return new(true, models.Count == 0
            ? "Connected. The endpoint lists no models: enter model or deployment names by hand."
            : $"Connected. The endpoint lists {models.Count} {(models.Count == 1 ? "model" : "models")}.", models);
    }

    private static ConnectionTestResult Failed(InferenceException ex) => ex.Error.Kind switch
    {
        InferenceErrorKind.NotFound => new(false, "The endpoint answered 404 for /models: either the base URL is wrong, or this endpoint does not list models (then enter model or deployment names by hand).", []),
        _ => new(false, ex.Error.ProviderMessage is { } provider ? $"{ex.Error.Message} The endpoint said: “{provider}”" : ex.Error.Message, []),
    };

    /// <summary>
    /// Whether an empty key field may keep the saved key: only while the kind (which decides how the key is sent) and
    /// the endpoint's origin (scheme, host and port) are the ones the key was saved for. A changed path is fine.
    /// </summary>
    /// <remarks>
    /// A personal key may go to another path on its server (the user owns both the key and the change). A shared key is
    /// used by people who may not see it: it goes only to the exact saved address, so nobody can point it at another
    /// service on the same host.
    /// </remarks>
    private static bool MayKeepKey(StoredConnection saved, ConnectionKind kind, Uri endpoint) =>
        string.Equals(saved.Kind, kind.ToString(), StringComparison.Ordinal)
        && Uri.TryCreate(saved.Endpoint, UriKind.Absolute, out var savedEndpoint)
        && Uri.Compare(savedEndpoint, endpoint, saved.UserId == SharedOwner ? UriComponents.AbsoluteUri : UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private static string ReenterKey(StoredConnection saved) => saved.UserId == SharedOwner
        ? $"{ReenterKeyMessage} A shared connection's key is only sent to {saved.Endpoint}, as this connection's kind was saved."
        : $"{ReenterKeyMessage} The saved key is only sent to {new Uri(saved.Endpoint).GetLeftPart(UriPartial.Authority)}, as this connection's kind was saved.";

    private IEnumerable<ConnectionView> Configured() => configured.Value.Items.Where(c => !string.IsNullOrWhiteSpace(c.Name)).Select(ToView);

    private static ConnectionView ToView(ConfiguredConnection c)
    {
        var kind = Enum.TryParse<ConnectionKind>(c.Kind, true, out var k) ? k : ConnectionKind.OpenAICompatible;
        var auth = Enum.TryParse<ConnectionAuth>(c.Auth, true, out var a) ? a : string.IsNullOrEmpty(c.ApiKey) ? ConnectionAuth.None : ConnectionAuth.ApiKey;
        var hint = c.ApiKey is { Length: >= 8 } key ? key[^4..] : null;
        return new(null, c.Name!.Trim(), kind, new Uri(c.Endpoint!), auth, hint, [.. c.Models.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim())], true);
    }

    private static ConnectionView ToView(StoredConnection c) => new(
        c.Id,
        c.Name,
        Enum.TryParse<ConnectionKind>(c.Kind, out var kind) ? kind : ConnectionKind.OpenAICompatible,
        new Uri(c.Endpoint),
        Enum.TryParse<ConnectionAuth>(c.Auth, out var auth) ? auth : ConnectionAuth.None,
        c.KeyHint,
        [.. c.Models.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        false,
        c.UserId == SharedOwner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved connection {Name} ({Kind}, {Endpoint}).")]
    private static partial void LogSaved(ILogger logger, string name, string kind, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The saved key of connection {Name} could not be decrypted.")]
    private static partial void LogKeyUnreadable(ILogger logger, Exception exception, string name);
}
