using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;
using Portal.Azure;
using Portal.TestPeers;

namespace Portal.Tests.Azure;

/// <summary>A token credential the test controls: a fixed token, or a failure.</summary>
internal sealed class TestCredential(string token = ArmPeer.Token, Exception? failure = null) : TokenCredential
{
    public int Calls { get; private set; }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Calls++;
        return failure is not null ? throw failure : new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}

internal static class ArmTestClient
{
    public static ArmRestClient Create(ArmPeer peer, TokenCredential? credential = null, int maxRetries = 2) =>
        new(Options.Create(new AzureOptions { Endpoint = peer.BaseUrl, PollInterval = TimeSpan.FromMilliseconds(50), MaxRetries = maxRetries, Subscriptions = [ArmPeer.Subscription] }),
            credential ?? new TestCredential(),
            new HttpClientTransport(peer.CreateTrustingHandler()),
            TimeProvider.System);
}
