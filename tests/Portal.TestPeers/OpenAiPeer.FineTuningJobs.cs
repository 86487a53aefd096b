using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>Faults for following fine-tuning jobs: reads of a job (status, events, checkpoints) refused with 429 for a while.</summary>
public sealed partial class OpenAiPeer
{
    private int _refusedJobReads;
    private int _jobReadRetryAfter = 1;

    /// <summary>Answers the next <paramref name="count"/> reads of any fine-tuning job (GET …/fine_tuning/jobs/{id}…) with 429 and Retry-After.</summary>
    public void RefuseFineTuningReads(int count, int retryAfterSeconds)
    {
        Volatile.Write(ref _jobReadRetryAfter, retryAfterSeconds);
        Volatile.Write(ref _refusedJobReads, count);
    }

    /// <summary>How many job reads are still to be refused.</summary>
    public int RefusedFineTuningReadsLeft => Math.Max(0, Volatile.Read(ref _refusedJobReads));

    private async Task<bool> RefuseJobReadAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !context.Request.Path.Value!.Contains("/fine_tuning/jobs/", StringComparison.Ordinal)
            || Volatile.Read(ref _refusedJobReads) <= 0 || Interlocked.Decrement(ref _refusedJobReads) < 0)
        {
            return false;
        }

        var wait = Volatile.Read(ref _jobReadRetryAfter);
        context.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Error(context, 429, $"Rate limit reached for fine-tuning job reads. Please retry after {wait} seconds.", "rate_limit_exceeded").ConfigureAwait(false);
        return true;
    }
}
