using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Playground.FineTuning;

/// <summary>
/// Reads the files and fine-tuning shapes of OpenAI and Azure OpenAI, tolerating what either leaves out (Azure's older
/// jobs have no <c>method</c>, <c>error</c> or <c>seed</c>), and writes a job request.
/// </summary>
public static class FineTuningJson
{
    /// <summary>Trailing commas are tolerated: some published examples have them, and reading them costs nothing.</summary>
    public static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    public static FineTuningJob ReadJob(JsonElement e)
    {
        var method = FineTuningMethod.Supervised;
        var hyper = Hyper(e.TryGetProperty("hyperparameters", out var top) ? top : default);
        if (e.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            var type = Str(m, "type");
            method = type?.ToLowerInvariant() switch
            {
                "dpo" => FineTuningMethod.Dpo,
                "reinforcement" => FineTuningMethod.Reinforcement,
                _ => FineTuningMethod.Supervised,
            };
            if (type is not null && m.TryGetProperty(type, out var block) && block.ValueKind == JsonValueKind.Object
                && block.TryGetProperty("hyperparameters", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                hyper = Hyper(inner);
            }
        }

        FineTuningJobError? error = null;
        if (e.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
        {
            var found = new FineTuningJobError(Str(err, "code"), Str(err, "message"), Str(err, "param"));
            error = found.Code is null && found.Message is null ? null : found;
        }

        return new(
            Str(e, "id") ?? throw new JsonException("A fine-tuning job without an id."),
            Str(e, "model") ?? "",
            Str(e, "status") ?? "",
            Time(e, "created_at"),
            Time(e, "finished_at"),
            Str(e, "fine_tuned_model"),
            Str(e, "training_file") ?? "",
            Str(e, "validation_file"),
            method,
            hyper,
            e.TryGetProperty("seed", out var seed) && seed.ValueKind == JsonValueKind.Number ? seed.GetInt64() : null,
            Str(e, "user_provided_suffix") ?? Str(e, "suffix"),
            e.TryGetProperty("trained_tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Number ? tokens.GetInt64() : null,
            Time(e, "estimated_finish"),
            error,
            e.TryGetProperty("result_files", out var results) && results.ValueKind == JsonValueKind.Array
                ? [.. results.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)]
                : []);
    }

    public static FineTuningFile ReadFile(JsonElement e) => new(
        Str(e, "id") ?? throw new JsonException("A file without an id."),
        Str(e, "filename") ?? "",
        e.TryGetProperty("bytes", out var bytes) && bytes.ValueKind == JsonValueKind.Number ? bytes.GetInt64() : 0,
        Time(e, "created_at"),
        Str(e, "purpose") ?? "",
        Str(e, "status"),
        Time(e, "expires_at"));

    public static FineTuningEvent ReadEvent(JsonElement e)
    {
        var type = Str(e, "type") ?? "message";
        MetricPoint? metrics = null;
        if (e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("step", out var step) && step.ValueKind == JsonValueKind.Number)
        {
            metrics = new(step.GetInt32(), Num(data, "train_loss"), Num(data, "valid_loss"), Num(data, "train_mean_token_accuracy"), Num(data, "valid_mean_token_accuracy"),
                Num(data, "full_valid_loss"), Num(data, "full_valid_mean_token_accuracy"), data.TryGetProperty("total_steps", out var total) && total.ValueKind == JsonValueKind.Number ? total.GetInt32() : null);
        }

        return new(Str(e, "id") ?? "", Time(e, "created_at"), Str(e, "level") ?? "info", Str(e, "message") ?? "", type, metrics);
    }

    public static FineTuningCheckpoint ReadCheckpoint(JsonElement e)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (e.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
            {
                metrics[p.Name] = p.Value.GetDouble();
            }
        }

        return new(Str(e, "id") ?? "", Time(e, "created_at"), Str(e, "fine_tuned_model_checkpoint") ?? "",
            e.TryGetProperty("step_number", out var step) && step.ValueKind == JsonValueKind.Number ? step.GetInt32() : 0, metrics);
    }

    public static FineTuningPage<T> ReadPage<T>(JsonElement e, Func<JsonElement, T> read)
    {
        var data = e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).Select(read).ToList()
            : [];
        return new(data, e.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True);
    }

    /// <summary>
    /// The body of <c>POST /fine_tuning/jobs</c>: <c>method</c> with its hyperparameters (the current shape). For Azure's
    /// dated API (<paramref name="topLevelHyperparameters"/>) a supervised job's hyperparameters also go at the top level,
    /// the shape that API version documents.
    /// </summary>
    public static JsonObject WriteRequest(FineTuningJobRequest request, bool topLevelHyperparameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == FineTuningMethod.Reinforcement)
        {
            throw new ArgumentException("The portal starts supervised and preference (DPO) jobs only: reinforcement jobs need a grader.", nameof(request));
        }

        var body = new JsonObject { ["model"] = request.Model, ["training_file"] = request.TrainingFile };
        if (request.ValidationFile is { Length: > 0 } validation)
        {
            body["validation_file"] = validation;
        }

        if (request.Seed is { } seed)
        {
            body["seed"] = seed;
        }

        if (request.Suffix is { Length: > 0 } suffix)
        {
            body["suffix"] = suffix;
        }

        var hyper = WriteHyper(request.Hyperparameters, request.Method == FineTuningMethod.Dpo);
        if (request.Method == FineTuningMethod.Supervised && hyper.Count == 0)
        {
            // Supervised with every hyperparameter left to the provider: the published default request, model and files only.
            return body;
        }

        var type = request.Method == FineTuningMethod.Dpo ? "dpo" : "supervised";
        body["method"] = new JsonObject { ["type"] = type, [type] = new JsonObject { ["hyperparameters"] = hyper } };
        if (topLevelHyperparameters && request.Method == FineTuningMethod.Supervised)
        {
            body["hyperparameters"] = WriteHyper(request.Hyperparameters, dpo: false);
        }

        return body;
    }

    private static JsonObject WriteHyper(FineTuningHyperparameters h, bool dpo)
    {
        var o = new JsonObject();
        Put(o, "n_epochs", h.Epochs, whole: true);
        Put(o, "batch_size", h.BatchSize, whole: true);
        Put(o, "learning_rate_multiplier", h.LearningRateMultiplier, whole: false);
        if (dpo)
        {
            Put(o, "beta", h.Beta, whole: false);
        }

        return o;
    }

    private static void Put(JsonObject o, string name, HyperValue value, bool whole)
    {
        if (value.Auto)
        {
            o[name] = "auto";
        }
        else if (value.Value is { } v)
        {
            o[name] = whole ? JsonValue.Create((long)v) : JsonValue.Create(v);
        }
    }

    private static FineTuningHyperparameters Hyper(JsonElement h) => h.ValueKind != JsonValueKind.Object
        ? new(default, default, default)
        : new(HyperValue.Read(h, "n_epochs"), HyperValue.Read(h, "batch_size"), HyperValue.Read(h, "learning_rate_multiplier"), HyperValue.Read(h, "beta"));

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>Unix seconds; 0 (Azure's "not yet") reads as unknown.</summary>
    private static DateTimeOffset? Time(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt64() > 0 ? DateTimeOffset.FromUnixTimeSeconds(v.GetInt64()) : null;
}
