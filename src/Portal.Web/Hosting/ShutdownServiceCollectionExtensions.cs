using Microsoft.Extensions.Options;
using Portal.Web.Playground;
using Portal.Web.Tracing;

namespace Portal.Web.Hosting;

/// <summary><c>Portal:Shutdown</c>: how long a stop (SIGTERM, a restart, a slot swap) may take.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Portal:Shutdown";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Room for the pages to save their sessions and the ending model calls to be traced (5 s each), then the last writes.</summary>
    public static readonly TimeSpan MinTimeout = PlaygroundShutdown.SaveTimeout + TraceWriter.EndingCallsWait;

    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The host's <see cref="HostOptions.ShutdownTimeout"/>: how long the hosted services (playground saves, the trace
    /// writer's last batch, evaluation runs checkpointing) get to stop before the process ends anyway.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    internal static bool IsValid(TimeSpan timeout) => timeout >= MinTimeout && timeout <= MaxTimeout;
}

/// <summary>Collects every problem with <c>Portal:Shutdown</c>.</summary>
internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options) =>
        ShutdownOptions.IsValid(options.Timeout)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{ShutdownOptions.SectionName}:Timeout '{options.Timeout}' must be between {ShutdownOptions.MinTimeout} and {ShutdownOptions.MaxTimeout}, for example 00:00:30.");
}

internal static class ShutdownServiceCollectionExtensions
{
    /// <summary>
    /// A stop is graceful: new requests get 503 once it starts (<see cref="PortalServiceCollectionExtensions.UsePortalPipeline"/>),
    /// streams end and their answers are saved (<see cref="PlaygroundShutdown"/>), the traces still queued are written
    /// (<see cref="TraceWriter"/>), and evaluation runs store what finished and resume at the next start — all within
    /// <c>Portal:Shutdown:Timeout</c>, which becomes the host's <see cref="HostOptions.ShutdownTimeout"/>.
    /// </summary>
    public static IServiceCollection AddGracefulShutdown(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>().Bind(configuration.GetSection(ShutdownOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();

        // Read from configuration, not from the validated options: the host reads its options while it is being built,
        // before the start-up validation reports a bad value (which then keeps the portal from starting at all).
        services.AddOptions<HostOptions>().Configure(host =>
        {
            var timeout = configuration.GetSection(ShutdownOptions.SectionName).Get<ShutdownOptions>()?.Timeout ?? ShutdownOptions.DefaultTimeout;
            if (ShutdownOptions.IsValid(timeout))
            {
                host.ShutdownTimeout = timeout;
            }
        });
        return services;
    }
}
