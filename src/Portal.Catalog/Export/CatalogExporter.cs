using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Portal.Catalog.Query;

namespace Portal.Catalog.Export;

/// <summary>Exports a list of models as a catalog file (JSON, importable again) or as CSV (one row per model).</summary>
public static class CatalogExporter
{
    public static readonly string[] CsvColumns =
    [
        "id", "name", "publisher", "collection", "inference_tasks", "fine_tuning_tasks", "license", "commercial_use",
        "deployment_options", "context_window_tokens", "context_window_as_printed", "parameter_count", "release_date",
        "deprecation_date", "retirement_date", "provenance", "sources",
    ];

    /// <summary>Output is handed to the destination in pieces of about this size, so no export is held whole in memory.</summary>
    public const int ChunkBytes = 32 * 1024;

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true };

    public static void WriteJson(Stream output, IEnumerable<CatalogModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        using var json = new Utf8JsonWriter(output, JsonOptions);
        json.WriteStartObject();
        json.WriteStartArray("models");
        foreach (var m in models)
        {
            WriteModel(json, m);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The same bytes as <see cref="WriteJson"/>, written to <paramref name="output"/> in chunks of about
    /// <see cref="ChunkBytes"/> as the models are enumerated. If writing fails, nothing more reaches
    /// <paramref name="output"/> (a half-written model is never sent).
    /// </summary>
    public static async Task WriteJsonAsync(Stream output, IEnumerable<CatalogModel> models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(models);
        using var chunk = new MemoryStream(ChunkBytes * 2);
        await using (var json = new Utf8JsonWriter(chunk, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("models");
            foreach (var m in models)
            {
                WriteModel(json, m);
                if (json.BytesPending >= ChunkBytes)
                {
                    await json.FlushAsync(cancellationToken);
                    await SendAsync(chunk, output, cancellationToken);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }

        await SendAsync(chunk, output, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static void WriteModel(Utf8JsonWriter json, CatalogModel m)
    {
        json.WriteStartObject();
        json.WriteString("id", m.Id);
        json.WriteString("display_name", m.DisplayName);
        Strings(json, "aliases", m.Aliases);
        json.WriteString("publisher", m.Publisher);
        json.WriteString("collection", m.Collection);
        Strings(json, "inference_tasks", m.InferenceTasks);
        Strings(json, "fine_tuning_tasks", m.FineTuningTasks);
        json.WriteString("license", m.License);
        json.WriteString("license_note", m.LicenseNote);
        Number(json, "context_window_tokens", m.ContextWindowTokens);
        json.WriteString("context_window_as_printed", m.ContextWindowAsPrinted);
        Number(json, "max_output_tokens", m.MaxOutputTokens);
        json.WriteString("parameter_count", m.ParameterCount);
        json.WriteString("parameter_note", m.ParameterNote);
        json.WriteString("release_date", m.ReleaseDate);
        Strings(json, "versions", m.Versions);
        json.WriteString("knowledge_cutoff", m.KnowledgeCutoff);
        Strings(json, "input_modalities", m.InputModalities);
        Strings(json, "output_modalities", m.OutputModalities);
        if (m.Deployment is { } d)
        {
            json.WriteStartObject("deployment");
            Bool(json, "managed_compute", d.ManagedCompute);
            Bool(json, "serverless_api", d.ServerlessApi);
            if (d.Note is not null)
            {
                json.WriteString("note", d.Note);
            }

            json.WriteString("source", d.Source);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("deployment");
        }

        if (m.Lifecycle is { } l)
        {
            json.WriteStartObject("azure_lifecycle");
            json.WriteString("inferenceDeprecationDate", l.DeprecationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("inferenceRetirementDate", l.RetirementDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("source_field", l.SourceField);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("azure_lifecycle");
        }

        json.WriteString("description", m.Description);
        json.WriteStartObject("field_sources");
        foreach (var (field, url) in m.FieldSources)
        {
            json.WriteString(field, url);
        }

        json.WriteEndObject();
        Strings(json, "sources", m.Sources);
        Strings(json, "caveats", m.Caveats);

        // Written only when there are region facts, so a catalog without them exports as before.
        if (m.Regions.Count > 0)
        {
            json.WriteStartArray("regions");
            foreach (var r in m.Regions)
            {
                json.WriteStartObject();
                json.WriteString("region", r.Region);
                json.WriteString("version", r.Version);
                Strings(json, "skus", r.Skus);
                json.WriteString("lifecycle_status", r.LifecycleStatus);
                json.WriteString("inference_deprecation_date", r.InferenceDeprecationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("fine_tune_deprecation_date", r.FineTuneDeprecationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                json.WriteString("source", r.Source);
                json.WriteString("as_of", r.AsOf?.ToString("O", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    public static void WriteCsv(TextWriter output, IEnumerable<CatalogModel> models)
    {
        // Fields starting with = + - @ are escaped so a spreadsheet never runs catalog text as a formula.
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, NewLine = "\n" };
        using var csv = CsvWriter.Create(output, options, leaveOpen: true);
        csv.WriteRecord(CsvColumns);
        foreach (var m in models)
        {
            csv.WriteRecord(CsvRow(m));
        }

        csv.Flush();
    }

    /// <summary>The same bytes as <see cref="ToCsv(IEnumerable{CatalogModel})"/> in UTF-8, streamed like <see cref="WriteJsonAsync"/>.</summary>
    public static Task WriteCsvAsync(Stream output, IEnumerable<CatalogModel> models, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        return WriteCsvAsync(output, models.Select(CsvRow).Prepend(CsvColumns), cancellationToken);
    }

    /// <summary>The same bytes as <see cref="ToCsv(IEnumerable{string[]})"/> in UTF-8, streamed like <see cref="WriteJsonAsync"/>.</summary>
    public static async Task WriteCsvAsync(Stream output, IEnumerable<string[]> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        using var chunk = new MemoryStream(ChunkBytes * 2);
        // The writer's own buffer fills the chunk; the chunk goes out whenever it has something, and only whole records.
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, NewLine = "\n", BufferSize = ChunkBytes };
        await using (var csv = CsvWriter.Create(chunk, options, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                csv.WriteRecord(row);
                if (chunk.Length > 0)
                {
                    await SendAsync(chunk, output, cancellationToken);
                }
            }

            await csv.FlushAsync(cancellationToken);
        }

        await SendAsync(chunk, output, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    private static async Task SendAsync(MemoryStream chunk, Stream output, CancellationToken cancellationToken)
    {
        if (chunk.Length > 0)
        {
            await output.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length), cancellationToken);
            chunk.SetLength(0);
        }
    }

    /// <summary>Any table as CSV (header first), with the same formula escaping.</summary>
    public static string ToCsv(IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder, CultureInfo.InvariantCulture))
        {
            var options = new CsvWriterOptions { Injection = CsvInjection.Escape, NewLine = "\n" };
            using var csv = CsvWriter.Create(writer, options, leaveOpen: true);
            foreach (var row in rows)
            {
                csv.WriteRecord(row);
            }

            csv.Flush();
        }

        return builder.ToString();
    }

    public static string ToCsv(IEnumerable<CatalogModel> models)
    {
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder, CultureInfo.InvariantCulture))
        {
            WriteCsv(writer, models);
        }

        return builder.ToString();
    }

    private static string[] CsvRow(CatalogModel m) =>
    [
        m.Id,
        m.DisplayName,
        m.Publisher ?? "",
        m.Collection ?? "",
        string.Join("; ", m.InferenceTasks),
        string.Join("; ", m.FineTuningTasks),
        m.License ?? "",
        Licenses.Describe(Licenses.CommercialUseOf(m.License)),
        string.Join("; ", CatalogFacets.Get(Facet.Deployment).Values(m).Select(CatalogFacets.DeploymentLabel)),
        m.ContextWindowTokens?.ToString(CultureInfo.InvariantCulture) ?? "",
        m.ContextWindowAsPrinted ?? "",
        m.ParameterCount ?? "",
        m.ReleaseDate ?? "",
        m.Lifecycle?.DeprecationDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        m.Lifecycle?.RetirementDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        string.Join("; ", m.Provenance.Select(p => p.SourceName)),
        string.Join("; ", m.Sources),
    ];

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Bool(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } v)
        {
            json.WriteBoolean(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
