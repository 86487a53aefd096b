using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Portal.Data.Tracing;
using Portal.Tests.Access;
using Portal.Web.Access;

namespace Portal.Tests.Tracing;

/// <summary>
/// <c>GET /api/traces</c> and <c>GET /api/traces/{id}</c> on the real portal with sign-in on, called with personal API
/// tokens: each person reads their own traces, an Owner everyone's; bad filters are 400 problem details naming the field.
/// </summary>
public sealed class TracesApiTests(MatrixHost host) : IClassFixture<MatrixHost>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private async Task<(string Developer, string Other, TraceRow Mine, TraceRow Theirs)> SeedAsync()
    {
        var developer = await host.UserAsync(PortalRole.AzureAIDeveloper, "tracer");
        var other = await host.UserAsync(PortalRole.AzureAIDeveloper, "other");
        var mine = TraceStoreTests.Row(Now.AddMinutes(-5), developer, model: "model-" + Guid.NewGuid().ToString("N")[..6], connection: "team-azure", response: "Mine: the answer");
        var theirs = TraceStoreTests.Row(Now.AddMinutes(-4), other, model: mine.Model, connection: "team-azure", response: "Theirs");
        await host.Get<ITraceStore>().AddRangeAsync([mine, theirs], CancellationToken.None);
        return (developer, other, mine, theirs);
    }

    private static async Task<JsonDocument> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task List_AsADeveloper_ReturnsOnlyTheirOwnTraces_WithoutContent()
    {
        var (developer, _, mine, _) = await SeedAsync();
        using var client = await host.ClientForAsync(developer);

        using var response = await client.GetAsync(new Uri($"/api/traces?model={mine.Model}&connection=team-azure&from={Now.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}&to={Now.AddDays(1):yyyy-MM-dd}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await JsonAsync(response);
        var item = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(mine.Id, item.GetProperty("id").GetGuid());
        Assert.Equal(developer, item.GetProperty("user").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("response").ValueKind);
        Assert.Equal(1, json.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_AsAnOwner_ReturnsEveryonesTraces_AndFiltersByUser()
    {
        var (_, other, mine, theirs) = await SeedAsync();
        var owner = await host.UserAsync(PortalRole.Owner, "trace-owner");
        using var client = await host.ClientForAsync(owner);

        using var all = await JsonAsync(await client.GetAsync(new Uri($"/api/traces?model={mine.Model}", UriKind.Relative)));
        using var theirsOnly = await JsonAsync(await client.GetAsync(new Uri($"/api/traces?model={mine.Model}&user={Uri.EscapeDataString(other)}", UriKind.Relative)));

        Assert.Equal([theirs.Id, mine.Id], all.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal([theirs.Id], theirsOnly.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task List_SomeoneElsesTraces_WithoutTheOwnerRole_Is403()
    {
        var (developer, other, _, _) = await SeedAsync();
        using var client = await host.ClientForAsync(developer);

        using var response = await client.GetAsync(new Uri($"/api/traces?user={Uri.EscapeDataString(other)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_OwnTrace_HasTheContent_SomeoneElsesIs404()
    {
        var (developer, _, mine, theirs) = await SeedAsync();
        using var client = await host.ClientForAsync(developer);

        using var own = await client.GetAsync(new Uri($"/api/traces/{mine.Id}", UriKind.Relative));
        using var foreign = await client.GetAsync(new Uri($"/api/traces/{theirs.Id}", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri($"/api/traces/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var json = await JsonAsync(own);
        Assert.Equal("Mine: the answer", json.RootElement.GetProperty("response").GetString());
        Assert.Equal("user", json.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task List_BadValues_Are400ProblemDetailsNamingEachField()
    {
        var developer = await host.UserAsync(PortalRole.Reader, "bad-filters");
        using var client = await host.ClientForAsync(developer);

        using var response = await client.GetAsync(new Uri("/api/traces?from=yesterday&status=fine&operation=dance&limit=0", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = await JsonAsync(response);
        var errors = json.RootElement.GetProperty("errors");
        Assert.Equal(["from", "limit", "operation", "status"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Contains("ISO 8601", errors.GetProperty("from")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesBothEndpoints()
    {
        var owner = await host.UserAsync(PortalRole.Owner, "openapi-reader");
        using var client = await host.ClientForAsync(owner);

        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/traces", out var list));
        Assert.True(paths.TryGetProperty("/api/traces/{id}", out _));
        Assert.Contains(list.GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "connection");
    }

    [Fact]
    public async Task Anonymous_Is401()
    {
        using var client = host.App.GetTestClient();

        using var response = await client.GetAsync(new Uri("/api/traces", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
