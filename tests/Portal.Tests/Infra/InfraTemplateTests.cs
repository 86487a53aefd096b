using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Infra;

/// <summary>
/// The Azure templates in infra/ build and lint clean with the real Bicep CLI, and what they describe is what the
/// portal needs on App Service (WebSockets, ARR affinity, the readiness health check, a managed identity, secrets by Key
/// Vault reference only).
/// </summary>
public sealed class InfraTemplateTests
{
    [Theory]
    [InlineData("main.bicep")]
    [InlineData("portal.bicep")]
    public async Task Bicep_build_has_no_errors_and_no_warnings(string file)
    {
        var (exitCode, output, errors) = await BicepCli.RunAsync("build", BicepCli.Infra(file), "--stdout");

        Assert.True(exitCode == 0, $"bicep build {file} exited {exitCode}: {errors}");
        Assert.Equal("", errors.Trim());
        using var template = JsonDocument.Parse(output);
        Assert.EndsWith("Template.json#", template.RootElement.GetProperty("$schema").GetString());
        Assert.NotEqual(0, template.RootElement.GetProperty("resources").GetArrayLength());
    }

    [Theory]
    [InlineData("main.bicep")]
    [InlineData("portal.bicep")]
    public async Task Bicep_lint_reports_nothing(string file)
    {
        var (exitCode, output, errors) = await BicepCli.RunAsync("lint", BicepCli.Infra(file));

        Assert.True(exitCode == 0, $"bicep lint {file} exited {exitCode}: {errors}");
        Assert.Equal("", (output + errors).Trim());
    }

    [Fact]
    public async Task Lint_check_sees_a_warning_when_there_is_one()
    {
        // The clean-lint assertion above would pass vacuously if the CLI printed warnings somewhere else: show that a
        // file with a known linter warning (an unused parameter, a hard-coded cloud address) produces output here.
        using var temp = new TempDirectory();
        var bad = temp.File("bad.bicep");
        await File.WriteAllTextAsync(bad, "param unused string\noutput endpoint string = 'https://management.azure.com/'\n");

        var (_, output, errors) = await BicepCli.RunAsync("lint", bad);

        var report = output + errors;
        Assert.Contains("no-unused-params", report);
        Assert.Contains("no-hardcoded-env-urls", report);
    }

    [Fact]
    public async Task The_web_app_is_what_a_Blazor_Server_portal_needs()
    {
        var resources = await PortalResourcesAsync();
        var web = Single(resources, "Microsoft.Web/sites");
        var site = web.GetProperty("properties");
        var config = site.GetProperty("siteConfig");

        Assert.Equal("SystemAssigned", web.GetProperty("identity").GetProperty("type").GetString());
        Assert.Equal("app,linux", web.GetProperty("kind").GetString());
        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.True(site.GetProperty("clientAffinityEnabled").GetBoolean(), "ARR affinity keeps a circuit's requests on its instance");
        Assert.Equal("DOTNETCORE|10.0", config.GetProperty("linuxFxVersion").GetString());
        Assert.True(config.GetProperty("webSocketsEnabled").GetBoolean());
        Assert.Equal("/healthz/ready", config.GetProperty("healthCheckPath").GetString());
        Assert.Equal("Disabled", config.GetProperty("ftpsState").GetString());

        var plan = Single(resources, "Microsoft.Web/serverfarms");
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean(), "a Linux plan");
    }

    [Fact]
    public async Task Secrets_reach_the_app_only_by_Key_Vault_reference()
    {
        var resources = await PortalResourcesAsync();
        var settings = Single(resources, "Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig")
            .GetProperty("appSettings").GetString()!;

        Assert.Contains("'Portal__Storage__Provider', 'value', 'PostgreSql'", settings);
        Assert.Matches(new Regex(@"'Portal__Storage__ConnectionString', 'value', format\('@Microsoft\.KeyVault\(SecretUri="), settings);
        Assert.Matches(new Regex(@"'Portal__DataProtection__Certificate', 'value', format\('@Microsoft\.KeyVault\(SecretUri="), settings);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", settings);
        Assert.DoesNotContain("postgresAdminPassword", settings);
        Assert.Contains("AuthType=azure.msi", settings);

        var vault = Single(resources, "Microsoft.KeyVault/vaults").GetProperty("properties");
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());

        // The web app's identity may read secrets (Key Vault Secrets User), and nothing more is granted to it there.
        var assignments = resources.Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", (await PortalVariablesAsync()).GetProperty("keyVaultSecretsUser").GetString());
        Assert.Contains(assignments, a => a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!.Contains("variables('keyVaultSecretsUser')")
            && a.GetProperty("properties").GetProperty("principalId").GetString()!.Contains("Microsoft.Web/sites"));
    }

    [Fact]
    public async Task PostgreSQL_Key_Vault_monitoring_and_optional_SignalR_are_described()
    {
        var resources = await PortalResourcesAsync();

        var postgres = Single(resources, "Microsoft.DBforPostgreSQL/flexibleServers").GetProperty("properties");
        Assert.Equal("Enabled", postgres.GetProperty("authConfig").GetProperty("passwordAuth").GetString());
        Single(resources, "Microsoft.DBforPostgreSQL/flexibleServers/databases");
        var insights = Single(resources, "Microsoft.Insights/components").GetProperty("properties");
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.GetProperty("WorkspaceResourceId").GetString());
        Single(resources, "Microsoft.Resources/deploymentScripts");

        var signalR = Single(resources, "Microsoft.SignalRService/signalR");
        Assert.Equal("[parameters('enableSignalR')]", signalR.GetProperty("condition").GetString());
        Assert.True(signalR.GetProperty("properties").GetProperty("disableLocalAuth").GetBoolean(), "no access key to leak");
    }

    [Fact]
    public async Task Azd_parameters_cover_every_required_parameter_of_main()
    {
        var (exitCode, output, errors) = await BicepCli.RunAsync("build", BicepCli.Infra("main.bicep"), "--stdout");
        Assert.True(exitCode == 0, errors);
        using var template = JsonDocument.Parse(output);
        var declared = template.RootElement.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.TryGetProperty("defaultValue", out _));

        using var parameters = JsonDocument.Parse(await File.ReadAllTextAsync(BicepCli.Infra("main.parameters.json")));
        var given = parameters.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();

        Assert.Empty(given.Except(declared.Keys));
        Assert.Empty(declared.Where(p => !p.Value).Select(p => p.Key).Except(given));
    }

    [Fact]
    public async Task Azure_yaml_deploys_the_web_project_to_App_Service_from_infra()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(BicepCli.RepositoryRoot, "azure.yaml"));

        Assert.Matches(new Regex(@"(?m)^infra:\s*\n(\s+\w+:.*\n)*\s+path: infra\s*$"), yaml);
        Assert.Matches(new Regex(@"(?m)^\s+project: \./src/Portal\.Web\s*$"), yaml);
        Assert.Matches(new Regex(@"(?m)^\s+host: appservice\s*$"), yaml);
        Assert.True(File.Exists(Path.Combine(BicepCli.RepositoryRoot, "src", "Portal.Web", "Portal.Web.csproj")));
        // azd finds the deployed service by this tag on the web app.
        Assert.Contains("'azd-service-name': 'portal'", await File.ReadAllTextAsync(BicepCli.Infra("portal.bicep")));
    }

    // One build of portal.bicep for the tests that read it (each CLI start costs seconds).
    private static readonly Lazy<Task<JsonElement>> PortalTemplate = new(async () =>
    {
        var (exitCode, output, errors) = await BicepCli.RunAsync("build", BicepCli.Infra("portal.bicep"), "--stdout");
        Assert.True(exitCode == 0, errors);
        return JsonDocument.Parse(output).RootElement;
    });

    private static Task<JsonElement> PortalTemplateAsync() => PortalTemplate.Value;

    private static async Task<JsonElement> PortalVariablesAsync() => (await PortalTemplateAsync()).GetProperty("variables");

    private static async Task<List<JsonElement>> PortalResourcesAsync()
    {
        var resources = (await PortalTemplateAsync()).GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value).ToList()
            : resources.EnumerateArray().ToList();
    }

    private static JsonElement Single(List<JsonElement> resources, string type) =>
        Assert.Single(resources, r => r.GetProperty("type").GetString() == type);
}
