using System.Reflection;
using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Web;

namespace Portal.Tests.Access;

/// <summary>What changes Azure, or reveals its keys, goes through <c>AzureActions</c>, which checks the role first.</summary>
public sealed class AzureActionsGuardTests
{
    private static readonly string[] MutatingCalls =
        [".Service.DeployServerlessAsync(", ".Service.DeployManagedAsync(", ".Service.DeleteAsync(", ".Service.ListKeysAsync(",
         ".Service.DeployOpenAIAsync(", ".Service.UpdateOpenAICapacityAsync(", ".Service.DeleteOpenAIDeploymentAsync(", ".Service.ListAccountKeysAsync("];

    [Fact]
    public void NoComponent_InjectsAzureServiceOrDeploymentConnections()
    {
        var injected = typeof(PortalWebApplication).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<InjectAttribute>() is not null && (p.PropertyType == typeof(AzureService) || p.PropertyType == typeof(DeploymentConnections)))
                .Select(p => $"{t.Name}.{p.Name}"))
            .ToList();

        Assert.Empty(injected);
    }

    [Fact]
    public void NoComponent_CallsAzureServicesMutatingMethods()
    {
        var components = Path.Combine(RepositoryRoot(), "src", "Portal.Web", "Components");
        var offenders = Directory.EnumerateFiles(components, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => MutatingCalls.Any(call => File.ReadAllText(f).Contains(call, StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(components, f))
            .ToList();

        Assert.NotEmpty(Directory.EnumerateFiles(components, "*.razor", SearchOption.AllDirectories));
        Assert.Empty(offenders);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Portal.sln) was not found above " + AppContext.BaseDirectory);
    }
}
