using AngleSharp.Dom;
using Microsoft.AspNetCore.Components;

namespace Portal.Components.Tests;

/// <summary>
/// Finds an element and dispatches its event in one callback on the renderer's thread.
/// </summary>
/// <remarks>
/// A page re-renders from its own async continuations (a list it loaded, a validation that followed the previous change),
/// on the renderer's thread. Found on the test thread, an element carries the event handler id of the render it was found
/// in; if a render lands between the find and the dispatch, that id has been replaced and bUnit throws
/// <see cref="Bunit.Rendering.UnknownEventHandlerIdException"/>. Within one dispatcher callback no other render can
/// interleave, so the element found is the element acted on. Like bUnit's synchronous <c>Change</c>/<c>Click</c>, these
/// return once the handler's synchronous part and its render are done, not when the handler's awaited work ends.
/// </remarks>
public static class RendererActions
{
    /// <summary>Finds <paramref name="selector"/> and raises its <c>onchange</c> with <paramref name="value"/>.</summary>
    public static Task ChangeAsync<T>(this IRenderedComponent<T> cut, string selector, object? value)
        where T : IComponent => cut.InvokeAsync(() => cut.Find(selector).Change(value));

    /// <summary>Finds <paramref name="selector"/> and raises its <c>oninput</c> with <paramref name="value"/>.</summary>
    public static Task InputAsync<T>(this IRenderedComponent<T> cut, string selector, object? value)
        where T : IComponent => cut.InvokeAsync(() => cut.Find(selector).Input(value));

    /// <summary>Finds <paramref name="selector"/> (a form) and raises its <c>onsubmit</c>.</summary>
    public static Task SubmitAsync<T>(this IRenderedComponent<T> cut, string selector)
        where T : IComponent => cut.InvokeAsync(() => cut.Find(selector).Submit());

    /// <summary>Finds <paramref name="selector"/> and clicks it.</summary>
    public static Task ClickAsync<T>(this IRenderedComponent<T> cut, string selector)
        where T : IComponent => cut.InvokeAsync(() => cut.Find(selector).Click());

    /// <summary>Clicks the single element matching <paramref name="selector"/> for which <paramref name="which"/> holds.</summary>
    public static Task ClickAsync<T>(this IRenderedComponent<T> cut, string selector, Func<IElement, bool> which)
        where T : IComponent => cut.InvokeAsync(() => cut.FindAll(selector).Single(which).Click());

    /// <summary>Clicks the single button whose trimmed text is <paramref name="text"/>.</summary>
    public static Task ClickButtonAsync<T>(this IRenderedComponent<T> cut, string text)
        where T : IComponent => cut.ClickAsync("button", b => b.TextContent.Trim() == text);

    /// <summary>Clicks the single button whose <c>aria-label</c> is <paramref name="label"/>.</summary>
    public static Task ClickLabelledAsync<T>(this IRenderedComponent<T> cut, string label)
        where T : IComponent => cut.ClickAsync("button", b => b.GetAttribute("aria-label") == label);
}
