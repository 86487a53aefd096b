using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// Upload faults for the training data tests, chosen by the uploaded file's name: a name containing <c>fault-400</c> is
/// refused as an invalid training file (400 invalid_training_file, as a provider whose own checks go further than the
/// portal's would), <c>fault-429</c> is rate limited (429, Retry-After 7). Nothing is stored for either.
/// </summary>
public sealed partial class OpenAiPeer
{
    private static IResult? UploadFault(HttpContext context, string fileName)
    {
        if (fileName.Contains("fault-400", StringComparison.Ordinal))
        {
            return Fault(400, "The training file has examples the provider refused: line 3 exceeds the maximum number of tokens for this model.", "invalid_training_file", "file");
        }

        if (fileName.Contains("fault-429", StringComparison.Ordinal))
        {
            context.Response.Headers.RetryAfter = "7";
            return Fault(429, "Rate limit reached for file uploads. Please retry after 7 seconds.", "rate_limit_exceeded");
        }

        return null;
    }
}
