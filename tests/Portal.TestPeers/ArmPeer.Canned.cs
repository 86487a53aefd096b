using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>Fixed answers a test sets for one method and path (a published example's body, served as it is).</summary>
public sealed partial class ArmPeer
{
    private readonly ConcurrentDictionary<(string Method, string Path), (int Status, JsonNode Body)> _canned = new();

    /// <summary>Answers <paramref name="method"/> <paramref name="path"/> (api-version still checked) with this status and body.</summary>
    public void Serve(string method, string path, int status, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(path);
        _canned[(method, path.TrimEnd('/'))] = (status, body);
    }

    private async Task<bool> HandleCannedAsync(HttpContext context, string method, string path)
    {
        if (!_canned.TryGetValue((method, path), out var answer))
        {
            return false;
        }

        await Json(context, answer.Status, answer.Body.DeepClone()).ConfigureAwait(false);
        return true;
    }
}
