using Azure.Identity;
using Microsoft.Azure.SignalR;

namespace Portal.Web.Hosting;

/// <summary>
/// Azure SignalR Service as the circuit transport, for scale-out beyond sticky sessions: switched on by
/// <c>Azure:SignalR:ConnectionString</c> (an access key, or <c>AuthType=azure.msi</c> for a managed identity) or
/// <c>Azure:SignalR:Endpoint</c> (signs in with <c>DefaultAzureCredential</c>). Without either, circuits use the app's
/// own WebSocket endpoint, as before.
/// </summary>
internal static class AzureSignalRServiceCollectionExtensions
{
    public const string ConnectionStringKey = "Azure:SignalR:ConnectionString";
    public const string EndpointKey = "Azure:SignalR:Endpoint";

    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[ConnectionStringKey]) || !string.IsNullOrWhiteSpace(configuration[EndpointKey]);

    public static IServiceCollection AddPortalAzureSignalR(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        // Checked here, before the SDK sees it: its own errors would print the connection string, access key included.
        // A problem stops the start with one line that names the setting (as every other setting's validation does).
        var problem = Problem(configuration);
        if (problem is not null)
        {
            services.AddOptions<AzureSignalRSettings>().Validate(_ => false, problem).ValidateOnStart();
            return services;
        }

        var connectionString = configuration[ConnectionStringKey];
        var endpoint = configuration[EndpointKey];
        services.AddSignalR().AddAzureSignalR(options =>
        {
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                options.ConnectionString = connectionString;
            }
            else
            {
                options.Endpoints = [new ServiceEndpoint(new Uri(endpoint!), new DefaultAzureCredential())];
            }

            // A Blazor circuit is a conversation with one server: every message of a client must reach the server that
            // holds its circuit.
            options.ServerStickyMode = ServerStickyMode.Required;
        });
        return services;
    }

    /// <summary>What is wrong with the Azure SignalR settings, in one sentence that never repeats the access key.</summary>
    internal static string? Problem(IConfiguration configuration)
    {
        var connectionString = configuration[ConnectionStringKey];
        var endpoint = configuration[EndpointKey];
        if (!string.IsNullOrWhiteSpace(connectionString) && !string.IsNullOrWhiteSpace(endpoint))
        {
            return $"Set {ConnectionStringKey} or {EndpointKey}, not both.";
        }

        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => part.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => group.First()[1], StringComparer.OrdinalIgnoreCase);
            if (!parts.TryGetValue("Endpoint", out var address) || !IsServiceAddress(address))
            {
                return $"{ConnectionStringKey} needs Endpoint=https://<name>.service.signalr.net (it has no valid Endpoint).";
            }

            if (!parts.ContainsKey("AccessKey") && !parts.ContainsKey("AuthType"))
            {
                return $"{ConnectionStringKey} needs an AccessKey, or AuthType=azure.msi to sign in with the app's managed identity.";
            }

            return null;
        }

        return IsServiceAddress(endpoint) ? null : $"{EndpointKey} must be an absolute https:// address (https://<name>.service.signalr.net).";
    }

    // http only on loopback (the local emulator, tests); the service itself is always https.
    private static bool IsServiceAddress(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}

/// <summary>Stands for the Azure SignalR settings in start-up validation.</summary>
internal sealed class AzureSignalRSettings;
