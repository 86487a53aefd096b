using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Preferences;
using Portal.Web.Hosting;
using Radzen;

namespace Portal.Components.Tests;

/// <summary>bUnit context with what the portal's shell needs: Radzen, the theme cookie service, a user and preferences.</summary>
public abstract class PortalBunitContext : BunitContext
{
    protected PortalBunitContext()
    {
        Services.AddRadzenComponents();
        Services.AddRadzenCookieThemeService(options => options.Name = "portal-theme");
        Services.AddSingleton<ICurrentUser>(new FakeUser("tester"));
        Services.AddSingleton<IPreferenceStore>(Preferences);

        // The portal runs as interactive server components. (Touching the renderer builds the services: keep it last.)
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected FakePreferenceStore Preferences { get; } = new();

    private sealed record FakeUser(string Id) : ICurrentUser;
}

/// <summary>In-memory preferences; <see cref="FailWith"/> makes every call throw, as a store that is down would.</summary>
public sealed class FakePreferenceStore : IPreferenceStore
{
    private readonly Dictionary<(string, string), string> _values = [];

    public Exception? FailWith { get; set; }

    public int Reads { get; private set; }

    public Task<string?> GetAsync(string userId, string key, CancellationToken cancellationToken)
    {
        Reads++;
        return FailWith is not null ? Task.FromException<string?>(FailWith) : Task.FromResult(_values.GetValueOrDefault((userId, key)));
    }

    public Task SetAsync(string userId, string key, string value, CancellationToken cancellationToken)
    {
        if (FailWith is not null)
        {
            return Task.FromException(FailWith);
        }

        _values[(userId, key)] = value;
        return Task.CompletedTask;
    }

    public string? Peek(string userId, string key) => _values.GetValueOrDefault((userId, key));
}
