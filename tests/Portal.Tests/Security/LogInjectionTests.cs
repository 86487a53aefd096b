using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.TestPeers;
using Portal.Tests.Hosting;
using Portal.Tests.Support;
using Portal.Web.Catalog;
using Portal.Web.Hosting;

namespace Portal.Tests.Security;

/// <summary>User text cannot forge log lines, and SignalR never logs hub arguments (a key typed into a form).</summary>
public sealed class LogInjectionTests
{
    [Theory]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\ncrit: forged", "a\\r\\ncrit: forged")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("nul\0", "nul\\u0000")]
    [InlineData("esc\u001b[31m", "esc\\u001B[31m")]
    [InlineData("rtl\u202Egnp.exe", "rtl\\u202Egnp.exe")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("plain name.json", "plain name.json")]
    [InlineData("back\\slash", "back\\slash")]
    public void Escape_ControlCharacters_AreVisibleEscapes(string value, string expected)
    {
        Assert.Equal(expected, LogText.Escape(value));
    }

    [Fact]
    public async Task Import_FileNameWithLineBreaks_CannotForgeALogLine()
    {
        using var temp = new TempDirectory();
        var logs = new CapturingLoggerProvider();
        await using var app = PortalHost.Build(temp, logs);
        await app.StartAsync();
        using var scope = app.Services.CreateScope();
        var importer = scope.ServiceProvider.GetRequiredService<CatalogImporter>();

        await importer.ImportAsync("team\ncrit: Portal[0] name forged", "models.json\ncrit: Portal[0] forged", "not json", CancellationToken.None);
        await app.StopAsync();

        var line = Assert.Single(logs.Lines, l => l.Contains("rejected", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', line.TrimEnd());
        Assert.Contains("models.json\\ncrit: Portal[0] forged", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher")]
    [InlineData("Microsoft.AspNetCore.SignalR.HubConnectionHandler")]
    [InlineData("Microsoft.AspNetCore.Http.Connections.Internal.HttpConnectionDispatcher")]
    public async Task SignalRLogging_ConfiguredAtTrace_StaysAtInformation(string category)
    {
        using var temp = new TempDirectory();
        await using var app = PortalHost.Build(
            temp,
            "--Logging:LogLevel:Default=Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore.SignalR=Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore.Http.Connections=Trace",
            "--Logging:Console:LogLevel:Microsoft.AspNetCore.SignalR.Internal=Trace",
            "--Logging:Console:LogLevel:Microsoft.AspNetCore.Http.Connections.Internal=Trace");

        var factory = app.Services.GetRequiredService<ILoggerFactory>();
        var logger = factory.CreateLogger(category);

        Assert.False(logger.IsEnabled(LogLevel.Trace));
        Assert.False(logger.IsEnabled(LogLevel.Debug));
        Assert.True(logger.IsEnabled(LogLevel.Information));
        // Only those categories: the portal's own stay at the configured level.
        Assert.True(factory.CreateLogger("Portal.Web.Catalog.CatalogImporter").IsEnabled(LogLevel.Trace));
    }
}
