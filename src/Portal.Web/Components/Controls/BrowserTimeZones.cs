using System.Globalization;
using Microsoft.JSInterop;

namespace Portal.Web.Components.Controls;

/// <summary>A time zone to show times in, with the label a column heading gives it ("UTC", "your time: Europe/Paris").</summary>
public sealed record BrowserTimeZone(TimeZoneInfo Zone, string Label)
{
    public static BrowserTimeZone Utc { get; } = new(TimeZoneInfo.Utc, "UTC");

    public string Format(DateTimeOffset value) =>
        TimeZoneInfo.ConvertTime(value, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// The browser's time zone, asked once per circuit (the server's own zone says nothing of the user's). Until the
/// browser answers, or when it cannot, times are in UTC and say so.
/// </summary>
public sealed class BrowserTimeZones(IJSRuntime js, ILogger<BrowserTimeZones> logger)
{
    private BrowserTimeZone? _zone;

    public async Task<BrowserTimeZone> GetAsync(CancellationToken cancellationToken)
    {
        if (_zone is not null)
        {
            return _zone;
        }

        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference?>("import", cancellationToken, "./js/timezone.js");
            var id = module is null ? null : await module.InvokeAsync<string?>("timeZone", cancellationToken);
            _zone = id is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
                ? new BrowserTimeZone(zone, $"your time: {id}")
                : BrowserTimeZone.Utc;
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException)
        {
            logger.LogDebug(ex, "The browser's time zone is unknown; times are shown in UTC");
            return BrowserTimeZone.Utc;
        }

        return _zone;
    }
}
