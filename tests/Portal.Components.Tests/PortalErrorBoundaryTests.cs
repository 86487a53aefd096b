using Microsoft.AspNetCore.Components;
using Portal.Web.Components.Layout;

namespace Portal.Components.Tests;

public sealed class PortalErrorBoundaryTests : PortalBunitContext
{
    public PortalErrorBoundaryTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void ChildThrows_ShowsFriendlyMessageWithCorrelationIdAndNoExceptionText()
    {
        var cut = Render<PortalErrorBoundary>(p => p.AddChildContent<Thrower>());

        var alert = cut.Find("[role=alert]");
        Assert.Contains("Something went wrong on this page", alert.TextContent, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{12}$", cut.Find("[data-testid=correlation-id]").TextContent);
        Assert.DoesNotContain("secret internals", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void ChildRendersFine_ShowsChild()
    {
        var cut = Render<PortalErrorBoundary>(p => p.AddChildContent("<p>fine</p>"));

        Assert.Equal("fine", cut.Find("p").TextContent);
        Assert.Empty(cut.FindAll("[role=alert]"));
    }

    private sealed class Thrower : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("secret internals");
    }
}
