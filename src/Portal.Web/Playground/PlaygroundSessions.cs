using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Data.Playground;
using Portal.Web.Hosting;

namespace Portal.Web.Playground;

/// <summary>Playground history for the current user: sessions saved as JSON in the store.</summary>
public sealed class PlaygroundSessions(IPlaygroundSessionStore store, ICurrentUser user)
{
    public const string Chat = "chat";
    public const string Completions = "completions";
    public const string Images = "images";
    public const string Compare = "compare";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<IReadOnlyList<PlaygroundSessionSummary>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(user.Id, cancellationToken);

    public Task<Guid> SaveAsync<T>(Guid id, string kind, string title, T state, CancellationToken cancellationToken) =>
        store.SaveAsync(user.Id, id, kind, title, JsonSerializer.Serialize(state, Json), cancellationToken);

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

    public Task<bool> RenameAsync(Guid id, string title, CancellationToken cancellationToken) => store.RenameAsync(user.Id, id, title, cancellationToken);

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) => store.DeleteAsync(user.Id, id, cancellationToken);

    public static string PathFor(string kind) => kind switch
    {
        Completions => "playground/completions",
        Images => "playground/images",
        Compare => "playground/compare",
        _ => "playground/chat",
    };

    public static string Title(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "Untitled session" : line.Length > 80 ? line[..79] + "…" : line;
    }
}
