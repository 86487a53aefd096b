namespace Portal.Web.Exports;

/// <summary><c>Portal:Exports</c>: how many catalog and benchmark exports one client may run at once.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Portal:Exports";

    /// <summary>Exports one client (remote IP address) may have streaming at once; one more is refused with 429.</summary>
    public int MaxConcurrentPerClient { get; set; } = 4;
}
