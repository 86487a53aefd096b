using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Portal.Web.Components;

/// <summary>
/// What every page of the portal owns: a <see cref="ComponentToken"/> cancelled when the page goes away (so work it
/// started is not left running for nobody), state changes made from any thread on the renderer
/// (<see cref="UpdateAsync(Action)"/>), and <see cref="IsInteractive"/> for controls that need the live circuit.
/// </summary>
public abstract class PortalComponentBase : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _lifetime;

    protected PortalComponentBase()
    {
        _lifetime = new CancellationTokenSource();
        ComponentToken = _lifetime.Token;
    }

    /// <summary>The page's sign-in; a new one arrives when the circuit's user changes (role changed, signed out).</summary>
    [CascadingParameter]
    private Task<AuthenticationState>? Authentication { get; set; }

    private Task<AuthenticationState>? _seenAuthentication;

    /// <summary>Cancelled when the component is disposed (the user left the page or closed the tab); still readable after.</summary>
    protected CancellationToken ComponentToken { get; }

    /// <summary>Whether the component was disposed; a late callback must not touch the page any more.</summary>
    protected bool IsDisposed { get; private set; }

    /// <summary>
    /// False while the page is prerendered (no circuit yet): controls that act must be disabled, or say they are
    /// waiting, so that a click is never silently lost.
    /// </summary>
    protected bool IsInteractive => RendererInfo.IsInteractive;

    public override async Task SetParametersAsync(ParameterView parameters)
    {
        await base.SetParametersAsync(parameters);
        var changed = _seenAuthentication is not null && !ReferenceEquals(_seenAuthentication, Authentication);
        _seenAuthentication = Authentication;
        if (changed && !IsDisposed)
        {
            await OnAccessChangedAsync();
            StateHasChanged();
        }
    }

    /// <summary>
    /// Runs when the user's sign-in changed in an open page (an Owner changed the role, the user signed out
    /// elsewhere): pages that show or hide controls by role check again here. The services check on every action anyway.
    /// </summary>
    protected virtual Task OnAccessChangedAsync() => Task.CompletedTask;

    /// <summary>Changes page state on the renderer's thread and renders, from any thread (progress callbacks, timers).</summary>
    protected Task UpdateAsync(Action change) => IsDisposed ? Task.CompletedTask : InvokeAsync(() =>
    {
        if (!IsDisposed)
        {
            change();
            StateHasChanged();
        }
    });

    /// <summary>An <see cref="IProgress{T}"/> whose reports change page state on the renderer (see <see cref="UpdateAsync(Action)"/>).</summary>
    protected IProgress<T> ProgressOnRenderer<T>(Action<T> report) => new RendererProgress<T>(value => _ = UpdateAsync(() => report(value)));

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        if (disposing)
        {
            _lifetime.Cancel();
            _lifetime.Dispose();
        }
    }

    private sealed class RendererProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
