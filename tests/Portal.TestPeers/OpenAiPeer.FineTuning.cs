using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Portal.TestPeers;

/// <summary>
/// The files and fine-tuning jobs API, in the OpenAI style (<c>/v1/files</c>, <c>/v1/fine_tuning/jobs…</c>, 200 on create,
/// <c>queued</c>/<c>validating_files</c>, ids <c>ftjob-…</c>) and in Azure OpenAI's data-plane style
/// (<c>/openai/files</c>, <c>/openai/fine_tuning/jobs…?api-version=2024-10-21</c>, 201 with <c>location</c>, <c>pending</c>,
/// ids <c>ft-…</c>, fine-tuned models named <c>{model}.ft-…</c>), with the shapes of the published examples (as valid JSON).
/// <para>
/// A job's progress is scripted in time, one phase every <see cref="FineTuningStepInterval"/>: files validated, queued,
/// running (a <c>metrics</c> event per step out of <see cref="FineTuningSteps"/>, losses falling, a checkpoint each
/// third of the way), then succeeded with a fine-tuned model that the chat API then answers for. <see cref="HoldFineTuning"/>
/// stops the clock. Faults: base model <c>fault-401</c> (401), a base model not in <see cref="FineTunableModels"/> (404),
/// suffix <c>fault-400</c> (400 invalid_training_file), suffix <c>fault-429</c> (429, Retry-After 7), suffix
/// <c>fault-fail</c> (the job runs, then ends <c>failed</c> with its error), an uploaded file with a line that is not a chat
/// or preference example (400 invalid_file_format), an unknown file or job (404).
/// </para>
/// </summary>
public sealed partial class OpenAiPeer
{
    private readonly ConcurrentDictionary<string, PeerFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PeerJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _fineTuned = new(StringComparer.Ordinal);
    private int _sequence;
    private long _heldAtTicks;

    /// <summary>The base models the peer fine-tunes (any other is a 404).</summary>
    public HashSet<string> FineTunableModels { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "gpt-4o", "gpt-4o-2024-08-06", "gpt-35-turbo", "gpt-35-turbo-0125", "gpt-4", "gpt-4-0613",
    };

    /// <summary>How long each scripted phase of a job lasts.</summary>
    public TimeSpan FineTuningStepInterval { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How many training steps (metrics events) a job runs.</summary>
    public int FineTuningSteps { get; set; } = 9;

    /// <summary>Stops every job where it is (true) or lets them go on from there (false).</summary>
    public bool HoldFineTuning
    {
        get => Interlocked.Read(ref _heldAtTicks) != 0;
        set
        {
            var now = DateTimeOffset.UtcNow.UtcTicks;
            if (value)
            {
                Interlocked.CompareExchange(ref _heldAtTicks, now, 0);
                return;
            }

            var heldAt = Interlocked.Exchange(ref _heldAtTicks, 0);
            if (heldAt != 0)
            {
                foreach (var job in _jobs.Values)
                {
                    job.Paused += TimeSpan.FromTicks(now - heldAt);
                }
            }
        }
    }

    /// <summary>The files uploaded, by id (what the portal sent).</summary>
    public IReadOnlyDictionary<string, (string FileName, string Content)> UploadedFiles =>
        _files.ToDictionary(f => f.Key, f => (f.Value.FileName, f.Value.Content), StringComparer.Ordinal);

    /// <summary>The job requests received (their bodies), in order.</summary>
    public ConcurrentQueue<JsonObject> JobRequests { get; } = new();

    /// <summary>A job's current status as the peer would report it (for assertions).</summary>
    public string? JobStatus(string id) => _jobs.TryGetValue(id, out var job) ? Snapshot(job).Status : null;

    private bool IsFineTunedModel(string model) => _fineTuned.ContainsKey(model) || _jobs.Values.Any(j => Snapshot(j).FineTunedModel == model);

    private void MapFineTuning(WebApplication app)
    {
        foreach (var (prefix, azure) in new[] { ("/v1", false), ("/openai", true) })
        {
            app.MapGet(prefix + "/files", (HttpContext c) => Styled(c, azure, () => ListFiles(azure)));
            app.MapPost(prefix + "/files", (Delegate)((HttpContext c) => StyledAsync(c, azure, () => UploadAsync(c, azure))));
            app.MapGet(prefix + "/files/{id}", (HttpContext c, string id) => Styled(c, azure, () => _files.TryGetValue(id, out var f) ? Results.Json(FileJson(f, azure)) : NotFound($"No such File object: {id}")));
            app.MapDelete(prefix + "/files/{id}", (HttpContext c, string id) => Styled(c, azure, () => DeleteFile(id)));
            app.MapPost(prefix + "/fine_tuning/jobs", (Delegate)((HttpContext c) => StyledAsync(c, azure, () => CreateJobAsync(c, azure, prefix))));
            app.MapGet(prefix + "/fine_tuning/jobs", (HttpContext c) => Styled(c, azure, () => ListJobs(c)));
            app.MapGet(prefix + "/fine_tuning/jobs/{id}", (HttpContext c, string id) => Styled(c, azure, () => WithJob(id, job => Results.Json(JobJson(job)))));
            app.MapPost(prefix + "/fine_tuning/jobs/{id}/cancel", (HttpContext c, string id) => Styled(c, azure, () => WithJob(id, Cancel)));
            app.MapGet(prefix + "/fine_tuning/jobs/{id}/events", (HttpContext c, string id) => Styled(c, azure, () => WithJob(id, job => Events(c, job))));
            app.MapGet(prefix + "/fine_tuning/jobs/{id}/checkpoints", (HttpContext c, string id) => Styled(c, azure, () => WithJob(id, job => Checkpoints(c, job))));
        }
    }

    /// <summary>Azure's addresses need the api-version the portal speaks (Azure answers 404 for an unsupported one).</summary>
    private static IResult Styled(HttpContext context, bool azure, Func<IResult> handle) =>
        azure && context.Request.Query["api-version"] != "2024-10-21" ? NotFound("Resource not found") : handle();

    private static Task<IResult> StyledAsync(HttpContext context, bool azure, Func<Task<IResult>> handle) =>
        azure && context.Request.Query["api-version"] != "2024-10-21" ? Task.FromResult(NotFound("Resource not found")) : handle();

    private static IResult Fault(int status, string message, string code, string? param = null) =>
        Results.Json(new { error = new { message, type = status == 429 ? "requests" : "invalid_request_error", param, code } }, statusCode: status);

    private static IResult NotFound(string message) => Fault(404, message, "not_found");

    private string NextId(string prefix, bool azure) =>
        prefix + (azure ? Guid.NewGuid().ToString("N") : Convert.ToBase64String(Guid.NewGuid().ToByteArray()).Replace("+", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal)[..20])
        + "-" + Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);

    private IResult ListFiles(bool azure)
    {
        var data = _files.Values.Where(f => f.Azure == azure).OrderBy(f => f.Sequence).Select(f => FileJson(f, azure)).ToList();
        return Results.Json(new { @object = "list", data, first_id = data.Count > 0 ? data[0]["id"]!.GetValue<string>() : null, last_id = data.Count > 0 ? data[^1]["id"]!.GetValue<string>() : null, has_more = false });
    }

    private async Task<IResult> UploadAsync(HttpContext context, bool azure)
    {
        if (!context.Request.HasFormContentType)
        {
            return Fault(400, "Expected multipart/form-data with 'purpose' and 'file'.", "invalid_request");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (form.Files.GetFile("file") is not { } file)
        {
            return Fault(400, "Missing required parameter: 'file'.", "missing_required_parameter", "file");
        }

        if (UploadFault(context, file.FileName) is { } fault)
        {
            return fault;
        }

        if (form["purpose"] != "fine-tune")
        {
            return Fault(400, $"'{form["purpose"]}' is not one of ['fine-tune', 'assistants', 'batch', 'vision', 'user_data', 'evals'] - 'purpose'", "invalid_value", "purpose");
        }

        string content;
        using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8))
        {
            content = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (InvalidLine(content) is { } line)
        {
            return Fault(400, $"Invalid file format for fine-tuning: line {line} is not a chat (messages) or preference (input, preferred_output, non_preferred_output) example.", "invalid_file_format", "file");
        }

        var id = NextId("file-", azure);
        var peerFile = new PeerFile(id, file.FileName, content, Encoding.UTF8.GetByteCount(content), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), azure, Interlocked.Increment(ref _sequence));
        _files[id] = peerFile;
        return Results.Json(FileJson(peerFile, azure), statusCode: azure ? 201 : 200);
    }

    /// <summary>The first line (1-based) that is neither a chat nor a preference example; null when all are.</summary>
    private static int? InvalidLine(string content)
    {
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                var node = JsonNode.Parse(lines[i]) as JsonObject;
                var chat = node?["messages"] is JsonArray { Count: > 0 };
                var preference = node?["input"] is JsonObject && node["preferred_output"] is JsonArray && node["non_preferred_output"] is JsonArray;
                if (!chat && !preference)
                {
                    return i + 1;
                }
            }
            catch (JsonException)
            {
                return i + 1;
            }
        }

        return null;
    }

    private IResult DeleteFile(string id) => _files.TryRemove(id, out _)
        ? Results.Json(new { id, @object = "file", deleted = true })
        : NotFound($"No such File object: {id}");

    private static JsonObject FileJson(PeerFile f, bool azure)
    {
        var o = new JsonObject
        {
            ["id"] = f.Id,
            ["object"] = "file",
            ["bytes"] = f.Bytes,
            ["created_at"] = f.CreatedAt,
            ["expires_at"] = null,
            ["filename"] = f.FileName,
            ["purpose"] = "fine-tune",
        };
        if (azure)
        {
            o["status"] = "processed";
        }

        return o;
    }

    private async Task<IResult> CreateJobAsync(HttpContext context, bool azure, string prefix)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        if (body is null)
        {
            return Fault(400, "We could not parse the JSON body of your request.", "invalid_request");
        }

        JobRequests.Enqueue(body);
        var model = body["model"]?.GetValue<string>() ?? "";
        var training = body["training_file"]?.GetValue<string>() ?? "";
        var validation = body["validation_file"]?.GetValue<string>();
        var suffix = body["suffix"]?.GetValue<string>();
        if (model == "fault-401")
        {
            return Fault(401, "Incorrect API key provided.", "invalid_api_key");
        }

        if (suffix == "fault-429")
        {
            context.Response.Headers.RetryAfter = "7";
            return Fault(429, "Too many fine-tuning requests. Please retry after 7 seconds.", "rate_limit_exceeded");
        }

        if (!FineTunableModels.Contains(model))
        {
            return Fault(404, $"Model {model} is not available for fine-tuning or does not exist.", "model_not_found", "model");
        }

        if (!_files.TryGetValue(training, out var trainingFile) || trainingFile.Azure != azure)
        {
            return Fault(400, $"invalid training_file: {training}", "invalid_training_file", "training_file");
        }

        if (validation is not null && !_files.ContainsKey(validation))
        {
            return Fault(400, $"invalid validation_file: {validation}", "invalid_validation_file", "validation_file");
        }

        if (suffix == "fault-400")
        {
            return Fault(400, $"File {training} has 3 example(s), but must have at least 10 examples.", "invalid_training_file", "training_file");
        }

        var method = body["method"] as JsonObject;
        var type = method?["type"]?.GetValue<string>() ?? "supervised";
        var hyper = (method?[type]?["hyperparameters"] ?? body["hyperparameters"])?.DeepClone() as JsonObject ?? [];
        foreach (var name in type == "dpo" ? new[] { "n_epochs", "batch_size", "learning_rate_multiplier", "beta" } : ["n_epochs", "batch_size", "learning_rate_multiplier"])
        {
            hyper[name] ??= name == "beta" ? 0.1 : "auto";
        }

        var id = NextId(azure ? "ft-" : "ftjob-", azure);
        var job = new PeerJob(id, model, training, validation, suffix, type, hyper,
            body["seed"]?.GetValue<long>() ?? 42, DateTimeOffset.UtcNow, azure, suffix == "fault-fail", Math.Max(1, FineTuningSteps), FineTuningStepInterval);
        _jobs[id] = job;
        if (!azure)
        {
            return Results.Json(JobJson(job));
        }

        context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{prefix}/fine_tuning/jobs/{id}";
        return Results.Json(JobJson(job), statusCode: 201);
    }

    private IResult ListJobs(HttpContext context)
    {
        var limit = int.TryParse(context.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 20;
        var after = context.Request.Query["after"].ToString();
        var all = _jobs.Values.OrderByDescending(j => j.Created).ThenByDescending(j => j.Id, StringComparer.Ordinal).ToList();
        var start = string.IsNullOrEmpty(after) ? 0 : all.FindIndex(j => j.Id == after) + 1;
        var page = all.Skip(start).Take(limit).ToList();
        return Results.Json(new { @object = "list", data = page.Select(JobJson), has_more = start + page.Count < all.Count });
    }

    private IResult WithJob(string id, Func<PeerJob, IResult> handle) =>
        _jobs.TryGetValue(id, out var job) ? handle(job) : NotFound($"Could not find fine-tune job: {id}");

    private IResult Cancel(PeerJob job)
    {
        var now = Snapshot(job);
        if (now.Final)
        {
            return Fault(400, $"Job {job.Id} has already {now.Status}; it cannot be cancelled.", "invalid_request");
        }

        job.CancelledAtPhase = now.Phase;
        return Results.Json(JobJson(job));
    }

    private IResult Events(HttpContext context, PeerJob job)
    {
        var limit = int.TryParse(context.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 20;
        var after = context.Request.Query["after"].ToString();
        var all = Snapshot(job).Events; // newest first
        var start = string.IsNullOrEmpty(after) ? 0 : all.FindIndex(e => e["id"]!.GetValue<string>() == after) + 1;
        var page = all.Skip(start).Take(limit).ToList();
        return Results.Json(new { @object = "list", data = page, has_more = start + page.Count < all.Count });
    }

    private IResult Checkpoints(HttpContext context, PeerJob job)
    {
        var all = Snapshot(job).Checkpoints;
        return Results.Json(new
        {
            @object = "list",
            data = all,
            first_id = all.Count > 0 ? all[0]["id"]!.GetValue<string>() : null,
            last_id = all.Count > 0 ? all[^1]["id"]!.GetValue<string>() : null,
            has_more = false,
        });
    }

    private JsonObject JobJson(PeerJob job)
    {
        var s = Snapshot(job);
        var o = new JsonObject
        {
            ["object"] = "fine_tuning.job",
            ["id"] = job.Id,
            ["model"] = job.Model,
            ["created_at"] = job.Created.ToUnixTimeSeconds(),
            ["finished_at"] = s.Final ? job.Created.ToUnixTimeSeconds() + s.Phase : null,
            ["fine_tuned_model"] = s.FineTunedModel,
            ["result_files"] = s.Status == "succeeded" ? new JsonArray("file-results-" + job.Id) : new JsonArray(),
            ["status"] = s.Status,
            ["validation_file"] = job.ValidationFile,
            ["training_file"] = job.TrainingFile,
            ["trained_tokens"] = s.Status == "succeeded" ? 5768 : null,
            ["seed"] = job.Seed,
        };
        if (job.Azure)
        {
            o["hyperparameters"] = new JsonObject { ["n_epochs"] = job.Hyper["n_epochs"] is JsonValue v && v.TryGetValue<long>(out var e) ? e : -1 };
            o["suffix"] = job.Suffix;
            if (s.Status == "failed")
            {
                o["error"] = new JsonObject { ["code"] = "trainingFailed", ["message"] = FailureMessage, ["param"] = null };
            }

            return o;
        }

        o["organization_id"] = "org-portal-peer";
        o["user_provided_suffix"] = job.Suffix;
        o["estimated_finish"] = s.Final ? null : job.Created.ToUnixTimeSeconds() + job.TotalPhases;
        o["integrations"] = new JsonArray();
        o["metadata"] = null;
        o["method"] = new JsonObject { ["type"] = job.Type, [job.Type] = new JsonObject { ["hyperparameters"] = job.Hyper.DeepClone() } };
        o["error"] = s.Status == "failed"
            ? new JsonObject { ["code"] = "training_failed", ["message"] = FailureMessage, ["param"] = null }
            : new JsonObject { ["code"] = null, ["message"] = null, ["param"] = null };
        return o;
    }

    private const string FailureMessage = "Fine-tuning failed: the training loss diverged at step 5. Lower the learning-rate multiplier and try again.";

    /// <summary>
    /// Loss at a step: falling towards a floor, the validation loss a little above the training loss; a job's
    /// learning-rate multiplier (1 when automatic) sets how fast it falls, so jobs with other hyperparameters draw other curves.
    /// </summary>
    public static double TrainLossAt(int step, double learningRateMultiplier = 1) => Math.Round(0.35 + (1.9 * Math.Exp(-0.35 * Speed(learningRateMultiplier) * step)), 4);

    public static double ValidLossAt(int step, double learningRateMultiplier = 1) => Math.Round(0.42 + (1.8 * Math.Exp(-0.3 * Speed(learningRateMultiplier) * step)), 4);

    private static double Speed(double learningRateMultiplier) => Math.Sqrt(Math.Clamp(learningRateMultiplier, 0.05, 10));

    private static double LearningRateOf(JsonObject hyper) =>
        hyper["learning_rate_multiplier"] is JsonValue v && v.TryGetValue<double>(out var lr) && lr > 0 ? lr : 1;

    /// <summary>Where a job is now: phase 0 validating files, 1 queued, 2 started, 3..2+steps training, then ended.</summary>
    private JobSnapshot Snapshot(PeerJob job)
    {
        var heldAt = Interlocked.Read(ref _heldAtTicks);
        var now = heldAt != 0 ? new DateTimeOffset(heldAt, TimeSpan.Zero) : DateTimeOffset.UtcNow;
        var phase = (int)Math.Max(0, (now - job.Created - job.Paused) / job.Interval);
        var failAt = 2 + Math.Max(1, job.Steps / 2);
        var end = job.Fails ? failAt + 1 : job.TotalPhases;
        phase = Math.Min(phase, end);
        if (job.CancelledAtPhase is { } cancelled)
        {
            phase = cancelled;
        }

        var status = job.CancelledAtPhase is not null ? "cancelled"
            : phase >= end ? (job.Fails ? "failed" : "succeeded")
            : phase == 0 ? (job.Azure ? "pending" : "validating_files")
            : phase == 1 ? (job.Azure ? "pending" : "queued")
            : "running";
        var fineTuned = status == "succeeded"
            ? job.Azure ? $"{job.Model}.{job.Id}" : $"ft:{job.Model}:portal-peer:{job.Suffix ?? "model"}:{job.Id[^6..]}"
            : null;
        if (fineTuned is not null)
        {
            _fineTuned.TryAdd(fineTuned, 0);
        }

        var events = new List<JsonObject>();
        var t = job.Created.ToUnixTimeSeconds();
        void Add(string message, string type = "message", JsonObject? data = null, string level = "info") =>
            events.Add(new JsonObject
            {
                ["object"] = "fine_tuning.job.event",
                ["id"] = $"ftevent-{job.Id}-{events.Count + 1:000}",
                ["created_at"] = t + events.Count,
                ["level"] = level,
                ["message"] = message,
                ["data"] = data,
                ["type"] = type,
            });
        Add($"Validating training file: {job.TrainingFile}" + (job.ValidationFile is null ? "" : $" and validation file: {job.ValidationFile}"));
        if (phase >= 1 || status == "cancelled")
        {
            Add("Files validated, moving job to queued state");
        }

        if (phase >= 2)
        {
            Add("Fine-tuning job started");
        }

        var checkpoints = new List<JsonObject>();
        var trained = Math.Min(Math.Max(0, phase - 2), job.Fails ? failAt - 2 : job.Steps);
        for (var step = 1; step <= trained; step++)
        {
            var lr = LearningRateOf(job.Hyper);
            var data = new JsonObject { ["step"] = step, ["train_loss"] = TrainLossAt(step, lr), ["train_mean_token_accuracy"] = Math.Round(0.5 + (0.04 * step), 3), ["total_steps"] = job.Steps };
            if (job.ValidationFile is not null)
            {
                data["valid_loss"] = ValidLossAt(step, lr);
                data["valid_mean_token_accuracy"] = Math.Round(0.45 + (0.04 * step), 3);
            }

            Add($"Step {step}/{job.Steps}: training loss={TrainLossAt(step, lr).ToString("0.0000", CultureInfo.InvariantCulture)}", "metrics", data);
            if (step % Math.Max(1, job.Steps / 3) == 0 && !job.Fails)
            {
                var metrics = new JsonObject { ["step"] = step, ["train_loss"] = TrainLossAt(step, lr), ["full_valid_loss"] = ValidLossAt(step, lr), ["full_valid_mean_token_accuracy"] = Math.Round(0.45 + (0.04 * step), 3) };
                checkpoints.Add(new JsonObject
                {
                    ["object"] = "fine_tuning.job.checkpoint",
                    ["id"] = $"ftckpt-{job.Id}-{step}",
                    ["created_at"] = t + step,
                    ["fine_tuned_model_checkpoint"] = job.Azure ? $"{job.Model}.{job.Id}:ckpt-step-{step}" : $"ft:{job.Model}:portal-peer:{job.Suffix ?? "model"}:{job.Id[^6..]}:ckpt-step-{step}",
                    ["metrics"] = metrics,
                    ["fine_tuning_job_id"] = job.Id,
                    ["step_number"] = step,
                });
            }
        }

        switch (status)
        {
            case "succeeded":
                Add($"New fine-tuned model created: {fineTuned}");
                Add("The job has successfully completed");
                break;
            case "failed":
                Add(FailureMessage, level: "error");
                break;
            case "cancelled":
                Add("Fine-tuning job cancelled");
                break;
        }

        events.Reverse();
        checkpoints.Reverse();
        return new(phase, status, status is "succeeded" or "failed" or "cancelled", fineTuned, events, checkpoints);
    }

    private sealed record PeerFile(string Id, string FileName, string Content, long Bytes, long CreatedAt, bool Azure, int Sequence);

    private sealed class PeerJob(string id, string model, string trainingFile, string? validationFile, string? suffix, string type, JsonObject hyper, long seed,
        DateTimeOffset created, bool azure, bool fails, int steps, TimeSpan interval)
    {
        public string Id { get; } = id;

        public string Model { get; } = model;

        public string TrainingFile { get; } = trainingFile;

        public string? ValidationFile { get; } = validationFile;

        public string? Suffix { get; } = suffix;

        public string Type { get; } = type;

        public JsonObject Hyper { get; } = hyper;

        public long Seed { get; } = seed;

        public DateTimeOffset Created { get; } = created;

        public bool Azure { get; } = azure;

        public bool Fails { get; } = fails;

        public int Steps { get; } = steps;

        public TimeSpan Interval { get; } = interval;

        public int TotalPhases => 3 + Steps;

        public TimeSpan Paused { get; set; }

        public int? CancelledAtPhase { get; set; }
    }

    private sealed record JobSnapshot(int Phase, string Status, bool Final, string? FineTunedModel, List<JsonObject> Events, List<JsonObject> Checkpoints);
}
