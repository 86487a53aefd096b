using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Data.Tracing;
using Portal.Web.Access;

namespace Portal.Web.Tracing;

/// <summary>An estimated cost: US dollars, low and high over the community price map's offers for the model.</summary>
public sealed record TraceCostDto(double LowUsd, double HighUsd, string PriceOf, string Source);

/// <summary>
/// A model call as the API shows it. The list leaves out the content (<c>messages</c>, <c>parameters</c>,
/// <c>response</c>, <c>contentFilter</c> are null there); <c>GET /api/traces/{id}</c> has it (when it was captured).
/// </summary>
public sealed record TraceDto(
    Guid Id,
    DateTimeOffset Started,
    string User,
    string Connection,
    string ServerAddress,
    string Provider,
    string Model,
    string Operation,
    string Feature,
    Guid? RunId,
    string Status,
    string? FinishReason,
    double? TimeToFirstTokenMs,
    double TotalMs,
    int? InputTokens,
    int? OutputTokens,
    bool TokensEstimated,
    TraceCostDto? Cost,
    string? ErrorType,
    string? Error,
    bool ContentCaptured,
    JsonElement? Messages = null,
    JsonElement? Parameters = null,
    string? Response = null,
    JsonElement? ContentFilter = null)
{
    public const string CostSource = "estimated from the unofficial community price map (LiteLLM), not the provider's bill";

    public static TraceDto From(TraceRow row, bool detail)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            row.Id, row.StartedUtc, row.UserId, row.Connection, row.ServerAddress, row.Provider, row.Model, row.Operation, row.Feature,
            row.RunId, row.Status, row.FinishReason, row.TimeToFirstTokenMs, row.TotalMs, row.InputTokens, row.OutputTokens,
            row.TokensEstimated,
            row.CostLowUsd is { } low && row.CostHighUsd is { } high ? new TraceCostDto(low, high, row.CostModel ?? row.Model, CostSource) : null,
            row.ErrorType, row.ErrorMessage, row.ContentCaptured,
            detail ? Json(row.Messages) : null,
            detail ? Json(row.Parameters) : null,
            detail ? row.Response : null,
            detail ? Json(row.ContentFilter) : null);
    }

    private static JsonElement? Json(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

/// <summary>The list's answer: the page of traces, newest first, and how many match in all.</summary>
public sealed record TraceListDto(IReadOnlyList<TraceDto> Items, int Total);

/// <summary><c>GET /api/traces</c> and <c>GET /api/traces/{id}</c>: the caller's model-call traces (everyone's for Owners).</summary>
public static class TracesApi
{
    public static IEndpointRouteBuilder MapTracesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/traces").WithTags("Traces");
        group.MapGet("", ListAsync)
            .WithName("ListTraces")
            .WithSummary("Model calls the portal made for the caller (everyone's with the Owner role), newest first")
            .WithDescription("Filters, all optional: model, connection (exact names), feature (chat, completions, images, compare, evaluation, judge, probe, connection-test), "
                + "operation (chat, text_completion, generate_content), status (ok, error, cancelled), user (someone else's traces: Owners only, otherwise 403), "
                + "q (text in the request, the response or the error), from, to (ISO 8601 dates — UTC days, both included — or date-times), limit (1-500, default 50). "
                + "A value that is not valid → 400 problem details naming the field. Items leave out the messages and the response; GET /api/traces/{id} has them. "
                + "Tokens are the provider's, or estimated (tokensEstimated); cost is an estimate from the unofficial community price map.");
        group.MapGet("{id:guid}", GetAsync)
            .WithName("GetTrace")
            .WithSummary("One model call with its request (messages, parameters) and response, when content capture was on")
            .WithDescription("404 problem details when there is no such trace, or it is someone else's and the caller is not an Owner.");
        return endpoints;
    }

    private static async Task<Results<Ok<TraceListDto>, ValidationProblem, ProblemHttpResult>> ListAsync(
        TraceService traces,
        string? model,
        string? connection,
        string? feature,
        string? operation,
        string? status,
        string? user,
        string? q,
        string? from,
        string? to,
        string? limit,
        CancellationToken cancellationToken)
    {
        if (TraceFilter.Problems(feature, operation, status, from, to, limit) is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems, title: "The filters are not valid");
        }

        var filter = TraceFilter.Parse(model, connection, feature, operation, status, user, q, from, to);
        var take = string.IsNullOrWhiteSpace(limit) ? 50 : int.Parse(limit, CultureInfo.InvariantCulture);
        try
        {
            var (items, total) = await traces.QueryAsync(filter, 0, take, cancellationToken);
            return TypedResults.Ok(new TraceListDto([.. items.Select(t => TraceDto.From(t, detail: false))], total));
        }
        catch (PortalAccessDeniedException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: ex.Message);
        }
    }

    private static async Task<Results<Ok<TraceDto>, ProblemHttpResult>> GetAsync(Guid id, TraceService traces, CancellationToken cancellationToken) =>
        await traces.GetAsync(id, cancellationToken) is { } row
            ? TypedResults.Ok(TraceDto.From(row, detail: true))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no trace {id} that you can read.");
}
