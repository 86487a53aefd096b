using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>Region facts in the ARM peer: a location whose models API fails, as Azure answers when the caller may not read it.</summary>
public sealed partial class ArmPeer
{
    /// <summary>Locations whose <c>locations/{location}/models</c> answers 403 AuthorizationFailed. Tests add to it.</summary>
    public HashSet<string> FailingModelLocations { get; } = new(StringComparer.OrdinalIgnoreCase);

    private async Task<bool> HandleRegionsAsync(HttpContext context, string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{location}/models
        if (method != "GET" || segments.Length != 7 || segments[4] != "locations" || segments[6] != "models"
            || !string.Equals(segments[3], "Microsoft.CognitiveServices", StringComparison.OrdinalIgnoreCase)
            || !FailingModelLocations.Contains(segments[5]))
        {
            return false;
        }

        await Error(context, 403, "AuthorizationFailed",
            $"The client does not have authorization to perform action 'Microsoft.CognitiveServices/locations/models/read' over scope '/subscriptions/{segments[1]}/providers/Microsoft.CognitiveServices/locations/{segments[5]}'.").ConfigureAwait(false);
        return true;
    }
}
