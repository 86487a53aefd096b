using Portal.Web.Access;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using Portal.Data.Playground;

namespace Portal.Web.Playground;

/// <summary>The connection and model of a saved session, read from its state ("several" panes in a comparison).</summary>
public sealed record PlaygroundSessionTarget(string? Connection, string? Model);

/// <summary>
/// Playground history for the current user: sessions saved as JSON in the store. Saving and renaming need
/// <see cref="PortalAction.SavePlaygroundHistory"/>, deleting <see cref="PortalAction.DeletePlaygroundHistory"/>; the
/// audit log names a session by kind and id, never by its title (the first line of a prompt).
/// </summary>
public sealed partial class PlaygroundSessions(IPlaygroundSessionStore store, ICurrentUser user, AccessControl access)
{
    public const string Chat = "chat";
    public const string Completions = "completions";
    public const string Images = "images";
    public const string Compare = "compare";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<IReadOnlyList<PlaygroundSessionSummary>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(user.Id, cancellationToken);

    public async Task<Guid> SaveAsync<T>(Guid id, string kind, string title, T state, CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.SavePlaygroundHistory, AuditTarget(kind, id), cancellationToken);
        var saved = await store.SaveAsync(user.Id, id, kind, title, JsonSerializer.Serialize(state, Json), cancellationToken);
        await access.SucceededAsync(PortalAction.SavePlaygroundHistory, AuditTarget(kind, saved), id == Guid.Empty ? "created" : "updated");
        return saved;
    }

    /// <summary>The saved state, or null when there is no such session of that kind (or it can no longer be read).</summary>
    public async Task<T?> LoadAsync<T>(Guid id, string kind, CancellationToken cancellationToken)
        where T : class
    {
        var row = await store.GetAsync(user.Id, id, cancellationToken);
        if (row is null || row.Kind != kind)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(row.State, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Renaming is saving: it needs <see cref="PortalAction.SavePlaygroundHistory"/>.</summary>
    public async Task<bool> RenameAsync(Guid id, string title, CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.SavePlaygroundHistory, AuditTarget(null, id), cancellationToken);
        var renamed = await store.RenameAsync(user.Id, id, title, cancellationToken);
        if (renamed)
        {
            await access.SucceededAsync(PortalAction.SavePlaygroundHistory, AuditTarget(null, id), "renamed");
        }

        return renamed;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        await access.DemandAsync(PortalAction.DeletePlaygroundHistory, AuditTarget(null, id), cancellationToken);
        var deleted = await store.DeleteAsync(user.Id, id, cancellationToken);
        if (deleted)
        {
            await access.SucceededAsync(PortalAction.DeletePlaygroundHistory, AuditTarget(null, id));
        }

        return deleted;
    }

    private static string AuditTarget(string? kind, Guid id) => $"playground-session:{(kind is null ? "" : kind + "/")}{id}";

    public static string PathFor(string kind) => kind switch
    {
        Completions => "playground/completions",
        Images => "playground/images",
        Compare => "playground/compare",
        _ => "playground/chat",
    };

    /// <summary>
    /// The connection and model a session used, read from its saved state (a comparison lists its panes' distinct
    /// values, joined by " · "); null when the session is gone or its state cannot be read.
    /// </summary>
    public async Task<PlaygroundSessionTarget?> TargetAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(user.Id, id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(row.State);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("panes", out var panes) && panes.ValueKind == JsonValueKind.Array)
            {
                var pairs = panes.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(p => (Connection: Text(p, "connection"), Model: Text(p, "model"))).ToList();
                return new PlaygroundSessionTarget(Join(pairs.Select(p => p.Connection)), Join(pairs.Select(p => p.Model)));
            }

            return new PlaygroundSessionTarget(Text(root, "connection"), Text(root, "model"));
        }
        catch (JsonException)
        {
            return null;
        }

        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
        static string? Join(IEnumerable<string?> values) => string.Join(" · ", values.OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)) is { Length: > 0 } s ? s : null;
    }

    /// <summary>A session's title from the first line of what the user typed, as plain text (Markdown markup removed).</summary>
    public static string Title(string text)
    {
        var line = PlainText(text.Split('\n', 2)[0]).Trim();
        return line.Length == 0 ? "Untitled session" : line.Length > 80 ? line[..79] + "…" : line;
    }

    /// <summary>
    /// Markdown markup taken out of a one-line title: headings, quotes and list markers at the start, emphasis,
    /// strike-through and code marks, and links and images reduced to their text. "**Hello** _world_" is "Hello world".
    /// </summary>
    public static string PlainText(string text)
    {
        var s = LeadingMarkup().Replace(text.Trim(), "");
        s = LinkOrImage().Replace(s, "$1");
        s = StrongOrStrike().Replace(s, "$2");
        s = Emphasis().Replace(s, "$2");
        s = s.Replace("`", "", StringComparison.Ordinal);
        return s.Trim();
    }

    [GeneratedRegex(@"^(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)+")]
    private static partial Regex LeadingMarkup();

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkOrImage();

    [GeneratedRegex(@"(\*\*|__|~~)(.+?)\1")]
    private static partial Regex StrongOrStrike();

    [GeneratedRegex(@"(?<![\w*])([*_])(?![\s*_])(.+?)(?<![\s*_])\1(?![\w*])")]
    private static partial Regex Emphasis();
}
