using MudBlazor;

namespace Portal.Web.Components.Controls;

/// <summary>The one way the portal asks before it removes something: a dialog where only the named action goes ahead.</summary>
public static class ConfirmDialogs
{
    /// <returns>True only when the user chose <paramref name="action"/>; Escape, the close button and <paramref name="keep"/> keep everything.</returns>
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string action = "Delete", string keep = "Keep")
    {
        ArgumentNullException.ThrowIfNull(dialogs);
        return await dialogs.ShowMessageBoxAsync(title, message, yesText: action, cancelText: keep) == true;
    }
}
