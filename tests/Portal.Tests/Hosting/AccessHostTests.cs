using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Access;
using Portal.Web.Access;

namespace Portal.Tests.Hosting;

/// <summary>
/// The portal with sign-in on (an OIDC provider that is never reached: calls carry personal API tokens): the audit
/// export and the pages that must answer without a signed-in user.
/// </summary>
public sealed class AccessHostTests
{
    private static readonly string[] SignInOn =
    [
        "--Portal:Auth:Mode=Oidc",
        "--Portal:Auth:Oidc:Authority=https://login.example.test",
        "--Portal:Auth:Oidc:ClientId=portal",
    ];

    /// <summary>Records the user as a provider with <paramref name="role"/> would have signed them in, and gives them an API token.</summary>
    private static async Task<string> UserWithTokenAsync(PortalHost host, string userId, string role)
    {
        using var scope = host.App.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IUserDirectoryStore>().RecordSignInAsync(userId, $"{userId[5..]}@example.test", userId[5..], role, CancellationToken.None);
        var secret = ApiTokens.Prefix + Guid.NewGuid().ToString("N");
        await scope.ServiceProvider.GetRequiredService<IApiTokenStore>().AddAsync(new ApiTokenRow
        {
            UserId = userId,
            Name = "test",
            Hash = ApiTokens.Hash(secret),
            Prefix = secret[..8],
            CreatedUtc = DateTimeOffset.UtcNow,
            ExpiresUtc = DateTimeOffset.UtcNow.AddDays(1),
        }, CancellationToken.None);
        return secret;
    }

    private static async Task AddEntryAsync(PortalHost host, string userName, string action, string detail)
    {
        using var scope = host.App.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IAuditStore>().AddAsync(new AuditEntryRow
        {
            WhenUtc = DateTimeOffset.UtcNow,
            UserId = "oidc:mallory",
            UserName = userName,
            Action = action,
            Target = "user:oidc:bob",
            Outcome = "Succeeded",
            ClientAddress = "203.0.113.7",
            Detail = detail,
        }, CancellationToken.None);
    }

    private static HttpRequestMessage Get(string path, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    [Fact]
    public async Task AuditExport_Owner_StreamsCsvWithHeader_AndFormulaCellsDefused()
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        var owner = await UserWithTokenAsync(host, "oidc:olivia", "Owner");
        await AddEntryAsync(host, "=cmd|'/c calc'!A1", nameof(PortalAction.AssignRole), "@SUM(1+1), \"quoted\"");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get("/api/audit/export.csv", owner));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"audit-{DateTimeOffset.UtcNow:yyyyMMdd}.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(AuditReader.CsvHeader, lines[0]);
        var entry = Assert.Single(lines, l => l.Contains("203.0.113.7", StringComparison.Ordinal));
        Assert.Contains(",'=cmd|'/c calc'!A1,AssignRole,", entry, StringComparison.Ordinal);
        Assert.Contains(",\"'@SUM(1+1), \"\"quoted\"\"\"", entry, StringComparison.Ordinal);
        Assert.DoesNotContain(",=cmd", body, StringComparison.Ordinal);
        Assert.DoesNotContain(owner, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditExport_Filters_FromTheQueryString()
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        var owner = await UserWithTokenAsync(host, "oidc:olivia", "Owner");
        await AddEntryAsync(host, "Mallory & Co", nameof(PortalAction.AssignRole), "kept");
        await AddEntryAsync(host, "Someone else", nameof(PortalAction.ImportCatalog), "left out");
        using var client = host.CreateClient();
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var body = await (await client.SendAsync(Get($"/api/audit/export.csv?from={today}&to={today}&user=Mallory%20%26%20Co&action=AssignRole&outcome=Succeeded", owner))).Content.ReadAsStringAsync();
        var tomorrowOnly = await (await client.SendAsync(Get($"/api/audit/export.csv?from={DateTimeOffset.UtcNow.AddDays(1):yyyy-MM-dd}", owner))).Content.ReadAsStringAsync();

        Assert.Contains("kept", body, StringComparison.Ordinal);
        Assert.DoesNotContain("left out", body, StringComparison.Ordinal);
        Assert.Equal(AuditReader.CsvHeader, tomorrowOnly.Trim());
    }

    [Theory]
    [InlineData("from=yesterday", "from must be a date")]
    [InlineData("to=2026-13-40", "to must be a date")]
    [InlineData("action=DropTables", "action must be one of")]
    [InlineData("outcome=Maybe", "outcome must be one of")]
    public async Task AuditExport_BadFilter_Is400ProblemDetails_NamingIt(string query, string expected)
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        var owner = await UserWithTokenAsync(host, "oidc:olivia", "Owner");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get($"/api/audit/export.csv?{query}", owner));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditExport_Reader_Is403ProblemDetails_AndTheAttemptIsAudited()
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        var reader = await UserWithTokenAsync(host, "oidc:rita", "Reader");
        await AddEntryAsync(host, "Mallory", nameof(PortalAction.AssignRole), "not for readers");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get("/api/audit/export.csv", reader));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(403, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Owner", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not for readers", body, StringComparison.Ordinal);
        using var scope = host.App.Services.CreateScope();
        var (denied, _) = await scope.ServiceProvider.GetRequiredService<IAuditStore>().QueryAsync(new AuditQuery(User: "oidc:rita", Outcome: "Denied"), CancellationToken.None);
        Assert.Contains(denied, e => e.Action == nameof(PortalAction.ReadAuditLog));
    }

    [Fact]
    public async Task AuditExport_NoCredentials_Is401()
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get("/api/audit/export.csv", null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/account/signed-out", "You signed out of the portal.")]
    [InlineData("/account/sign-in-failed", "Sign-in did not complete")]
    public async Task AccountPages_Anonymous_Render(string path, string heading)
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get(path, null));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(heading, html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/signin\"", html, StringComparison.Ordinal);
        // The app bar offers sign-in (to the home page, not back to this page), not an account.
        Assert.Matches(new System.Text.RegularExpressions.Regex("<a[^>]*href=\"/account/signin\"[^>]*>(?:(?!</a>).)*Sign in</span>", System.Text.RegularExpressions.RegexOptions.Singleline), html);
    }

    [Fact]
    public async Task SettingsPage_Anonymous_GoesToSignIn()
    {
        await using var host = await PortalHost.StartAsync(SignInOn);
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get("/settings/access", null));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/settings/access", "Sign-in is off")]
    [InlineData("/settings/api-tokens", "open without a token")]
    [InlineData("/settings/audit", "Export CSV")]
    public async Task SettingsPages_SignInOff_RenderForTheLocalOwner(string path, string text)
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get(path, null));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(text, System.Text.RegularExpressions.Regex.Replace(html, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("Single-user mode", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditExport_SignInOff_IsOpenToTheLocalOwner()
    {
        await using var host = await PortalHost.StartAsync();
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Get("/api/audit/export.csv", null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(AuditReader.CsvHeader, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
