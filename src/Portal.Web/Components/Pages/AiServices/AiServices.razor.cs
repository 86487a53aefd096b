using Microsoft.AspNetCore.Components;
using Portal.Azure;
using Portal.Web.AiServices;
using Portal.Web.Azure;

namespace Portal.Web.Components.Pages.AiServices;

/// <summary>
/// /services: the AI services directory (<see cref="AiServicesDirectory"/>), filtered by <c>?q=</c>, with the user's
/// own accounts for each service. The directory needs no Azure; the accounts are looked up once the circuit is up.
/// </summary>
public sealed partial class AiServices
{
    [Inject]
    public required AiServicesDirectory Directory { get; init; }

    [Inject]
    public required AzureContext Azure { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "q")]
    public string? Query { get; set; }

    private IReadOnlyList<AiServiceEntry> _shown = [];
    private string? _query;
    private AccountDiscovery? _accounts;
    private bool _notConfigured;
    private bool _looked;

    protected override void OnParametersSet() => Filter();

    /// <summary>The directory first (it needs nothing), then the user's accounts.</summary>
    protected override async Task OnInitializedAsync()
    {
        // OnInitializedAsync runs before OnParametersSet: the first render already shows the filtered directory.
        Filter();
        try
        {
            // Whether Azure is set up at all is in the store, not in Azure: say so at once, even prerendered.
            _notConfigured = (await Azure.SubscriptionsAsync(ComponentToken)).Count == 0;
            if (_notConfigured || !IsInteractive || _looked)
            {
                return;
            }

            _looked = true;
            _accounts = await Azure.DiscoverAccountsAsync(false, ComponentToken);
        }
        catch (ArmException ex)
        {
            _accounts = new AccountDiscovery([], [ex.Error.Message], DateTimeOffset.UtcNow);
        }
        catch (OperationCanceledException) when (ComponentToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private void Filter()
    {
        _query = Query;
        _shown = Directory.Search(Query);
    }

    private Task SearchAsync()
    {
        Navigation.NavigateTo(PortalUrls.Services(_query));
        return Task.CompletedTask;
    }
}
