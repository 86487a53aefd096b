using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Portal.Web.Components.Controls;

/// <summary>Copies a text to the clipboard (the only thing here that needs the browser).</summary>
public sealed partial class CopyButton : IAsyncDisposable
{
    private IJSObjectReference? _module;
    private bool _copied;
    private bool _failed;

    [Parameter, EditorRequired]
    public required string Text { get; set; }

    [Parameter]
    public string Label { get; set; } = "Copy";

    // The label should start with "Copy" (the visible text), e.g. "Copy the Python code".

    [Inject]
    public required IJSRuntime JS { get; init; }

    [Inject]
    public required ISnackbar Snackbar { get; init; }

    private async Task CopyAsync()
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./Components/Controls/CopyButton.razor.js");
            _copied = await _module.InvokeAsync<bool>("copyText", Text);
            _failed = !_copied;
            if (_copied)
            {
                Snackbar.Add("Copied to the clipboard.", Severity.Success);
            }
        }
        catch (JSException)
        {
            _failed = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
    }
}
