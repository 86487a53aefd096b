using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Support;
using Portal.Web.Connections;

namespace Portal.Tests.Hosting;

/// <summary>Connections in the real host: declared in configuration, or saved with the key encrypted in the store.</summary>
public sealed class ConnectionHostTests : IAsyncLifetime
{
    private const string Key = "sk-host-test-key-ABCD1234";
    private OpenAiPeer _peer = default!;

    public async Task InitializeAsync() => _peer = await OpenAiPeer.StartAsync(Key);

    public async Task DisposeAsync() => await _peer.DisposeAsync();

    private static async Task<string> FirstAnswerAsync(InferenceService inference, InferenceTarget target)
    {
        var text = new StringBuilder();
        await foreach (var e in inference.StreamChatAsync(target, "peer-chat", [new ChatTurn(ChatRole.User, "hi")], new GenerationParameters(), CancellationToken.None))
        {
            text.Append((e as TextDelta)?.Text);
        }

        return text.ToString();
    }

    [Fact]
    public async Task DeclaredByConfiguration_IsListed_AndWorks()
    {
        await using var host = await PortalHost.StartAsync(
            "--Portal:Connections:0:Name=declared",
            "--Portal:Connections:0:Kind=OpenAICompatible",
            $"--Portal:Connections:0:Endpoint={_peer.V1}",
            $"--Portal:Connections:0:ApiKey={Key}",
            "--Portal:Connections:0:Models:0=peer-chat");
        await using var scope = host.App.Services.CreateAsyncScope();
        var connections = scope.ServiceProvider.GetRequiredService<ConnectionService>();

        var listed = Assert.Single(await connections.ListAsync(CancellationToken.None));
        var target = await connections.TargetAsync("declared", CancellationToken.None);

        Assert.True(listed.FromConfiguration);
        Assert.Equal(["peer-chat"], listed.Models);
        Assert.Equal("1234", listed.KeyHint);
        Assert.StartsWith("Echo: hi", await FirstAnswerAsync(scope.ServiceProvider.GetRequiredService<InferenceService>(), target!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:11434/v1", "has no scheme: write http://localhost:11434/v1")]
    [InlineData("127.0.0.1:11434/v1", "is not an absolute URL: start it with http:// or https://")]
    [InlineData("http://169.254.169.254/v1/", "metadata")]
    public async Task DeclaredWithABadEndpoint_Run_PrintsOneLineNamingTheSetting_AndExitsWith1(string endpoint, string why)
    {
        using var temp = new TempDirectory();
        using var error = new StringWriter();

        var exitCode = await Portal.Web.PortalWebApplication.RunAsync(
            [$"--Portal:Storage:SqlitePath={temp.File("portal.db")}", "--Urls=http://127.0.0.1:0", "--Portal:Connections:0:Name=bad", $"--Portal:Connections:0:Endpoint={endpoint}"],
            error);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("The portal cannot start: Portal:Connections:0:Endpoint", line, StringComparison.Ordinal);
        Assert.Contains(why, line, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("http://169.254.169.254/v1/", "Portal:Connections:0:Endpoint")]
    [InlineData("not-a-url", "Portal:Connections:0:Endpoint")]
    public async Task DeclaredWithABadEndpoint_StopsTheStart_NamingTheSetting(string endpoint, string setting)
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(temp, "--Portal:Connections:0:Name=bad", $"--Portal:Connections:0:Endpoint={endpoint}");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SavedKey_IsEncryptedAtRest_AndStillReadableAfterARestart()
    {
        using var temp = new TempDirectory();
        await using (var first = PortalHost.Build(temp))
        {
            await first.StartAsync();
            await using var scope = first.Services.CreateAsyncScope();
            var (saved, errors) = await scope.ServiceProvider.GetRequiredService<ConnectionService>()
                .SaveAsync(new ConnectionInput(null, "peer", ConnectionKind.OpenAICompatible, _peer.V1.AbsoluteUri, ConnectionAuth.ApiKey, Key, ["peer-chat"]), CancellationToken.None);
            Assert.Empty(errors);
            Assert.Equal("1234", saved!.KeyHint);
            await first.StopAsync();
        }

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(temp.File("portal.db"));
        Assert.DoesNotContain(Key, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, Encoding.Unicode.GetString(bytes), StringComparison.Ordinal);

        await using var second = PortalHost.Build(temp);
        await second.StartAsync();
        await using var again = second.Services.CreateAsyncScope();
        var target = await again.ServiceProvider.GetRequiredService<ConnectionService>().TargetAsync("peer", CancellationToken.None);

        Assert.StartsWith("Echo: hi", await FirstAnswerAsync(again.ServiceProvider.GetRequiredService<InferenceService>(), target!), StringComparison.Ordinal);
        await second.StopAsync();
    }
}
