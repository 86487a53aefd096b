using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Data.Access;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Signing in through a real OpenID Connect provider (its development login and consent pages), per role: what each
/// role sees, signing out, a sign-out in another tab, and a role changed while the page is open.
/// </summary>
[Collection(SignInServerGroup.Name)]
public sealed partial class SignInTests(SignInServerFixture server) : PortalPageTest(server)
{
    /// <summary>Longer than the portal's revalidation interval (2 s) with room for a slow machine.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions WithinRevalidation = new() { Timeout = 15_000 };

    private SignInServerFixture SignIn => (SignInServerFixture)Server;

    [Theory]
    [InlineData("reader", "Rita Reader", "Reader", false, false)]
    [InlineData("norole", "Nora Norole", "Reader", false, false)]
    [InlineData("developer", "Dev Developer", "Azure AI Developer", false, true)]
    [InlineData("contributor", "Connie Contributor", "Contributor", true, true)]
    [InlineData("owner", "Olga Owner", "Owner", true, true)]
    public async Task SignIn_EachRole_LandsOnModelsAndSeesWhatTheRoleAllows(string login, string name, string roleLabel, bool canImport, bool canAddConnection)
    {
        await SignInAsync(Page, login, "models");

        await Assertions.Expect(Page).ToHaveURLAsync(Server.BaseUrl + "models");
        await Assertions.Expect(AccountMenu(Page, name, roleLabel)).ToBeVisibleAsync();

        await OpenInteractiveAsync("settings/catalog-imports");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Imported catalogs" })).ToBeVisibleAsync();
        var choose = Page.GetByRole(AriaRole.Button, new() { Name = "Choose a catalog file" });
        var import = Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true });
        if (canImport)
        {
            await Assertions.Expect(choose).ToBeVisibleAsync();
            await Assertions.Expect(import).ToBeVisibleAsync();
        }
        else
        {
            // The page says which role it takes (which also shows the role is known by now), and offers nothing to click.
            await Assertions.Expect(Page.GetByText("needs the Contributor role")).ToBeVisibleAsync();
            await Assertions.Expect(choose).ToHaveCountAsync(0);
            await Assertions.Expect(import).ToHaveCountAsync(0);
        }

        await OpenInteractiveAsync("settings/connections");
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Connections", Exact = true })).ToBeVisibleAsync();
        var add = Page.GetByRole(AriaRole.Button, new() { Name = "Add connection" });
        if (canAddConnection)
        {
            await Assertions.Expect(add).ToBeVisibleAsync();
        }
        else
        {
            await Assertions.Expect(Page.GetByText("needs the Azure AI Developer role")).ToBeVisibleAsync();
            await Assertions.Expect(add).ToHaveCountAsync(0);
            await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { NameRegex = EditOrDelete() })).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task SignOut_FromAccountMenu_LandsOnSignedOutAndPagesNeedSignInAgain()
    {
        await SignInAsync(Page, "reader-signout", "models");

        await SignOutAsync(Page, "Rita Reader (signout)", "Reader");

        await Assertions.Expect(Page).ToHaveURLAsync(Server.BaseUrl + "account/signed-out");
        await Page.GotoAsync("models");
        await ExpectProviderLoginAsync(Page);
    }

    [Fact]
    public async Task SignOut_InOneTab_OtherOpenTabLosesAccess()
    {
        await SignInAsync(Page, "reader-tabs", "models");
        var other = await Page.Context.NewPageAsync();
        await other.GotoAsync("settings/connections");
        await Assertions.Expect(other.Locator("main[data-circuit]")).ToHaveAttributeAsync("data-circuit", "interactive");
        var otherMenu = AccountMenu(other, "Rita Reader (tabs)", "Reader");
        await Assertions.Expect(otherMenu).ToBeVisibleAsync();

        await SignOutAsync(Page, "Rita Reader (tabs)", "Reader");
        await Assertions.Expect(Page).ToHaveURLAsync(Server.BaseUrl + "account/signed-out");

        // The open page learns of the ended session at its next check, without a reload; a reload asks to sign in.
        await Assertions.Expect(otherMenu).ToBeHiddenAsync(new() { Timeout = 15_000 });
        await other.ReloadAsync();
        await ExpectProviderLoginAsync(other);
    }

    [Fact]
    public async Task RoleChange_WhilePageIsOpen_ShowsContributorControlsWithoutReload()
    {
        await SignInAsync(Page, "reader-promoted", "settings/catalog-imports");
        await WaitForCircuitAsync();
        await Assertions.Expect(AccountMenu(Page, "Rita Reader (promoted)", "Reader")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Choose a catalog file" })).ToHaveCountAsync(0);

        // An Owner gives the Reader the Contributor role (what Settings → Access does).
        var directory = SignIn.Services.GetRequiredService<IUserDirectoryStore>();
        Assert.True(await directory.AssignRoleAsync("oidc:reader-promoted", "Contributor", "oidc:owner", CancellationToken.None));

        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Choose a catalog file" })).ToBeVisibleAsync(WithinRevalidation);
        await Assertions.Expect(AccountMenu(Page, "Rita Reader (promoted)", "Contributor")).ToBeVisibleAsync(WithinRevalidation);
    }

    [Fact]
    public async Task ApiToken_CreatedOnThePage_CallsTheApiUntilRevoked()
    {
        await SignInAsync(Page, "developer-tokens", "settings/api-tokens");
        await WaitForCircuitAsync();
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Token name" }).FillAsync("e2e script");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var secret = await Page.GetByRole(AriaRole.Textbox, new() { Name = "New token" }).InputValueAsync();
        Assert.StartsWith(Portal.Web.Access.ApiTokens.Prefix, secret, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        Assert.Equal(System.Net.HttpStatusCode.OK, await GetModelsAsync(http, secret));

        await Page.GetByRole(AriaRole.Button, new() { Name = "Revoke e2e script" }).ClickAsync();
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Revoke e2e script" })).ToHaveCountAsync(0);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await GetModelsAsync(http, secret));
        Assert.DoesNotContain(Server.Logs, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task SignedInPages_InEachTheme_HaveNoSeriousViolations_AndArePhotographed(string theme)
    {
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.Context.AddCookiesAsync([new Cookie { Name = "portal-theme", Value = theme, Url = Server.BaseUrl }]);
        await SignInAsync(Page, $"owner-a11y{theme}", "models");
        Directory.CreateDirectory(AccessibilityTests.ScreenshotFolder);

        foreach (var path in new[] { "models", "settings/access", "settings/audit", "settings/api-tokens", "settings/connections", "settings/azure" })
        {
            await OpenInteractiveAsync(path);
            await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await CheckAsync($"signed-in-{path.Replace('/', '-')}-{theme}");
        }

        // The account menu, open.
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Account: ") }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await CheckAsync($"signed-in-account-menu-{theme}");

        async Task CheckAsync(string name)
        {
            await Page.ScreenshotAsync(new() { Path = Path.Combine(AccessibilityTests.ScreenshotFolder, $"{name}.png"), FullPage = true });
            var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(Page, new Deque.AxeCore.Commons.AxeRunOptions
            {
                RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            });
            var serious = result.Violations.Where(v => v.Impact is "critical" or "serious").ToList();
            Assert.NotEmpty(result.Passes);
            Assert.True(serious.Count == 0, name + ": " + string.Join("\n", serious.Select(v => $"{v.Id} ({v.Impact}): {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
        }
    }

    private static async Task<System.Net.HttpStatusCode> GetModelsAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/models", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>
    /// Opens <paramref name="path"/> signed out, which leads to the provider's login page; signs in there as
    /// <paramref name="login"/> (any password), agrees on the consent page, and waits to be back on <paramref name="path"/>.
    /// </summary>
    private async Task SignInAsync(IPage page, string login, string path)
    {
        await page.GotoAsync(path);
        await ExpectProviderLoginAsync(page);
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Enter any login" }).FillAsync(login);
        // A password field has no role; the provider's page names it only by its placeholder.
        await page.GetByPlaceholder("and password").FillAsync("any-password-" + Guid.NewGuid().ToString("N")[..6]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign-in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Server.BaseUrl + path);
    }

    private async Task ExpectProviderLoginAsync(IPage page)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(SignIn.Provider.Authority) + "/"));
        await Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Enter any login" })).ToBeVisibleAsync();
    }

    /// <summary>Account menu → Sign out; then the provider asks whether to sign out there too: yes.</summary>
    private static async Task SignOutAsync(IPage page, string name, string roleLabel)
    {
        // The menu opens once the page is interactive.
        await Assertions.Expect(page.Locator("main[data-circuit]")).ToHaveAttributeAsync("data-circuit", "interactive");
        await AccountMenu(page, name, roleLabel).ClickAsync();
        var signOut = page.GetByRole(AriaRole.Menuitem, new() { Name = "Sign out" })
            .Or(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }));
        await signOut.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, sign me out" }).ClickAsync();
    }

    private static ILocator AccountMenu(IPage page, string name, string roleLabel) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Account: {name}, {roleLabel}", Exact = true });

    [GeneratedRegex("^(Edit|Delete) ")]
    private static partial Regex EditOrDelete();
}
