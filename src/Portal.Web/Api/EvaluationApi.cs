using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Playground.Inference;
using Portal.Web.Access;
using Portal.Web.Evaluations;

namespace Portal.Web.Api;

/// <summary>What <c>POST /api/evaluations</c> takes.</summary>
/// <param name="Name">The run's name (up to 200 characters; default: the dataset's name and the time).</param>
/// <param name="DatasetId">A stored dataset (its latest version unless datasetVersion is given); or give rows.</param>
/// <param name="DatasetVersion">A version of the dataset.</param>
/// <param name="Rows">Inline rows instead of a dataset: [{ "input": "question" or [{ "role", "content" }], "expected": "…" }].</param>
/// <param name="Targets">1-4 targets: a connection's name (as in Settings → Connections) and a model or deployment name.</param>
/// <param name="Scorers">exact-match, substring-match, substring-match-ci, regex:&lt;pattern&gt;, json-valid, json-field:&lt;path&gt;, numeric:&lt;tolerance&gt;, judge:coherence|fluency|groundedness|relevance|similarity.</param>
/// <param name="Judge">The judge model for judge: scorers.</param>
/// <param name="JudgePrompts">Edited judge prompts by scorer id (must contain {answer}; may use {question}, {expected}, {context}).</param>
/// <param name="Concurrency">Calls at once per target, 1-16 (default 4).</param>
public sealed record EvaluationRequest(
    string? Name,
    Guid? DatasetId,
    int? DatasetVersion,
    IReadOnlyList<EvaluationRowRequest?>? Rows,
    IReadOnlyList<EvaluationTargetRequest?>? Targets,
    IReadOnlyList<string?>? Scorers,
    EvaluationJudgeRequest? Judge,
    IReadOnlyDictionary<string, string>? JudgePrompts,
    int? Concurrency);

/// <param name="Input">A question (string) or a messages array [{ "role": "system|user|assistant", "content": "…" }].</param>
/// <param name="Expected">The expected answer (a string, number or true/false).</param>
/// <param name="Metadata">More fields by name (context is used by judge:groundedness).</param>
public sealed record EvaluationRowRequest(JsonElement? Input, JsonElement? Expected, IReadOnlyDictionary<string, string>? Metadata);

public sealed record EvaluationTargetRequest(string? Connection, string? Model, string? SystemPrompt, EvaluationParametersRequest? Parameters);

public sealed record EvaluationParametersRequest(double? Temperature, double? TopP, int? MaxTokens, IReadOnlyList<string>? Stop, double? PresencePenalty, double? FrequencyPenalty, long? Seed, bool? JsonResponse);

public sealed record EvaluationJudgeRequest(string? Connection, string? Model);

/// <summary>
/// The evaluations HTTP API, for CI pipelines: start a run, read its status and results, cancel it, list datasets.
/// Reading is open to every signed-in caller; starting and cancelling are checked by the service (403 problem details)
/// and, with sign-in on, taken only with a bearer token and a JSON body.
/// </summary>
public static class EvaluationApi
{
    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var signInRequired = AuthOptions.Read(endpoints.ServiceProvider.GetRequiredService<IConfiguration>()).SignInRequired;

        var evaluations = endpoints.MapGroup("/api/evaluations").WithTags("Evaluations").AddEndpointFilter(ManageApi.DeniedAs403);
        ManageApi.Changes(evaluations.MapPost("", StartAsync), signInRequired)
            .AddOpenApiOperationTransformer(ManageApi.JsonBody<EvaluationRequest>)
            .WithName("StartEvaluation")
            .WithSummary("Queue an evaluation run: a dataset (or inline rows) × 1-4 targets, scored by the chosen scorers")
            .WithDescription("202 Accepted with { id } and a Location header (GET it for the status and results); 400 validation problem details whose errors name each bad field (targets[1].model, scorers[0], rows[3].input…). The run goes on in the background and resumes after a restart." + ManageApi.AccessDescription);
        evaluations.MapGet("", ListAsync)
            .WithName("ListEvaluations")
            .WithSummary("Every evaluation run, newest first, with its status, counts and per-target summary");
        evaluations.MapGet("{id:guid}", GetAsync)
            .WithName("GetEvaluation")
            .WithSummary("One run: status (queued|running|completed|failed|cancelled), counts, and per target the scores (means, 0-1; a judge's 1-5 mean normalised as (mean-1)/4), latency p50/p95, tokens and estimated cost")
            .WithDescription("scoreDetails gives each scorer's mean on its own scale with a 95 % interval (Wilson for 0/1 scorers, Student's t for 1-5 judges). 404 for an unknown id.");
        evaluations.MapGet("{id:guid}/rows", RowsAsync)
            .WithName("GetEvaluationRows")
            .WithSummary("Every row of a run: its input, expected answer, and each target's answer, error, timings, tokens, scores (with a judge's reasoning and raw answer) and trace id")
            .WithDescription("404 for an unknown id.");
        ManageApi.Changes(evaluations.MapPost("{id:guid}/cancel", CancelAsync), signInRequired)
            .WithName("CancelEvaluation")
            .WithSummary("Stop a queued or running run; the answers that finished are kept")
            .WithDescription("200 with the run; 404 for an unknown id. Someone else's run needs the Contributor role." + ManageApi.AccessDescription);

        endpoints.MapGroup("/api/datasets").WithTags("Evaluations").MapGet("", async (IDatasetService datasets, CancellationToken cancellationToken) =>
                TypedResults.Ok(new { items = await datasets.ListAsync(cancellationToken) }))
            .WithName("ListDatasets")
            .WithSummary("The evaluation datasets: id (for POST /api/evaluations), name, latest version, rows, owner");
        return endpoints;
    }

    private static async Task<Results<Accepted<object>, ValidationProblem, ProblemHttpResult>> StartAsync(HttpRequest http, IEvaluationService service, CancellationToken cancellationToken)
    {
        var (request, unreadable) = await ManageApi.ReadJsonAsync<EvaluationRequest>(http, cancellationToken);
        if (request is null)
        {
            return unreadable!;
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var spec = ToSpec(request, problems);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "The evaluation was not started", detail: "Fix the fields named in errors.");
        }

        var result = await service.StartAsync(spec, cancellationToken);
        return result.Id is { } id
            ? TypedResults.Accepted($"/api/evaluations/{id}", (object)new { id })
            : TypedResults.ValidationProblem(result.Problems, title: "The evaluation was not started", detail: "Fix the fields named in errors.");
    }

    /// <summary>The spec the request describes; what cannot even be read (an input that is neither text nor messages) goes to <paramref name="problems"/>.</summary>
    private static EvaluationSpec ToSpec(EvaluationRequest request, Dictionary<string, string[]> problems)
    {
        List<DatasetRow>? rows = null;
        if (request.Rows is { } given)
        {
            rows = [];
            for (var i = 0; i < given.Count; i++)
            {
                var row = given[i];
                var node = row?.Input is { } element ? JsonNode.Parse(element.GetRawText()) : null;
                var input = DatasetParser.ReadInput(node, out var problem);
                if (input is null)
                {
                    problems[$"rows[{i}].input"] = [problem ?? "Give the input."];
                    continue;
                }

                string? expected = null;
                if (row!.Expected is { } e)
                {
                    switch (e.ValueKind)
                    {
                        case JsonValueKind.String:
                            expected = e.GetString();
                            break;
                        case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                            expected = e.GetRawText();
                            break;
                        case JsonValueKind.Null:
                            break;
                        default:
                            problems[$"rows[{i}].expected"] = ["Give the expected answer as a string, a number or true/false."];
                            break;
                    }
                }

                rows.Add(new DatasetRow(i + 1, input, expected, row.Metadata ?? new Dictionary<string, string>()));
            }
        }

        var targets = new List<EvaluationTargetSpec>();
        for (var i = 0; i < (request.Targets?.Count ?? 0); i++)
        {
            var t = request.Targets![i];
            if (t is null)
            {
                problems[$"targets[{i}]"] = ["Give the target's connection and model."];
                continue;
            }

            var p = t.Parameters;
            targets.Add(new EvaluationTargetSpec(t.Connection ?? "", t.Model ?? "", t.SystemPrompt, p is null ? null : new GenerationParameters
            {
                Temperature = p.Temperature,
                TopP = p.TopP,
                MaxTokens = p.MaxTokens,
                Stop = p.Stop ?? [],
                PresencePenalty = p.PresencePenalty,
                FrequencyPenalty = p.FrequencyPenalty,
                Seed = p.Seed,
                JsonResponse = p.JsonResponse ?? false,
            }));
        }

        return new EvaluationSpec(
            request.Name ?? "",
            request.DatasetId,
            request.DatasetVersion,
            rows,
            targets,
            [.. (request.Scorers ?? []).Select(s => s ?? "")],
            request.Judge is { } j ? new JudgeSpec(j.Connection ?? "", j.Model ?? "") : null,
            request.JudgePrompts,
            request.Concurrency ?? 4);
    }

    private static async Task<Ok<object>> ListAsync(IEvaluationService service, CancellationToken cancellationToken) =>
        TypedResults.Ok((object)new { items = (await service.ListAsync(cancellationToken)).Select(EvaluationDocuments.Run) });

    private static async Task<Results<Ok<object>, ProblemHttpResult>> GetAsync(Guid id, IEvaluationService service, CancellationToken cancellationToken) =>
        await service.GetAsync(id, cancellationToken) is { } run ? TypedResults.Ok(EvaluationDocuments.Run(run)) : NotFound(id);

    private static async Task<Results<Ok<object>, ProblemHttpResult>> RowsAsync(Guid id, IEvaluationService service, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        return TypedResults.Ok((object)new { items = (await service.RowsAsync(id, cancellationToken)).Select(EvaluationDocuments.Row) });
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> CancelAsync(Guid id, IEvaluationService service, CancellationToken cancellationToken)
    {
        if (await service.GetAsync(id, cancellationToken) is null)
        {
            return NotFound(id);
        }

        await service.CancelAsync(id, cancellationToken);
        return TypedResults.Ok(EvaluationDocuments.Run((await service.GetAsync(id, cancellationToken))!));
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no evaluation run {id}.");
}
