using Microsoft.Extensions.DependencyInjection;
using Portal.Azure;
using Portal.Data.Access;
using Portal.Data.Connections;
using Portal.Playground.Inference;
using Portal.TestPeers;
using Portal.Tests.Access;
using Portal.Web.Access;
using Portal.Web.Azure;

namespace Portal.Tests.Azure;

/// <summary>
/// Revealing an account's key and making an Azure OpenAI connection from it, through <see cref="AzureActions"/> in the
/// real portal against the HTTPS ARM peer: audited without the key, the connection on <c>/openai/v1/</c> with a key or
/// Microsoft Entra ID, and Azure's faults (403 on listKeys, 429 then success) as sentences.
/// </summary>
public sealed class AccountActionsTests(MatrixHost host) : IClassFixture<MatrixHost>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private Task<string> DeveloperAsync() => host.UserAsync(PortalRole.AzureAIDeveloper, "accounts");

    /// <remarks>The scope's user lives in an AsyncLocal (the HTTP context): the scope is made in the test method itself.</remarks>
    private static AzureActions Actions(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<AzureActions>();

    private async Task<IReadOnlyList<AuditEntryRow>> AuditOfAsync(string user) =>
        (await host.Get<IAuditStore>().QueryAsync(new AuditQuery(User: user, Take: 1000), None)).Items;

    private async Task<StoredConnection> ConnectionOfAsync(string user, string name) =>
        Assert.Single(await host.Get<IConnectionStore>().ListAsync(user, None), c => c.Name == name);

    [Fact]
    public async Task RevealAccountKey_AsDeveloper_ReturnsKey1_AndTheAuditEntryHoldsNoKey()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);

        var key = await actions.RevealAccountKeyAsync(await host.AccountAsync(), None);

        Assert.Equal(host.Arm.AccountKey, key);
        var entry = Assert.Single(await AuditOfAsync(user), e => e.Action == nameof(PortalAction.UseDeploymentKeys));
        Assert.Equal(nameof(AuditOutcome.Succeeded), entry.Outcome);
        Assert.Equal(ArmPeer.AccountId(), entry.Target);
        Assert.DoesNotContain(host.Arm.AccountKey, $"{entry.Target} {entry.Detail}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealAccountKey_Locked403_IsASentence_AndAFailedAuditEntry()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);

        var ex = await Assert.ThrowsAsync<ArmException>(async () => await actions.RevealAccountKeyAsync(await host.AccountAsync(ArmPeer.LockedAccountName), None));

        Assert.Equal(ArmErrorKind.Forbidden, ex.Error.Kind);
        Assert.Contains("listKeys", ex.Error.Message, StringComparison.Ordinal);
        var entry = Assert.Single(await AuditOfAsync(user), e => e.Action == nameof(PortalAction.UseDeploymentKeys));
        Assert.Equal(nameof(AuditOutcome.Failed), entry.Outcome);
    }

    [Fact]
    public async Task RevealAccountKey_Throttled_WaitsForRetryAfter_ThenSucceeds()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);
        var account = await host.AccountAsync();
        var before = host.Arm.Requests.Count(r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal));
        host.Arm.ThrottleNext = 1;

        var key = await actions.RevealAccountKeyAsync(account, None);

        Assert.Equal(host.Arm.AccountKey, key);
        Assert.Equal(before + 2, host.Arm.Requests.Count(r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateAccountConnection_WithKey_SavesAnAzureOpenAIConnectionOnV1_KeyEncrypted_ModelsAreDeployments()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);

        var result = await actions.CreateAccountConnectionAsync(await host.AccountAsync(), "team-openai-key", ConnectionAuth.ApiKey, None);

        Assert.True(result.Created, result.Message);
        var row = await ConnectionOfAsync(user, "team-openai-key");
        Assert.Equal(nameof(ConnectionKind.AzureOpenAI), row.Kind);
        Assert.Equal($"https://{ArmPeer.OpenAIAccountName}.openai.azure.com/openai/v1/", row.Endpoint);
        Assert.EndsWith("/openai/v1/", row.Endpoint, StringComparison.Ordinal);
        Assert.Equal(nameof(ConnectionAuth.ApiKey), row.Auth);
        Assert.NotNull(row.ProtectedApiKey);
        Assert.DoesNotContain(host.Arm.AccountKey, row.ProtectedApiKey, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", row.Models);
        Assert.DoesNotContain(host.Arm.AccountKey, result.Message, StringComparison.Ordinal);
        Assert.All(await AuditOfAsync(user), e => Assert.DoesNotContain(host.Arm.AccountKey, $"{e.Target} {e.Detail}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAccountConnection_WithEntraId_StoresNoKey_AndAsksAzureForNone()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);
        var account = await host.AccountAsync(ArmPeer.AIServicesAccountName);
        var keyReads = host.Arm.Requests.Count(r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal));

        var result = await actions.CreateAccountConnectionAsync(account, "team-aiservices-entra", ConnectionAuth.EntraId, None);

        Assert.True(result.Created, result.Message);
        var row = await ConnectionOfAsync(user, "team-aiservices-entra");
        // An AI services account's OpenAI address is its "OpenAI Language Model Instance API" endpoint.
        Assert.Equal($"https://{ArmPeer.AIServicesAccountName}.openai.azure.com/openai/v1/", row.Endpoint);
        Assert.Equal(nameof(ConnectionAuth.EntraId), row.Auth);
        Assert.Null(row.ProtectedApiKey);
        Assert.Equal(keyReads, host.Arm.Requests.Count(r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CreateAccountConnection_NameTaken_IsRefusedWithASentence_AndReplacesNothing()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);
        var account = await host.AccountAsync();
        Assert.True((await actions.CreateAccountConnectionAsync(account, "twice", ConnectionAuth.EntraId, None)).Created);
        var first = await ConnectionOfAsync(user, "twice");

        var again = await actions.CreateAccountConnectionAsync(account, "Twice", ConnectionAuth.ApiKey, None);

        Assert.Equal(AccountConnectionOutcome.NameTaken, again.Outcome);
        Assert.Contains("already have a connection named 'Twice'", again.Message, StringComparison.Ordinal);
        var still = await ConnectionOfAsync(user, "twice");
        Assert.Equal((first.Auth, first.UpdatedUtc), (still.Auth, still.UpdatedUtc));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task CreateAccountConnection_EmptyName_IsRefused(string name)
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);

        var result = await actions.CreateAccountConnectionAsync(await host.AccountAsync(), name, ConnectionAuth.EntraId, None);

        Assert.Equal(AccountConnectionOutcome.NameInvalid, result.Outcome);
        Assert.Contains("Enter a connection name", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAccountConnection_Locked403OnListKeys_SaysWhy_AndSavesNothing()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);

        var result = await actions.CreateAccountConnectionAsync(await host.AccountAsync(ArmPeer.LockedAccountName), "locked", ConnectionAuth.ApiKey, None);

        Assert.Equal(AccountConnectionOutcome.KeyUnreadable, result.Outcome);
        Assert.Contains("could not be read, so no connection was made", result.Message, StringComparison.Ordinal);
        Assert.Contains("does not have authorization", result.Message, StringComparison.Ordinal);
        Assert.Empty(await host.Get<IConnectionStore>().ListAsync(user, None));
    }

    [Fact]
    public async Task LocalAuthDisabled_KeyIsRefusedBeforeAzure_EntraIdWorks()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);
        host.Arm.SetLocalAuthDisabled(ArmPeer.OpenAIAccountName, true);
        try
        {
            var account = await host.AccountAsync();
            Assert.True(account.LocalAuthDisabled);
            var keyReads = host.Arm.Requests.Count(r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal));

            var revealed = await actions.RevealAccountKeyAsync(account, None);
            var withKey = await actions.CreateAccountConnectionAsync(account, "entra-only-key", ConnectionAuth.ApiKey, None);
            var withEntra = await actions.CreateAccountConnectionAsync(account, "entra-only", ConnectionAuth.EntraId, None);

            Assert.Null(revealed);
            Assert.Equal(AccountConnectionOutcome.KeyNotAllowed, withKey.Outcome);
            Assert.Contains("accepts Microsoft Entra ID only", withKey.Message, StringComparison.Ordinal);
            Assert.True(withEntra.Created, withEntra.Message);
            Assert.Equal(keyReads, host.Arm.Requests.Count(r => r.Path.EndsWith("/listKeys", StringComparison.Ordinal)));
            Assert.Equal(["entra-only"], (await host.Get<IConnectionStore>().ListAsync(user, None)).Select(c => c.Name));
        }
        finally
        {
            host.Arm.SetLocalAuthDisabled(ArmPeer.OpenAIAccountName, false);
        }
    }

    [Fact]
    public async Task CreateAccountConnection_SingleServiceAccount_ServesNoOpenAI()
    {
        var user = await DeveloperAsync();
        await using var scope = host.ScopeFor(user);
        var actions = Actions(scope);

        var result = await actions.CreateAccountConnectionAsync(await host.AccountAsync("team-speech"), "speech", ConnectionAuth.EntraId, None);

        Assert.Equal(AccountConnectionOutcome.NoOpenAIEndpoint, result.Outcome);
        Assert.Contains("serves no Azure OpenAI models", result.Message, StringComparison.Ordinal);
    }
}
