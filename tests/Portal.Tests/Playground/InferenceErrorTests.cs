using System.Text.Json.Nodes;
using Portal.Playground.Inference;

namespace Portal.Tests.Playground;

public sealed class InferenceErrorTests
{
    private const string Said = "Unsupported parameter: 'logit_bias' is not supported with this model.";

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(422)]
    [InlineData(429)]
    [InlineData(500)]
    public void FromResponse_ProviderMessage_IsShownOnce(int status)
    {
        var body = new JsonObject { ["error"] = new JsonObject { ["message"] = Said, ["type"] = "invalid_request_error" } }.ToJsonString();
        var error = InferenceErrors.FromResponse(status, null, null, body, "m");

        // What the inline error shows: the message, then "The endpoint said: …" when the provider sent one.
        var shown = error.Message + (error.ProviderMessage is { } provider ? $" The endpoint said: “{provider}”" : "");

        Assert.Equal(Said, error.ProviderMessage);
        Assert.Equal(1, Count(shown, Said));
        Assert.Contains($"({status})", error.Message, StringComparison.Ordinal);
    }
}
