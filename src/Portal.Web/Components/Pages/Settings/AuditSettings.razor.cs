using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Portal.Data.Access;
using Portal.Web.Access;

namespace Portal.Web.Components.Pages.Settings;

/// <summary>Settings → Audit: the audit log, filtered and paged by the address (so a view can be shared), and its CSV export.</summary>
public sealed partial class AuditSettings : PortalComponentBase
{
    public const int PageSize = 50;

    private AuditFilter _filter = new();
    private int _page = 1;
    private IReadOnlyList<AuditEntryRow>? _items;
    private int _total;
    private string? _denied;
    private string? _loadError;

    [SupplyParameterFromQuery(Name = "from")]
    public string? QueryFrom { get; set; }

    [SupplyParameterFromQuery(Name = "to")]
    public string? QueryTo { get; set; }

    [SupplyParameterFromQuery(Name = "user")]
    public string? QueryUser { get; set; }

    [SupplyParameterFromQuery(Name = "action")]
    public string? QueryAction { get; set; }

    [SupplyParameterFromQuery(Name = "outcome")]
    public string? QueryOutcome { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public int? QueryPage { get; set; }

    [Inject]
    public required AuditReader Reader { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IOptions<AuditOptions> AuditOptions { get; init; }

    [Inject]
    public required AccessControl Access { get; init; }

    [Inject]
    public required ILogger<AuditSettings> Logger { get; init; }

    private int RetentionDays => AuditOptions.Value.RetentionDays;

    private int Skip => (_page - 1) * PageSize;

    private int PageCount => Math.Max(1, (_total + PageSize - 1) / PageSize);

    protected override async Task OnParametersSetAsync()
    {
        var filter = AuditFilter.Parse(QueryFrom, QueryTo, QueryUser, QueryAction, QueryOutcome);
        var page = Math.Max(1, QueryPage ?? 1);
        if (_items is null || filter != _filter || page != _page)
        {
            _filter = filter;
            _page = page;
            await LoadAsync();
        }
    }

    /// <summary>Shows another filter or page: the address changes (for bookmarks and sharing) and the entries are read again.</summary>
    private async Task ApplyAsync(AuditFilter filter, int page = 1)
    {
        _filter = filter;
        _page = Math.Max(1, page);
        Navigation.NavigateTo(PortalUrls.Audit(_filter, _page));
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            // The page hides what the role does not allow (merely opening it is not an attempt worth an audit entry);
            // the service checks again, and refuses, if the role changes meanwhile.
            var role = await Access.RoleAsync(ComponentToken);
            if (role is not { } r || !r.Allows(PortalAction.ReadAuditLog))
            {
                _denied = role is { } actual ? $"Your role is {actual.Label()}." : "Sign in with the Owner role to use this page.";
                return;
            }

            var (items, total) = await Reader.QueryAsync(_filter.ToQuery(Skip, PageSize), ComponentToken);
            _items = items;
            _total = total;
            _loadError = null;
        }
        catch (PortalAccessDeniedException ex)
        {
            _denied = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogWarning(ex, "Could not read the audit log");
            _loadError = "The audit log could not be read from the store just now. Try again in a moment.";
        }
    }

    private static string? DateText(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
