using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Portal.Web.Access;
using Portal.Web.Azure;
using Portal.Web.Benchmarks;
using Portal.Web.Catalog;
using Portal.Web.Connections;
using Portal.Web.Playground;

namespace Portal.Tests.Access;

/// <summary>
/// Every <see cref="PortalAction"/> × every role, through the service that acts and, where there is one, the HTTP API:
/// allowed → done; denied → refused (PortalAccessDeniedException / 403), the store unchanged, and an audit entry
/// "Denied". Who may do what comes from <see cref="PortalPermissions"/>, the matrix the README documents.
/// </summary>
public sealed class PermissionMatrixTests(MatrixHost host) : IClassFixture<MatrixHost>
{
    public static TheoryData<PortalAction, PortalRole> ActionsByRoles()
    {
        var data = new TheoryData<PortalAction, PortalRole>();
        foreach (var action in Enum.GetValues<PortalAction>())
        {
            foreach (var role in PortalRoles.All)
            {
                data.Add(action, role);
            }
        }

        return data;
    }

    public static TheoryData<PortalAction, PortalRole> HttpActionsByRoles()
    {
        var data = new TheoryData<PortalAction, PortalRole>();
        foreach (var action in PermissionMatrixCases.Http.Keys)
        {
            foreach (var role in PortalRoles.All)
            {
                data.Add(action, role);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActionsByRoles))]
    public async Task Service_AllowedRolesAct_OthersAreRefusedAuditedAndChangeNothing(PortalAction action, PortalRole role)
    {
        var allowed = role >= PortalPermissions.Minimum[action];
        foreach (var operation in PermissionMatrixCases.Service[action])
        {
            var user = await host.UserAsync(role, role.ToString().ToLowerInvariant());
            var attempt = await operation.Prepare(host, user);
            var before = await attempt.Probe();
            var deniedBefore = await host.AuditCountAsync(user, action, AuditOutcome.Denied);

            await using var scope = host.ScopeFor(user);
            var refusal = await Record.ExceptionAsync(() => attempt.Act(scope.ServiceProvider));

            var after = await attempt.Probe();
            var denied = await host.AuditCountAsync(user, action, AuditOutcome.Denied) - deniedBefore;
            if (allowed)
            {
                Assert.True(refusal is null, $"{operation.Covers} as {role}: {refusal}");
                if (attempt.Changes)
                {
                    Assert.NotEqual(before, after);
                }

                Assert.Equal(0, denied);
            }
            else
            {
                var exception = Assert.IsType<PortalAccessDeniedException>(refusal);
                Assert.Equal(action, exception.Action);
                Assert.Contains(PortalPermissions.Minimum[action].Label(), exception.Message, StringComparison.Ordinal);
                Assert.Equal(before, after);
                Assert.Equal(1, denied);
            }
        }
    }

    [Theory]
    [MemberData(nameof(HttpActionsByRoles))]
    public async Task HttpApi_AllowedRolesAct_OthersGet403AuditedAndChangeNothing(PortalAction action, PortalRole role)
    {
        var allowed = role >= PortalPermissions.Minimum[action];
        var user = await host.UserAsync(role, "api-" + role.ToString().ToLowerInvariant());
        using var client = await host.ClientForAsync(user);
        var attempt = await PermissionMatrixCases.Http[action].Prepare(host, user);
        var before = await attempt.Probe();

        using var response = await attempt.Send(client);

        var after = await attempt.Probe();
        var denied = await host.AuditCountAsync(user, action, AuditOutcome.Denied);
        if (allowed)
        {
            Assert.Equal(attempt.Success, response.StatusCode);
            Assert.NotEqual(before, after);
            Assert.Equal(0, denied);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Forbidden", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains(PortalPermissions.Minimum[action].Label(), problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(before, after);
            Assert.Equal(1, denied);
        }
    }

    [Fact]
    public void EveryAction_HasAMatrixCase_AndARule()
    {
        var missing = Enum.GetValues<PortalAction>()
            .Where(a => !PermissionMatrixCases.Service.TryGetValue(a, out var operations) || operations.Count == 0 || !PortalPermissions.Minimum.ContainsKey(a))
            .ToList();

        Assert.Empty(missing);
    }

    /// <summary>The mutating services' public methods that change something must each be in the matrix.</summary>
    [Fact]
    public void EveryMutatingServiceMethod_IsCoveredByTheMatrix()
    {
        Type[] services =
        [
            typeof(ConnectionService), typeof(CatalogImporter), typeof(PlaygroundSessions), typeof(CompareTray), typeof(AzureContext),
            typeof(AzureActions), typeof(ApiTokens), typeof(AccessDirectory), typeof(UserPreferences),
            typeof(Portal.Web.Evaluations.DatasetService), typeof(Portal.Web.Evaluations.EvaluationService),
            typeof(Portal.Web.FineTuning.TrainingFileService),
            typeof(Portal.Web.FineTuning.FineTuningService),
        ];
        string[] verbs = ["Save", "Delete", "Remove", "Import", "Deploy", "Create", "Revoke", "Assign", "Rename", "Add", "Set", "Send", "Run", "Test", "Clear", "Cancel", "Upload"];
        var covered = PermissionMatrixCases.Service.Values.SelectMany(o => o).Select(o => o.Covers.Split('(')[0]).ToHashSet(StringComparer.Ordinal);

        var mutating = services
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => $"{t.Name}.{m.Name}"))
            .Where(name => verbs.Any(v => name.Split('.')[1].StartsWith(v, StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        var uncovered = mutating.Where(m => !covered.Contains(m)).ToList();

        Assert.NotEmpty(mutating);
        Assert.Empty(uncovered);
    }

    [Fact]
    public async Task Anonymous_ReadingTheApi_Is401ProblemDetails()
    {
        using var client = host.App.GetTestClient();

        using var response = await client.GetAsync(new Uri("/api/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Anonymous_ChangingThroughTheApi_Is401_AndNothingIsSaved()
    {
        using var client = host.App.GetTestClient();
        var name = "anonymous-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await client.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), new { name, endpoint = host.Peer.V1.AbsoluteUri, auth = "None", shared = true });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var shared = await host.Get<Portal.Data.Connections.IConnectionStore>().ListAsync(ConnectionService.SharedOwner, CancellationToken.None);
        Assert.DoesNotContain(shared, c => c.Name == name);
    }

    [Fact]
    public async Task ChangingThroughTheApi_WithoutJson_Is415_AndNothingIsSaved()
    {
        var owner = await host.UserAsync(PortalRole.Owner, "owner");
        using var client = await host.ClientForAsync(owner);
        var name = "form-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await client.PostAsync(new Uri("/api/connections", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["endpoint"] = host.Peer.V1.AbsoluteUri, ["auth"] = "None" }));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var own = await host.Get<Portal.Data.Connections.IConnectionStore>().ListAsync(owner, CancellationToken.None);
        Assert.DoesNotContain(own, c => c.Name == name);
    }

    [Fact]
    public async Task ListingConnections_ShowsSharedOnes_WithTheKeyHintOnly()
    {
        var contributor = await host.UserAsync(PortalRole.Contributor, "sharer");
        var developer = await host.UserAsync(PortalRole.AzureAIDeveloper, "user");
        using var sharer = await host.ClientForAsync(contributor);
        using var reader = await host.ClientForAsync(developer);
        var name = "team-" + Guid.NewGuid().ToString("N")[..8];
        using var saved = await sharer.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative),
            new { name, kind = "OpenAICompatible", endpoint = host.Peer.V1.AbsoluteUri, auth = "ApiKey", apiKey = MatrixHost.PeerKey, models = PermissionMatrixCases.PeerModels, shared = true });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);

        var listed = await reader.GetStringAsync(new Uri("/api/connections", UriKind.Relative));

        using var json = JsonDocument.Parse(listed);
        var connection = json.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.True(connection.GetProperty("shared").GetBoolean());
        Assert.Equal(MatrixHost.PeerKey[^4..], connection.GetProperty("keyHint").GetString());
        Assert.DoesNotContain(MatrixHost.PeerKey, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(MatrixHost.PeerKey, await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheMutatingEndpoints_WithTheirJsonBodies()
    {
        var owner = await host.UserAsync(PortalRole.Owner, "docs");
        using var client = await host.ClientForAsync(owner);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var paths = json.RootElement.GetProperty("paths");
        foreach (var (path, method) in new[] { ("/api/catalog/imports", "post"), ("/api/connections", "post") })
        {
            var body = paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content");
            Assert.True(body.TryGetProperty("application/json", out _), $"{method} {path}");
        }

        Assert.True(paths.GetProperty("/api/catalog/imports/{id}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/connections/{id}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/connections").TryGetProperty("get", out _));
    }

    /// <summary>Another site can make a signed-in browser send its cookie; the API takes no change on the cookie alone.</summary>
    [Fact]
    public async Task SignedInBrowserCookie_CanRead_ButCannotChangeThroughTheApi()
    {
        var owner = await host.UserAsync(PortalRole.Owner, "browser");
        using var browser = await host.CookieClientForAsync(owner);
        var name = "cookie-" + Guid.NewGuid().ToString("N")[..8];

        using var read = await browser.GetAsync(new Uri("/api/connections", UriKind.Relative));
        using var change = await browser.PostAsJsonAsync(new Uri("/api/connections", UriKind.Relative), new { name, endpoint = host.Peer.V1.AbsoluteUri, auth = "None" });
        using var delete = await browser.DeleteAsync(new Uri($"/api/connections/{(await PermissionMatrixCases.SeedConnectionAsync(host, owner)).Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        var own = await host.Get<Portal.Data.Connections.IConnectionStore>().ListAsync(owner, CancellationToken.None);
        Assert.DoesNotContain(own, c => c.Name == name);
        Assert.Single(own);
    }
}
