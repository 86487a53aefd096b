using Microsoft.Extensions.DependencyInjection;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Web.Connections;

namespace Portal.Tests.Hosting;

/// <summary>
/// A saved key goes only to the origin (scheme, host, port) and kind it was saved for: an empty key field keeps it only
/// while those are unchanged. Two loopback peers on different ports stand for the saved server and another one.
/// </summary>
public sealed class ConnectionKeyOriginTests : IAsyncLifetime
{
    private const string Key = "sk-origin-test-key-WXYZ9876";
    private OpenAiPeer _saved = default!;
    private OpenAiPeer _other = default!;
    private PortalHost _host = default!;
    private AsyncServiceScope _scope;

    private ConnectionService Connections => _scope.ServiceProvider.GetRequiredService<ConnectionService>();

    public async Task InitializeAsync()
    {
        _saved = await OpenAiPeer.StartAsync(Key);
        _other = await OpenAiPeer.StartAsync(); // accepts any key: it would happily take the saved one
        _host = await PortalHost.StartAsync();
        _scope = _host.App.Services.CreateAsyncScope();
    }

    public async Task DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _host.DisposeAsync();
        await _other.DisposeAsync();
        await _saved.DisposeAsync();
    }

    private async Task<ConnectionView> SaveAsync(string endpoint)
    {
        var (saved, errors) = await Connections.SaveAsync(
            new ConnectionInput(null, "peer", ConnectionKind.OpenAICompatible, endpoint, ConnectionAuth.ApiKey, Key, ["peer-chat"]), CancellationToken.None);
        Assert.Empty(errors);
        return saved!;
    }

    private static ConnectionInput Edit(ConnectionView saved, string endpoint, ConnectionKind kind = ConnectionKind.OpenAICompatible) =>
        new(saved.Id, saved.Name, kind, endpoint, ConnectionAuth.ApiKey, ApiKey: null, ["peer-chat"]);

    private static bool Carries(OpenAiPeer peer, string key) =>
        peer.Received.Any(r => r.Headers.Values.Any(v => v.Contains(key, StringComparison.Ordinal)));

    [Fact]
    public async Task Test_OtherOriginWithEmptyKey_SendsNothing_AndAsksForTheKey()
    {
        var saved = await SaveAsync(_saved.V1.AbsoluteUri);

        var result = await Connections.TestAsync(Edit(saved, _other.V1.AbsoluteUri), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("enter the API key again", result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_other.Received);
        Assert.False(Carries(_other, Key));
    }

    [Fact]
    public async Task Test_OtherKindOnTheSameOriginWithEmptyKey_SendsNothing()
    {
        var saved = await SaveAsync(_saved.V1.AbsoluteUri);

        var result = await Connections.TestAsync(Edit(saved, _saved.V1.AbsoluteUri, ConnectionKind.AzureOpenAI), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("enter the API key again", result.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_saved.Received);
    }

    [Fact]
    public async Task Save_OtherOriginWithEmptyKey_IsRefused_AndTheKeyStillGoesOnlyToTheSavedOrigin()
    {
        var saved = await SaveAsync(_saved.V1.AbsoluteUri);

        var (result, errors) = await Connections.SaveAsync(Edit(saved, _other.V1.AbsoluteUri), CancellationToken.None);
        var test = await Connections.TestAsync("peer", CancellationToken.None);

        Assert.Null(result);
        Assert.Contains(errors, e => e.Contains("enter the API key again", StringComparison.OrdinalIgnoreCase));
        Assert.True(test.Success, test.Message);
        Assert.Equal(_saved.V1, (await Connections.FindAsync("peer", CancellationToken.None))!.Endpoint);
        Assert.Empty(_other.Received);
        Assert.True(Carries(_saved, Key));
    }

    [Fact]
    public async Task Save_OtherOriginWithANewKey_SendsTheNewKeyThere()
    {
        var saved = await SaveAsync(_saved.V1.AbsoluteUri);

        var (result, errors) = await Connections.SaveAsync(Edit(saved, _other.V1.AbsoluteUri) with { ApiKey = "sk-a-new-key-for-other-0000" }, CancellationToken.None);
        var test = await Connections.TestAsync("peer", CancellationToken.None);

        Assert.Empty(errors);
        Assert.Equal("0000", result!.KeyHint);
        Assert.True(test.Success, test.Message);
        Assert.True(Carries(_other, "sk-a-new-key-for-other-0000"));
        Assert.False(Carries(_other, Key));
    }

    [Fact]
    public async Task TestAndSave_SameOriginOtherPathWithEmptyKey_KeepTheKey()
    {
        var saved = await SaveAsync(new Uri(_saved.BaseUrl, "old/path/").AbsoluteUri);

        var test = await Connections.TestAsync(Edit(saved, _saved.V1.AbsoluteUri), CancellationToken.None);
        var (result, errors) = await Connections.SaveAsync(Edit(saved, _saved.V1.AbsoluteUri), CancellationToken.None);
        var again = await Connections.TestAsync("peer", CancellationToken.None);

        Assert.True(test.Success, test.Message);
        Assert.Empty(errors);
        Assert.Equal(saved.KeyHint, result!.KeyHint);
        Assert.True(again.Success, again.Message);
    }
}
