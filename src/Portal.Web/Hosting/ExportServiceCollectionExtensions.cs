using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Web.Exports;

namespace Portal.Web.Hosting;

internal static class ExportServiceCollectionExtensions
{
    /// <summary>The rate-limiting policy on the export endpoints (and only on them).</summary>
    public const string ExportPolicy = "exports";

    /// <summary>
    /// What a refused export is told to wait. A concurrency limit cannot know when a running export ends; this is a guess
    /// (a whole-catalog export takes seconds on a local network), not a promise.
    /// </summary>
    public const int RetryAfterSeconds = 10;

    /// <summary>
    /// <c>Portal:Exports</c>, validated at start, and a per-client concurrency limit on exports: a client with
    /// <see cref="ExportOptions.MaxConcurrentPerClient"/> exports streaming gets 429 for one more, at once (no queue).
    /// </summary>
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExportOptions>, ExportOptionsValidator>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(ExportPolicy, context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<ExportOptions>>().Value.MaxConcurrentPerClient;
                // The client is its remote address: the portal has no signed-in users yet (then it would be the user).
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetConcurrencyLimiter(client, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limit,
                    QueueLimit = 0,
                });
            });
            options.OnRejected = static (context, _) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many exports at once",
                    detail: "Too many exports at once from this client; wait for one to finish, then try again.")
                    .ExecuteAsync(http));
            };
        });
        return services;
    }
}
