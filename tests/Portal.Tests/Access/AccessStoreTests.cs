using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Data.Access;
using Portal.Data.Connections;
using Portal.Data.Playground;
using Portal.Data.Preferences;
using Portal.Tests.Persistence;
using Portal.Tests.Support;
using Portal.Web.Access;

namespace Portal.Tests.Access;

/// <summary>The identity tables on a real SQLite store: the first Owner's take-over of single-user data, sessions, audit.</summary>
public sealed class AccessStoreTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private ServiceProvider _store = default!;

    public async Task InitializeAsync() =>
        _store = await StoreFactory.CreateMigratedAsync(new Dictionary<string, string?> { ["Portal:Storage:SqlitePath"] = _temp.File("portal.db") });

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private IUserDirectoryStore Directory => _store.GetRequiredService<IUserDirectoryStore>();

    private IAuditStore Audit => _store.GetRequiredService<IAuditStore>();

    [Fact]
    public async Task FirstOwnerSignIn_TakesOverTheSingleUserData_KeepingTheirOwn()
    {
        var connections = _store.GetRequiredService<IConnectionStore>();
        var sessions = _store.GetRequiredService<IPlaygroundSessionStore>();
        var preferences = _store.GetRequiredService<IPreferenceStore>();
        await connections.SaveAsync(Connection("local", "ollama"), CancellationToken.None);
        await connections.SaveAsync(Connection("local", "team-gpt"), CancellationToken.None);
        await connections.SaveAsync(Connection("oidc:olivia", "team-gpt"), CancellationToken.None);
        await sessions.SaveAsync("local", Guid.NewGuid(), "chat", "A local chat", "{}", CancellationToken.None);
        await preferences.SetAsync("local", "compare-tray", "phi-4", CancellationToken.None);
        await preferences.SetAsync("local", "portal-sidebar", "mini", CancellationToken.None);
        await preferences.SetAsync("oidc:olivia", "portal-sidebar", "open", CancellationToken.None);

        var recorder = Recorder(owners: ["olivia@example.test"]);
        var principal = Principal("olivia", "olivia@example.test", "Olivia Owner");
        await recorder.SignedInAsync(principal, browser: true, "127.0.0.1", CancellationToken.None);

        Assert.Equal("oidc:olivia", principal.Get(PortalClaims.UserId));
        Assert.True(Guid.TryParse(principal.Get(PortalClaims.Session), out var session));
        Assert.True(await Directory.IsSessionActiveAsync(session, CancellationToken.None));
        Assert.Empty(await connections.ListAsync("local", CancellationToken.None));
        Assert.Equal(["ollama", "team-gpt", "team-gpt (local)"], (await connections.ListAsync("oidc:olivia", CancellationToken.None)).Select(c => c.Name));
        Assert.Equal("A local chat", Assert.Single(await sessions.ListAsync("oidc:olivia", CancellationToken.None)).Title);
        Assert.Equal("phi-4", await preferences.GetAsync("oidc:olivia", "compare-tray", CancellationToken.None));
        Assert.Equal("open", await preferences.GetAsync("oidc:olivia", "portal-sidebar", CancellationToken.None));
        Assert.Null(await preferences.GetAsync("local", "compare-tray", CancellationToken.None));
        var signIn = Assert.Single((await Audit.QueryAsync(new AuditQuery(Action: AuditLog.SignInAction), CancellationToken.None)).Items);
        Assert.Equal("oidc:olivia", signIn.UserId);
        // Two connections, one chat, one preference (the owner's own sidebar setting stays, the local one is dropped).
        Assert.Contains("took over 4 item(s)", signIn.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BootstrapOwnerByEmail_NeedsTheProviderToVouchForTheEmail()
    {
        var connections = _store.GetRequiredService<IConnectionStore>();
        await connections.SaveAsync(Connection("local", "ollama"), CancellationToken.None);
        var recorder = Recorder(owners: ["olivia@example.test"]);

        // Anyone may type the Owner's address into a self-service profile: an unverified email is not a match.
        var impostor = Principal("mallory", "olivia@example.test", "Mallory", emailVerified: false);
        await recorder.SignedInAsync(impostor, browser: true, null, CancellationToken.None);
        var roles = new UserRoles(Directory, Options.Create(new AuthOptions { Mode = AuthMode.Oidc, Owners = ["olivia@example.test"] }));

        Assert.Equal(PortalRole.Reader, await roles.EffectiveRoleAsync(impostor, CancellationToken.None));
        Assert.Single(await connections.ListAsync("local", CancellationToken.None));
        Assert.False((await Directory.GetAsync("oidc:mallory", CancellationToken.None))!.EmailVerified);
    }

    [Fact]
    public async Task PortalClaimsSentByTheProvider_AreDropped()
    {
        var principal = Principal("mallory", "mallory@example.test", "Mallory", true,
            new Claim(PortalClaims.UserId, "local"), new Claim(PortalClaims.Role, "Owner"), new Claim(PortalClaims.ProviderRole, "Owner"));

        await Recorder(owners: []).SignedInAsync(principal, browser: true, null, CancellationToken.None);

        Assert.Equal(["oidc:mallory"], principal.FindAll(PortalClaims.UserId).Select(c => c.Value));
        Assert.Empty(principal.FindAll(PortalClaims.Role));
        Assert.Empty(principal.FindAll(PortalClaims.ProviderRole));
    }

    [Fact]
    public async Task AfterSignOut_AnOpenPagesActionsAreRefusedAtOnce()
    {
        var principal = Principal("connie", "connie@example.test", "Connie", true, new Claim("roles", "Contributor"));
        await Recorder(owners: []).SignedInAsync(principal, browser: true, null, CancellationToken.None);
        var roles = new UserRoles(Directory, Options.Create(new AuthOptions { Mode = AuthMode.Oidc }));
        Assert.Equal(PortalRole.Contributor, await roles.EffectiveRoleAsync(principal, CancellationToken.None));

        await Directory.EndSessionAsync(Guid.Parse(principal.Get(PortalClaims.Session)!), CancellationToken.None);

        Assert.Null(await roles.EffectiveRoleAsync(principal, CancellationToken.None));
    }

    [Fact]
    public async Task FirstSignIn_OfANonOwner_LeavesTheSingleUserDataAlone()
    {
        var connections = _store.GetRequiredService<IConnectionStore>();
        await connections.SaveAsync(Connection("local", "ollama"), CancellationToken.None);

        await Recorder(owners: []).SignedInAsync(Principal("rita", "rita@example.test", "Rita Reader"), browser: true, null, CancellationToken.None);

        Assert.Single(await connections.ListAsync("local", CancellationToken.None));
        Assert.Empty(await connections.ListAsync("oidc:rita", CancellationToken.None));
    }

    [Fact]
    public async Task OpenPage_LosesAccessAtSignOut_AndFollowsARoleChange()
    {
        var recorder = Recorder(owners: []);
        var principal = Principal("rita", "rita@example.test", "Rita Reader");
        await recorder.SignedInAsync(principal, browser: true, null, CancellationToken.None);
        using var provider = StateProvider();

        var asReader = await provider.RevalidateAsync(principal, CancellationToken.None);
        Assert.Equal(PortalRole.Reader, asReader.EffectiveRole());

        await Directory.AssignRoleAsync("oidc:rita", nameof(PortalRole.Contributor), "olivia@example.test", CancellationToken.None);
        var asContributor = await provider.RevalidateAsync(asReader, CancellationToken.None);
        Assert.Equal(PortalRole.Contributor, asContributor.EffectiveRole());
        Assert.Same(asContributor, await provider.RevalidateAsync(asContributor, CancellationToken.None));

        await Directory.EndSessionAsync(Guid.Parse(principal.Get(PortalClaims.Session)!), CancellationToken.None);
        var signedOut = await provider.RevalidateAsync(asContributor, CancellationToken.None);
        Assert.False(signedOut.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task ProviderRole_AssignedRole_BootstrapAndDefault_TheHighestApplies()
    {
        var settings = new AuthOptions { Mode = AuthMode.Oidc, Owners = ["boot@example.test"], DefaultRole = PortalRole.Reader };

        Assert.Equal(PortalRole.Reader, UserRoles.Resolve(settings, "oidc:a", "a@example.test", null, null));
        Assert.Equal(PortalRole.AzureAIDeveloper, UserRoles.Resolve(settings, "oidc:a", null, "AzureAIDeveloper", null));
        Assert.Equal(PortalRole.Contributor, UserRoles.Resolve(settings, "oidc:a", null, "AzureAIDeveloper", "Contributor"));
        Assert.Equal(PortalRole.Contributor, UserRoles.Resolve(settings, "oidc:a", null, "Contributor", "Reader"));
        Assert.Equal(PortalRole.Owner, UserRoles.Resolve(settings, "oidc:b", "BOOT@example.test", null, null));
        Assert.Equal(PortalRole.Owner, UserRoles.Resolve(new AuthOptions { Mode = AuthMode.Oidc, Owners = ["b"] }, "oidc:b", null, null, null));
        Assert.Equal(PortalRole.Owner, UserRoles.Resolve(new AuthOptions { Mode = AuthMode.EntraId, Owners = ["object-1"] }, "entra:tenant-1/object-1", null, null, null));
        Assert.Equal(PortalRole.Owner, UserRoles.Resolve(new AuthOptions { Mode = AuthMode.EntraId, Owners = ["tenant-1/object-1"] }, "entra:tenant-1/object-1", null, null, null));
        Assert.Equal(PortalRole.Reader, UserRoles.Resolve(new AuthOptions { Mode = AuthMode.EntraId, Owners = ["object-1"] }, "entra:tenant-1/object-10", null, null, null));
        Assert.Equal(PortalRole.AzureAIDeveloper, UserRoles.HighestOf(["viewer", "Azure AI Developer", "reader"]));
        Assert.Null(UserRoles.HighestOf(["admin", "Azure.AI.Developer"]));
    }

    [Fact]
    public async Task Audit_FiltersByTimeUserActionAndOutcome_AndOldEntriesArePurged()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var day = 0; day < 10; day++)
        {
            await Audit.AddAsync(new AuditEntryRow
            {
                WhenUtc = start.AddDays(day),
                UserId = day % 2 == 0 ? "oidc:rita" : "oidc:olivia",
                UserName = day % 2 == 0 ? "rita@example.test" : "olivia@example.test",
                Action = day % 3 == 0 ? nameof(PortalAction.ImportCatalog) : nameof(PortalAction.SaveSharedConnection),
                Target = $"target-{day}",
                Outcome = day == 4 ? nameof(AuditOutcome.Denied) : nameof(AuditOutcome.Succeeded),
            }, CancellationToken.None);
        }

        var (window, windowTotal) = await Audit.QueryAsync(new AuditQuery(FromUtc: start.AddDays(2), ToUtc: start.AddDays(5)), CancellationToken.None);
        Assert.Equal(3, windowTotal);
        Assert.Equal(["target-4", "target-3", "target-2"], window.Select(e => e.Target));
        Assert.Equal(5, (await Audit.QueryAsync(new AuditQuery(User: "rita"), CancellationToken.None)).Total);
        Assert.Equal(4, (await Audit.QueryAsync(new AuditQuery(Action: nameof(PortalAction.ImportCatalog)), CancellationToken.None)).Total);
        Assert.Equal("target-4", Assert.Single((await Audit.QueryAsync(new AuditQuery(Outcome: nameof(AuditOutcome.Denied)), CancellationToken.None)).Items).Target);

        Assert.Equal(6, await Audit.PurgeAsync(start.AddDays(6), CancellationToken.None));
        Assert.Equal(["target-9", "target-8", "target-7", "target-6"], (await Audit.QueryAsync(new AuditQuery(), CancellationToken.None)).Items.Select(e => e.Target));
    }

    [Fact]
    public async Task ApiTokens_AreFoundByHashOnly_AndRevokedOnlyByTheirUser()
    {
        var tokens = _store.GetRequiredService<IApiTokenStore>();
        var row = await tokens.AddAsync(new ApiTokenRow { UserId = "oidc:rita", Name = "ci", Hash = ApiTokens.Hash("pat_secret"), Prefix = "pat_secr", CreatedUtc = DateTimeOffset.UtcNow, ExpiresUtc = DateTimeOffset.UtcNow.AddDays(1) }, CancellationToken.None);

        Assert.Equal(row.Id, (await tokens.FindByHashAsync(ApiTokens.Hash("pat_secret"), CancellationToken.None))?.Id);
        Assert.Null(await tokens.FindByHashAsync(ApiTokens.Hash("pat_other"), CancellationToken.None));
        Assert.False(await tokens.RevokeAsync("oidc:olivia", row.Id, CancellationToken.None));
        Assert.True(await tokens.RevokeAsync("oidc:rita", row.Id, CancellationToken.None));
        Assert.False(await tokens.RevokeAsync("oidc:rita", row.Id, CancellationToken.None));
        Assert.NotNull((await tokens.FindByHashAsync(ApiTokens.Hash("pat_secret"), CancellationToken.None))?.RevokedUtc);
    }

    private SignInRecorder Recorder(string[] owners) => new(
        Directory,
        Audit,
        Options.Create(new AuthOptions { Mode = AuthMode.Oidc, Owners = [.. owners] }),
        TimeProvider.System,
        NullLogger<SignInRecorder>.Instance);

    private PortalAuthenticationStateProvider StateProvider()
    {
        var settings = new AuthOptions { Mode = AuthMode.Oidc };
        return new PortalAuthenticationStateProvider(
            new UserRoles(Directory, Options.Create(settings)),
            Options.Create(settings),
            TimeProvider.System,
            NullLogger<PortalAuthenticationStateProvider>.Instance);
    }

    private static ClaimsPrincipal Principal(string subject, string email, string name, bool emailVerified = true, params Claim[] more) =>
        new(new ClaimsIdentity(
            [new Claim("sub", subject), new Claim("email", email), new Claim("email_verified", emailVerified ? "true" : "false"), new Claim("name", name), .. more],
            "oidc", "name", "roles"));

    private static StoredConnection Connection(string userId, string name) =>
        new() { UserId = userId, Name = name, Kind = "OpenAICompatible", Endpoint = "http://127.0.0.1:11434/v1/", Auth = "None" };
}
