using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Web.Components.Pages.Settings;

public sealed partial class Settings : PortalComponentBase
{
    private HealthCheckResult? _health;

    [Inject]
    public required IOptions<StorageOptions> Storage { get; init; }

    [Inject]
    public required StoreHealthCheck StoreHealth { get; init; }

    private string ProviderLabel => Storage.Value.Provider == StorageProvider.PostgreSql ? "PostgreSQL" : "SQLite (embedded)";

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _health = await StoreHealth.CheckHealthAsync(new HealthCheckContext(), ComponentToken);
        }
        catch (OperationCanceledException)
        {
            // The user left the page.
        }
    }
}
