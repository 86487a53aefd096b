using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data.Access;
using Portal.Web.Access;
using Portal.Web.Components.Layout;
using Portal.Web.Components.Pages.Settings;

namespace Portal.Components.Tests;

/// <summary>Sign-in on (an OIDC provider that is never called): the identity pages as an Owner and as a Reader.</summary>
public sealed class AccessPagesTests() : PortalBunitContext(null, SignInSettings)
{
    public static readonly Dictionary<string, string?> SignInSettings = new()
    {
        ["Portal:Auth:Mode"] = "Oidc",
        ["Portal:Auth:Oidc:Authority"] = "https://login.example.test",
        ["Portal:Auth:Oidc:ClientId"] = "portal",
    };

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Olivia is an Owner by assignment in the portal (so she could demote herself, were it allowed); Bob a Reader by his token.</summary>
    private void SignInAsOwner()
    {
        Directory.Users["oidc:olivia"] = new PortalUserRow { UserId = "oidc:olivia", DisplayName = "Olivia", Email = "olivia@example.test", AssignedRole = "Owner", LastSignInUtc = DateTimeOffset.UnixEpoch };
        Directory.Users["oidc:bob"] = new PortalUserRow { UserId = "oidc:bob", DisplayName = "Bob", Email = "bob@example.test", ProviderRole = "Reader", LastSignInUtc = new DateTimeOffset(2026, 11, 21, 9, 30, 0, TimeSpan.Zero) };
        User.Set("oidc:olivia", "Owner", "olivia@example.test");
    }

    private void SignInAsReader()
    {
        Directory.Users["oidc:rita"] = new PortalUserRow { UserId = "oidc:rita", DisplayName = "Rita", ProviderRole = "Reader" };
        User.Set("oidc:rita", "Reader", "rita@example.test");
    }

    private static IElement Row(IRenderedComponent<AccessSettings> cut, string userId) => cut.Find($"tr[data-user='{userId}']");

    private static MudSelect<string> SelectLabelled<T>(IRenderedComponent<T> cut, string label)
        where T : class, IComponent =>
        cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label).Instance;

    private static async Task Choose<T>(IRenderedComponent<T> cut, string label, string value)
        where T : class, IComponent
    {
        // The select's accessible name is its visible label.
        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == label);
        var select = SelectLabelled(cut, label);
        await cut.InvokeAsync(() => select.ValueChanged.InvokeAsync(value));
    }

    /// <summary>The input of the text field whose visible label is <paramref name="label"/>.</summary>
    private static IElement Input<T>(IRenderedComponent<T> cut, string label)
        where T : class, IComponent
    {
        var labelElement = cut.FindAll("label").Single(l => l.TextContent.Trim() == label);
        return cut.Find($"#{labelElement.GetAttribute("for")}");
    }

    private static async Task ClickButton<T>(IRenderedComponent<T> cut, string name)
        where T : class, IComponent =>
        await cut.ClickAsync("button", b => (b.GetAttribute("aria-label") ?? b.TextContent.Trim()) == name);

    [Fact]
    public async Task Access_AsOwner_AssignsARole_AndSaysWhereEachRoleComesFrom()
    {
        SignInAsOwner();
        var cut = Render<AccessSettings>();
        cut.WaitForAssertion(() => Assert.Contains("from the provider's token", Row(cut, "oidc:bob").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("assigned in the portal", Row(cut, "oidc:olivia").TextContent, StringComparison.Ordinal);

        await Choose(cut, "Role for Bob", nameof(PortalRole.Contributor));

        cut.WaitForAssertion(() => Assert.Contains("Contributor", Row(cut, "oidc:bob").QuerySelectorAll("td")[2].TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("Contributor", Directory.Users["oidc:bob"].AssignedRole);
        Assert.Contains("assigned in the portal", Row(cut, "oidc:bob").TextContent, StringComparison.Ordinal);
        Assert.Contains(AuditStore.Entries, e => e.Action == nameof(PortalAction.AssignRole) && e.Target == "user:oidc:bob" && e.Outcome == "Succeeded");
        var snackbar = Services.GetRequiredService<ISnackbar>();
        Assert.Contains(snackbar.ShownSnackbars, s => s.Message is { } m && m.Contains("applies at once", StringComparison.Ordinal) && m.Contains("within a minute", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Access_AsOwner_RemovingTheAssignment_FallsBackToTheToken()
    {
        SignInAsOwner();
        Directory.Users["oidc:bob"].AssignedRole = "Contributor";
        var cut = Render<AccessSettings>();
        cut.WaitForAssertion(() => Assert.Contains("assigned in the portal", Row(cut, "oidc:bob").TextContent, StringComparison.Ordinal), Wait);

        await Choose(cut, "Role for Bob", AccessSettings.NoAssignment);

        cut.WaitForAssertion(() => Assert.Contains("from the provider's token", Row(cut, "oidc:bob").TextContent, StringComparison.Ordinal), Wait);
        Assert.Null(Directory.Users["oidc:bob"].AssignedRole);
    }

    [Fact]
    public async Task Access_OwnerDemotesThemself_ShowsTheErrorInTheRow_AndChangesNothing()
    {
        SignInAsOwner();
        var cut = Render<AccessSettings>();
        cut.WaitForAssertion(() => Assert.NotNull(Row(cut, "oidc:olivia")), Wait);

        await Choose(cut, "Role for Olivia", nameof(PortalRole.Reader));

        cut.WaitForAssertion(() => Assert.Contains("You cannot take the Owner role from yourself", Row(cut, "oidc:olivia").QuerySelector("[role=alert]")?.TextContent ?? "", StringComparison.Ordinal), Wait);
        Assert.Equal("Owner", Directory.Users["oidc:olivia"].AssignedRole);
    }

    [Fact]
    public void Access_AsReader_ShowsTheAlert_NotTheUsersOrTheirRoles()
    {
        SignInAsReader();
        Directory.Users["oidc:bob"] = new PortalUserRow { UserId = "oidc:bob", DisplayName = "Bob" };

        var cut = Render<AccessSettings>();

        cut.WaitForAssertion(() => Assert.Contains("Only Owners can manage access", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(cut.FindComponents<MudSelect<string>>());
        Assert.DoesNotContain("Bob", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Your role is Reader", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    private void AddEntry(string user, string action, string outcome, DateTimeOffset when, string target = "t", string? detail = null) =>
        AuditStore.AddAsync(new AuditEntryRow { UserId = user, UserName = user, Action = action, Target = target, Outcome = outcome, WhenUtc = when, Detail = detail }, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public async Task Audit_AsOwner_FiltersQueryTheStore_AndTheExportLinkCarriesThemEncoded()
    {
        SignInAsOwner();
        var day = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        AddEntry("oidc:alice", nameof(PortalAction.ImportCatalog), "Denied", day, "catalog:team");
        AddEntry("oidc:alice", nameof(PortalAction.ImportCatalog), "Succeeded", day, "catalog:ok");
        AddEntry("oidc:alice", nameof(PortalAction.ImportCatalog), "Denied", day.AddDays(-3), "catalog:old");
        AddEntry("oidc:bob", AuditLog.SignInAction, "Succeeded", day, "portal");
        var cut = Render<AuditSettings>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("table[aria-label='Audit entries'] tbody tr").Count), Wait);

        await cut.InvokeAsync(() => Input(cut, "From").Change("2026-11-19"));
        await cut.InvokeAsync(() => Input(cut, "User").Change("alice"));
        await Choose(cut, "Action", nameof(PortalAction.ImportCatalog));
        await Choose(cut, "Outcome", "Denied");

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("table[aria-label='Audit entries'] tbody tr")), Wait);
        Assert.Contains("catalog:team", cut.Find("table[aria-label='Audit entries'] tbody tr").TextContent, StringComparison.Ordinal);
        var navigation = Services.GetRequiredService<NavigationManager>();
        Assert.EndsWith("settings/audit?from=2026-11-19&user=alice&action=ImportCatalog&outcome=Denied", navigation.Uri, StringComparison.Ordinal);
        var export = cut.FindAll("a").Single(a => a.TextContent.Trim() == "Export CSV");
        Assert.Equal("/api/audit/export.csv?from=2026-11-19&user=alice&action=ImportCatalog&outcome=Denied", export.GetAttribute("href"));

        await cut.InvokeAsync(() => Input(cut, "User").Change("a&b =c/é?"));

        cut.WaitForAssertion(() => Assert.Equal("/api/audit/export.csv?from=2026-11-19&user=a%26b%20%3Dc%2F%C3%A9%3F&action=ImportCatalog&outcome=Denied",
            cut.FindAll("a").Single(a => a.TextContent.Trim() == "Export CSV").GetAttribute("href")), Wait);
        Assert.Contains("No entry matches", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_AddressWithFilters_ShowsThoseEntries_FiftyAPage()
    {
        SignInAsOwner();
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 60; i++)
        {
            AddEntry("oidc:alice", nameof(PortalAction.RunPlayground), "Succeeded", start.AddMinutes(i), $"entry-{i}");
        }

        AddEntry("oidc:bob", nameof(PortalAction.RunPlayground), "Succeeded", start, "bob's");
        Services.GetRequiredService<NavigationManager>().NavigateTo("settings/audit?user=alice&page=2");

        var cut = Render<AuditSettings>();

        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("table[aria-label='Audit entries'] tbody tr").Count), Wait);
        Assert.Contains("Entries 51–60 of 60", cut.Markup, StringComparison.Ordinal);
        // Newest first: page 2 ends with the first entry written.
        Assert.Contains("entry-0", cut.FindAll("table[aria-label='Audit entries'] tbody tr")[^1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("bob's", cut.Markup, StringComparison.Ordinal);

        await ClickButton(cut, "Newer entries");

        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("table[aria-label='Audit entries'] tbody tr").Count), Wait);
        Assert.Contains("entry-59", cut.FindAll("table[aria-label='Audit entries'] tbody tr")[0].TextContent, StringComparison.Ordinal);
        Assert.EndsWith("settings/audit?user=alice", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_AsReader_ShowsTheAlert_NotTheEntriesOrTheExport()
    {
        SignInAsReader();
        AddEntry("oidc:bob", AuditLog.SignInAction, "Succeeded", DateTimeOffset.UnixEpoch, "secret-target");

        var cut = Render<AuditSettings>();

        cut.WaitForAssertion(() => Assert.Contains("Only Owners can read the audit log", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Your role is Reader", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-target", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("a"), a => a.TextContent.Trim() == "Export CSV");
    }

    [Fact]
    public async Task ApiTokens_Create_ShowsTheTokenOnce_ThenRevoke()
    {
        SignInAsReader();
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ApiTokenSettings>();
        cut.WaitForAssertion(() => Assert.Contains("You have no API tokens", cut.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal("30", Input(cut, "Expires in (days)").GetAttribute("value"));

        await cut.InvokeAsync(() => Input(cut, "Token name").Change("nightly"));
        await ClickButton(cut, "Create token");

        cut.WaitForAssertion(() => Assert.StartsWith(ApiTokens.Prefix, Input(cut, "New token").GetAttribute("value"), StringComparison.Ordinal), Wait);
        var secret = Input(cut, "New token").GetAttribute("value")!;
        Assert.True(Input(cut, "New token").HasAttribute("readonly"));
        Assert.Contains("will not be shown again", cut.Markup, StringComparison.Ordinal);
        var row = (await ApiTokenStore.ListAsync("oidc:rita", CancellationToken.None)).Single();
        Assert.Equal(ApiTokens.Hash(secret), row.Hash);
        Assert.Equal(new DateTimeOffset(2026, 12, 22, 12, 0, 0, TimeSpan.Zero), row.ExpiresUtc);
        Assert.DoesNotContain(secret, Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        Assert.Contains("Active", cut.Find("tr[data-token]").TextContent, StringComparison.Ordinal);

        // Coming back to the page: the token is not there any more.
        var again = Render<ApiTokenSettings>();
        again.WaitForAssertion(() => Assert.NotNull(again.Find("tr[data-token]")), Wait);
        Assert.DoesNotContain(secret, again.Markup, StringComparison.Ordinal);
        Assert.Contains(row.Prefix, again.Find("tr[data-token]").TextContent, StringComparison.Ordinal);

        await ClickButton(again, "Revoke nightly");
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke nightly?", dialogs.Find("[role=dialog]").TextContent, StringComparison.Ordinal), Wait);
        await dialogs.ClickAsync("[role=dialog] button", b => b.TextContent.Trim() == "Revoke");

        again.WaitForAssertion(() => Assert.Contains("Revoked", again.Find("tr[data-token]").TextContent, StringComparison.Ordinal), Wait);
        Assert.NotNull(row.RevokedUtc);
        Assert.DoesNotContain(again.FindAll("button"), b => b.GetAttribute("aria-label") == "Revoke nightly");
    }

    [Fact]
    public async Task ApiTokens_CreateWithBadInput_ListsTheProblems_AndStoresNothing()
    {
        SignInAsReader();
        var cut = Render<ApiTokenSettings>();
        cut.WaitForAssertion(() => Assert.Contains("You have no API tokens", cut.Markup, StringComparison.Ordinal), Wait);

        await cut.InvokeAsync(() => Input(cut, "Expires in (days)").Change("400"));
        await ClickButton(cut, "Create token");

        cut.WaitForAssertion(() => Assert.Contains("Give the token a name", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Empty(await ApiTokenStore.ListAsync("oidc:rita", CancellationToken.None));
        Assert.DoesNotContain(cut.FindAll("label"), l => l.TextContent.Trim() == "New token");
    }

    [Fact]
    public void SignedOutNotice_OffersSignInBackToTheSamePage()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("settings/audit?user=a%26b&page=2");

        var cut = Render<SignedOutNotice>();

        Assert.Equal("You are signed out.", cut.Find("h1").TextContent.Trim());
        var link = cut.FindAll("a").Single(a => a.TextContent.Trim() == "Sign in again");
        Assert.Equal("/account/signin?returnUrl=%2Fsettings%2Faudit%3Fuser%3Da%2526b%26page%3D2", link.GetAttribute("href"));
    }

    [Fact]
    public void Layout_SignedOutCircuit_OffersSignInBackHere_AndNoAccount()
    {
        User.Set(PortalClaims.AnonymousUserId);
        Services.GetRequiredService<NavigationManager>().NavigateTo("models?q=phi");

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        Assert.Equal("/account/signin?returnUrl=%2Fmodels%3Fq%3Dphi", cut.FindAll("a").Single(a => a.TextContent.Trim() == "Sign in").GetAttribute("href"));
        Assert.DoesNotContain(cut.FindAll("button"), b => (b.GetAttribute("aria-label") ?? "").StartsWith("Account:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Layout_SignedIn_ShowsTheAccountMenu_WithEmailTokensAndSignOut()
    {
        SignInAsReader();

        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));
        var account = cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == $"Account: {User.DisplayName}, Reader");
        Assert.Contains(User.DisplayName, account.TextContent, StringComparison.Ordinal);
        Assert.Contains("Reader", account.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Single-user mode", cut.Markup, StringComparison.Ordinal);

        await cut.ClickLabelledAsync($"Account: {User.DisplayName}, Reader");

        cut.WaitForAssertion(() => Assert.Contains("rita@example.test", cut.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal("/settings/api-tokens", cut.FindAll("a").Single(a => a.TextContent.Trim() == "API tokens").GetAttribute("href"));
        var signOut = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Sign out");
        Assert.Equal("submit", signOut.GetAttribute("type"));
        var form = signOut.Closest("form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/account/signout", form.GetAttribute("action"));
    }
}

/// <summary>Sign-in off (the default): one local Owner, no accounts.</summary>
public sealed class SingleUserAccessPagesTests : PortalBunitContext
{
    /// <summary>The text as a reader hears it: runs of white space as one space.</summary>
    private static string Normalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    public SingleUserAccessPagesTests()
    {
    }

    [Fact]
    public void Layout_SignInOff_SaysSingleUserMode_WithWhatItMeans()
    {
        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        var label = cut.FindAll("span").Single(s => s.TextContent.Trim().StartsWith("Single-user mode", StringComparison.Ordinal) && s.QuerySelector(".visually-hidden") is not null);
        Assert.Equal("Single-user mode: everyone who reaches this portal is its Owner (sign-in is off)", string.Concat(label.TextContent.Split('\n').Select(l => l.Trim())));
        Assert.DoesNotContain(cut.FindAll("button"), b => (b.GetAttribute("aria-label") ?? "").StartsWith("Account:", StringComparison.Ordinal));
    }

    [Fact]
    public void Access_SignInOff_ExplainsHowToTurnItOn()
    {
        var cut = Render<AccessSettings>();

        var text = Normalized(cut.Find("[role=status]").TextContent);
        Assert.Contains("Sign-in is off", text, StringComparison.Ordinal);
        Assert.Contains("Portal:Auth:Mode", text, StringComparison.Ordinal);
        Assert.Contains("Oidc", text, StringComparison.Ordinal);
        Assert.Contains("EntraId", text, StringComparison.Ordinal);
        Assert.Contains("Sign-in and roles", text, StringComparison.Ordinal);
        Assert.Empty(cut.FindComponents<MudSelect<string>>());
    }

    [Fact]
    public void ApiTokens_SignInOff_SaysTheApiIsOpen_AndOffersNoForm()
    {
        var cut = Render<ApiTokenSettings>();

        Assert.Contains("open without a token", Normalized(cut.Find("[role=status]").TextContent), StringComparison.Ordinal);
        Assert.DoesNotContain(cut.FindAll("button"), b => b.TextContent.Trim() == "Create token");
    }
}

/// <summary>The portal's own authentication state provider in place of bUnit's, as open pages have it.</summary>
public sealed class AccountMenuRevalidationTests() : PortalBunitContext(
    services => services.AddScoped<AuthenticationStateProvider>(sp => sp.GetRequiredService<PortalAuthenticationStateProvider>()),
    AccessPagesTests.SignInSettings)
{
    [Fact]
    public void Layout_RoleChangedOnRevalidation_ShowsTheNewRole()
    {
        User.Set("oidc:rita", "Reader", "rita@example.test");
        var cut = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));
        Assert.Single(cut.FindAll("button"), b => b.GetAttribute("aria-label") == $"Account: {User.DisplayName}, Reader");

        // What the revalidation ends with when an Owner assigned another role: the page's principal changes, and the
        // provider tells the page so (AuthenticationStateChanged).
        User.Set("oidc:rita", "Contributor", "rita@example.test");
        var provider = (IHostEnvironmentAuthenticationStateProvider)Services.GetRequiredService<AuthenticationStateProvider>();
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(User.Principal)));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("button"), b => b.GetAttribute("aria-label") == $"Account: {User.DisplayName}, Contributor"), TimeSpan.FromSeconds(10));
    }
}
