using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Portal.Components.Tests;

/// <summary>
/// Feed workaround (see the .csproj): bUnit 2.x references AngleSharp.Diffing 1.0.0.0, the feed has 0.17.0. The runtime
/// raises <see cref="AssemblyLoadContext.Resolving"/> for the missing version, and this hands it the 0.17.0 build that the
/// project copies to <c>anglesharp-diffing/</c>. The parts of it bUnit uses for rendering and event dispatch are the same.
/// </summary>
internal static class AngleSharpDiffingLoader
{
    [ModuleInitializer]
    internal static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, "AngleSharp.Diffing", StringComparison.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "anglesharp-diffing", "AngleSharp.Diffing.dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
