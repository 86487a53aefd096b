using System.Reflection;
using Microsoft.AspNetCore.Components;
using Portal.Web;
using Portal.Web.Components;

namespace Portal.Tests.Hosting;

/// <summary>Every page owns a token cancelled when it goes away, so no page starts work that outlives it.</summary>
public sealed class ComponentLifetimeTests
{
    /// <summary>Rendered statically, with no work of their own to cancel.</summary>
    private static readonly string[] StaticPages = ["Error", "NotFound", "SignedOut", "SignInFailed"];

    [Fact]
    public void EveryInteractivePage_DerivesFromPortalComponentBase()
    {
        var pages = typeof(PortalWebApplication).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<RouteAttribute>().Any() && !StaticPages.Contains(t.Name))
            .ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.True(typeof(PortalComponentBase).IsAssignableFrom(page), $"{page.FullName} does not derive from PortalComponentBase"));
    }

    [Fact]
    public void WebProject_PassesNoCancellationTokenNone()
    {
        var web = Path.Combine(RepositoryRoot(), "src", "Portal.Web");
        var offenders = Directory.EnumerateFiles(web, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("CancellationToken.None", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(web, f))
            .ToList();

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

        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
