using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Benchmarks;
using Portal.Web.Components.Controls;

namespace Portal.Components.Tests;

/// <summary>The compare tray shows where comparing helps (catalog, model, benchmark pages) and nowhere else.</summary>
public sealed class CompareTrayBarTests : PortalBunitContext
{
    private const string Llama = "Meta-Llama-3-8B-Instruct";
    private const string Phi = "Phi-3-mini-4k-instruct";

    [Theory]
    [InlineData("playground/chat")]
    [InlineData("playground")]
    [InlineData("settings/connections")]
    [InlineData("deployments/new")]
    public async Task Tray_WithAModel_IsNotShownOnPagesWhereItDoesNotHelp(string page)
    {
        await Services.GetRequiredService<CompareTray>().AddAsync(Llama);
        Services.GetRequiredService<NavigationManager>().NavigateTo(page);

        var cut = Render<CompareTrayBar>();

        Assert.Empty(cut.FindAll("aside[aria-label='Compare tray']"));
    }

    [Theory]
    [InlineData("models")]
    [InlineData("models/Phi-3-mini-4k-instruct")]
    [InlineData("benchmarks?view=top")]
    [InlineData("")]
    public async Task Tray_WithAModel_IsShownOnCatalogModelAndBenchmarkPages(string page)
    {
        await Services.GetRequiredService<CompareTray>().AddAsync(Llama);
        Services.GetRequiredService<NavigationManager>().NavigateTo(page);

        var cut = Render<CompareTrayBar>();

        var tray = cut.Find("aside[aria-label='Compare tray']");
        Assert.Contains("Compare (1 of 4)", tray.TextContent, StringComparison.Ordinal);
        Assert.Contains("Add one more model to compare.", tray.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tray_FollowsNavigation_AndItsCompareLinkHasTheModels()
    {
        var tray = Services.GetRequiredService<CompareTray>();
        await tray.AddAsync(Llama);
        await tray.AddAsync(Phi);
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("models");
        var cut = Render<CompareTrayBar>();

        var compare = cut.FindAll("aside[aria-label='Compare tray'] a").Single(a => a.TextContent.Trim() == "Compare");
        Assert.Equal($"benchmarks/compare?models={Llama}&models={Phi}", compare.GetAttribute("href"));

        await cut.InvokeAsync(() => navigation.NavigateTo("playground/chat"));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("aside[aria-label='Compare tray']")));

        await cut.InvokeAsync(() => navigation.NavigateTo("models/" + Phi));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("aside[aria-label='Compare tray']")));
    }

    [Fact]
    public async Task Prerender_ReadsNothingFromTheStore_TheCircuitLoadsTheSavedTray()
    {
        await Preferences.SetAsync("tester", CompareTray.PreferenceKey, Llama, CancellationToken.None);
        Services.GetRequiredService<NavigationManager>().NavigateTo("models");
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));

        var prerendered = Render<CompareTrayBar>();

        Assert.Equal(0, Preferences.Reads);
        Assert.Empty(prerendered.FindAll("aside[aria-label='Compare tray']"));
    }

    [Fact]
    public async Task Interactive_LoadsTheSavedTray()
    {
        await Preferences.SetAsync("tester", CompareTray.PreferenceKey, Llama, CancellationToken.None);
        Services.GetRequiredService<NavigationManager>().NavigateTo("models");

        var cut = Render<CompareTrayBar>();

        cut.WaitForAssertion(() => Assert.Contains("Compare (1 of 4)", cut.Find("aside[aria-label='Compare tray']").TextContent, StringComparison.Ordinal));
    }
}
