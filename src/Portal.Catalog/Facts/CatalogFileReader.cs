using System.Globalization;
using System.Text.Json;

namespace Portal.Catalog.Facts;

/// <summary>A problem in a catalog file: a JSON path (<c>$.models[3].context_window_tokens</c>) and why.</summary>
public sealed record CatalogFileError(string Path, string Reason);

public sealed record CatalogFileReadResult(IReadOnlyList<CatalogModel> Models, IReadOnlyList<CatalogFileError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Reads a catalog file: <c>{"models": [...]}</c> in the shape of the shared facts file (src/Portal.Catalog/catalog-file.md).
/// The whole file is validated first; models are returned only when there is no error at all.
/// </summary>
public static class CatalogFileReader
{
    public const int MaxErrors = 200;

    private static readonly string[] StringFields =
    [
        "publisher", "collection", "license", "license_note", "context_window_as_printed", "parameter_count",
        "parameter_note", "release_date", "knowledge_cutoff", "description",
    ];

    private static readonly string[] StringListFields =
    [
        "aliases", "inference_tasks", "fine_tuning_tasks", "versions", "input_modalities", "output_modalities",
        "sources", "caveats",
    ];

    private static readonly string[] IntFields = ["context_window_tokens", "max_output_tokens"];

    private static readonly HashSet<string> KnownModelFields =
    [
        "id", "display_name", "deployment", "azure_lifecycle", "field_sources", "regions", .. StringFields, .. StringListFields, .. IntFields,
    ];

    private static readonly HashSet<string> KnownRootFields = ["models", "benchmarks", "prices", "notes"];

    public static CatalogFileReadResult Read(string json, Provenance provenance)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, position {ex.BytePositionInLine + 1}" : "unknown position";
            return new([], [new CatalogFileError("$", $"Not valid JSON ({where}): {FirstSentence(ex.Message)}")]);
        }

        using (document)
        {
            var errors = new List<CatalogFileError>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new([], [new CatalogFileError("$", "The file must be a JSON object with a \"models\" array.")]);
            }

            foreach (var property in root.EnumerateObject().Where(p => !KnownRootFields.Contains(p.Name)))
            {
                errors.Add(new($"$.{property.Name}", "Unknown property; expected \"models\" (and optionally \"benchmarks\", \"prices\", \"notes\")."));
            }

            if (!root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new("$.models", "Required: an array of models."));
                return new([], errors);
            }

            if (models.GetArrayLength() == 0)
            {
                errors.Add(new("$.models", "The array is empty; a catalog file adds at least one model."));
            }

            var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            var index = 0;
            foreach (var model in models.EnumerateArray())
            {
                ValidateModel(model, $"$.models[{index}]", ids, index, errors);
                index++;
                if (errors.Count >= MaxErrors)
                {
                    errors.Add(new("$", $"Stopped after {MaxErrors} errors."));
                    break;
                }
            }

            if (errors.Count > 0)
            {
                return new([], errors);
            }

            return new([.. models.EnumerateArray().Select(m => ToModel(m, provenance))], []);
        }
    }

    /// <summary>
    /// Characters an id cannot hold: it is a URL path segment (/models/{id}), shown in pages and written to logs. '%' would
    /// be decoded (%2e%2e%2f is "../"); control and bidirectional characters hide or reorder what a reader sees.
    /// </summary>
    private static bool IsRefusedInId(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '?' or '#' or '\\' or '%'
        || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static void ValidateModel(JsonElement model, string path, Dictionary<string, int> ids, int index, List<CatalogFileError> errors)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "Each model must be a JSON object."));
            return;
        }

        foreach (var property in model.EnumerateObject().Where(p => !KnownModelFields.Contains(p.Name)))
        {
            errors.Add(new($"{path}.{property.Name}", "Unknown property (see the catalog file schema)."));
        }

        if (!model.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()))
        {
            errors.Add(new($"{path}.id", "Required: a non-empty string."));
        }
        else if (id.GetString()!.Length > 200 || id.GetString()!.Any(IsRefusedInId))
        {
            errors.Add(new($"{path}.id", "At most 200 characters, without spaces, '/', '?', '#', '%', '\\', control or bidirectional characters."));
        }
        else if (id.GetString() is "." or "..")
        {
            // /models/. and /models/.. are normalised away by the browser: the model could never be opened.
            errors.Add(new($"{path}.id", "'.' and '..' cannot be ids: a browser resolves them as path segments."));
        }
        else if (!ids.TryAdd(id.GetString()!, index))
        {
            errors.Add(new($"{path}.id", $"Duplicate id '{id.GetString()}' (also at $.models[{ids[id.GetString()!]}])."));
        }

        if (model.TryGetProperty("display_name", out var name) && !(name.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(name.GetString())))
        {
            errors.Add(new($"{path}.display_name", "Must be a non-empty string when present."));
        }

        foreach (var field in StringFields)
        {
            if (model.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors.Add(new($"{path}.{field}", "Must be a string or null."));
            }
        }

        foreach (var field in StringListFields)
        {
            ValidateStringList(model, field, path, errors);
        }

        foreach (var field in IntFields)
        {
            if (model.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
                && !(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0))
            {
                errors.Add(new($"{path}.{field}", "Must be a whole number greater than 0, or null when unknown."));
            }
        }

        if (model.TryGetProperty("deployment", out var deployment) && deployment.ValueKind != JsonValueKind.Null)
        {
            if (deployment.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new($"{path}.deployment", "Must be an object or null."));
            }
            else
            {
                foreach (var property in deployment.EnumerateObject())
                {
                    var ok = property.Name switch
                    {
                        "managed_compute" or "serverless_api" => property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
                        "note" or "source" => property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null,
                        _ => false,
                    };
                    if (!ok)
                    {
                        errors.Add(new($"{path}.deployment.{property.Name}", property.Name is "managed_compute" or "serverless_api"
                            ? "Must be true, false or null." : property.Name is "note" or "source"
                            ? "Must be a string or null." : "Unknown property; expected managed_compute, serverless_api, note, source."));
                    }
                }
            }
        }

        if (model.TryGetProperty("azure_lifecycle", out var lifecycle) && lifecycle.ValueKind != JsonValueKind.Null)
        {
            if (lifecycle.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new($"{path}.azure_lifecycle", "Must be an object or null."));
            }
            else
            {
                foreach (var property in lifecycle.EnumerateObject())
                {
                    if (property.Name is "inferenceDeprecationDate" or "inferenceRetirementDate")
                    {
                        if (property.Value.ValueKind != JsonValueKind.Null && ParseDate(property.Value) is null)
                        {
                            errors.Add(new($"{path}.azure_lifecycle.{property.Name}", "Must be a date as yyyy-MM-dd, or null."));
                        }
                    }
                    else if (property.Name != "source_field")
                    {
                        errors.Add(new($"{path}.azure_lifecycle.{property.Name}", "Unknown property; expected inferenceDeprecationDate, inferenceRetirementDate, source_field."));
                    }
                }
            }
        }

        ValidateRegions(model, path, errors);

        if (model.TryGetProperty("field_sources", out var fieldSources) && fieldSources.ValueKind != JsonValueKind.Null)
        {
            if (fieldSources.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new($"{path}.field_sources", "Must be an object of field name → source URL."));
            }
            else
            {
                foreach (var property in fieldSources.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.String))
                {
                    errors.Add(new($"{path}.field_sources.{property.Name}", "Must be a string (the source's URL)."));
                }
            }
        }
    }

    private static readonly HashSet<string> RegionFields =
        ["region", "version", "skus", "lifecycle_status", "inference_deprecation_date", "fine_tune_deprecation_date", "source", "as_of"];

    /// <summary><c>regions</c>: an array of region facts, each with the region's API name and where the fact came from.</summary>
    private static void ValidateRegions(JsonElement model, string path, List<CatalogFileError> errors)
    {
        if (!model.TryGetProperty("regions", out var regions) || regions.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (regions.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new($"{path}.regions", "Must be an array of region facts, or null."));
            return;
        }

        var i = 0;
        foreach (var region in regions.EnumerateArray())
        {
            var at = $"{path}.regions[{i++}]";
            if (region.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(at, "Each region fact must be a JSON object."));
                continue;
            }

            foreach (var property in region.EnumerateObject().Where(p => !RegionFields.Contains(p.Name)))
            {
                errors.Add(new($"{at}.{property.Name}", $"Unknown property; expected {string.Join(", ", RegionFields)}."));
            }

            if (String(region, "region") is not { Length: > 0 and <= 64 } name || !name.All(char.IsAsciiLetterOrDigit))
            {
                errors.Add(new($"{at}.region", "Required: the region's name as Azure's APIs write it (letters and digits, e.g. swedencentral)."));
            }

            if (String(region, "source") is not { } source || string.IsNullOrWhiteSpace(source))
            {
                errors.Add(new($"{at}.source", "Required: where this fact came from (e.g. \"From the models API of location swedencentral\")."));
            }

            foreach (var field in new[] { "version", "lifecycle_status" })
            {
                if (region.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    errors.Add(new($"{at}.{field}", "Must be a string or null."));
                }
            }

            ValidateStringList(region, "skus", at, errors);
            foreach (var field in new[] { "inference_deprecation_date", "fine_tune_deprecation_date" })
            {
                if (region.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null && ParseDate(value) is null)
                {
                    errors.Add(new($"{at}.{field}", "Must be a date as yyyy-MM-dd, or null."));
                }
            }

            if (region.TryGetProperty("as_of", out var asOf) && asOf.ValueKind != JsonValueKind.Null && ParseTime(asOf) is null)
            {
                errors.Add(new($"{at}.as_of", "Must be a date and time as ISO 8601 (2026-12-02T08:00:00Z), or null."));
            }
        }
    }

    private static void ValidateStringList(JsonElement model, string field, string path, List<CatalogFileError> errors)
    {
        if (!model.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new($"{path}.{field}", "Must be an array of strings, or null."));
            return;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
            {
                errors.Add(new($"{path}.{field}[{i}]", "Must be a non-empty string."));
            }

            i++;
        }
    }

    private static CatalogModel ToModel(JsonElement m, Provenance provenance)
    {
        var id = m.GetProperty("id").GetString()!;
        return new CatalogModel
        {
            Id = id,
            DisplayName = String(m, "display_name") ?? id,
            Aliases = List(m, "aliases"),
            Publisher = String(m, "publisher"),
            Collection = String(m, "collection"),
            InferenceTasks = List(m, "inference_tasks"),
            FineTuningTasks = List(m, "fine_tuning_tasks"),
            License = String(m, "license"),
            LicenseNote = String(m, "license_note"),
            ContextWindowTokens = Int(m, "context_window_tokens"),
            ContextWindowAsPrinted = String(m, "context_window_as_printed"),
            MaxOutputTokens = Int(m, "max_output_tokens"),
            ParameterCount = String(m, "parameter_count"),
            ParameterNote = String(m, "parameter_note"),
            ReleaseDate = String(m, "release_date"),
            Versions = List(m, "versions"),
            KnowledgeCutoff = String(m, "knowledge_cutoff"),
            InputModalities = List(m, "input_modalities"),
            OutputModalities = List(m, "output_modalities"),
            Deployment = m.TryGetProperty("deployment", out var d) && d.ValueKind == JsonValueKind.Object
                ? new DeploymentOptions(Bool(d, "managed_compute"), Bool(d, "serverless_api"), String(d, "note"), String(d, "source"))
                : null,
            Lifecycle = m.TryGetProperty("azure_lifecycle", out var l) && l.ValueKind == JsonValueKind.Object
                ? new ModelLifecycle(
                    l.TryGetProperty("inferenceDeprecationDate", out var dep) ? ParseDate(dep) : null,
                    l.TryGetProperty("inferenceRetirementDate", out var ret) ? ParseDate(ret) : null,
                    String(l, "source_field"))
                : null,
            Description = String(m, "description"),
            FieldSources = m.TryGetProperty("field_sources", out var fs) && fs.ValueKind == JsonValueKind.Object
                ? fs.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : new Dictionary<string, string>(),
            Sources = List(m, "sources"),
            Caveats = List(m, "caveats"),
            Regions = m.TryGetProperty("regions", out var regions) && regions.ValueKind == JsonValueKind.Array
                ? [.. regions.EnumerateArray().Select(r => new RegionAvailability(
                    String(r, "region")!,
                    String(r, "version"),
                    List(r, "skus"),
                    String(r, "lifecycle_status"),
                    r.TryGetProperty("inference_deprecation_date", out var inference) ? ParseDate(inference) : null,
                    r.TryGetProperty("fine_tune_deprecation_date", out var fineTune) ? ParseDate(fineTune) : null,
                    String(r, "source")!,
                    r.TryGetProperty("as_of", out var asOf) ? ParseTime(asOf) : null))]
                : [],
            Provenance = [provenance],
        };
    }

    private static DateTimeOffset? ParseTime(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static string[] List(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? [.. v.EnumerateArray().Select(x => x.GetString()!)] : [];

    private static DateOnly? ParseDate(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
