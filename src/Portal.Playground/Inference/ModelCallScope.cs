namespace Portal.Playground.Inference;

/// <summary>
/// Who is making the model calls in this async flow and for which feature of the portal, so that every call the
/// <see cref="InferenceService"/> makes can be traced (<c>/traces</c>) with its user, feature and run. A caller opens a
/// scope around its calls (<see cref="Begin"/>, disposed when done); the trace recorder reads <see cref="Current"/> and
/// writes the id of the trace it starts into <see cref="TraceId"/>, so the caller can link its answer to the trace.
/// Scopes flow with the async context: calls made in parallel tasks each open their own.
/// </summary>
public sealed class ModelCallScope
{
    private static readonly AsyncLocal<ModelCallScope?> Ambient = new();

    /// <summary>The portal feature that makes the call: one of the <see cref="ModelCallFeatures"/> values.</summary>
    public required string Feature { get; init; }

    /// <summary>The portal user the call is made for (<c>local</c>, <c>oidc:&lt;sub&gt;</c>, …).</summary>
    public required string UserId { get; init; }

    /// <summary>The evaluation run or probe the call belongs to, if any.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Set by the trace recorder to the trace of the latest call made in this scope.</summary>
    public Guid? TraceId { get; set; }

    /// <summary>The scope of the current async flow, if one is open.</summary>
    public static ModelCallScope? Current => Ambient.Value;

    /// <summary>Makes <paramref name="scope"/> current until the returned handle is disposed.</summary>
    public static IDisposable Begin(ModelCallScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var previous = Ambient.Value;
        Ambient.Value = scope;
        return new Restore(previous);
    }

    private sealed class Restore(ModelCallScope? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}

/// <summary>The portal features that call models, as recorded on traces.</summary>
public static class ModelCallFeatures
{
    public const string Chat = "chat";
    public const string Completions = "completions";
    public const string Images = "images";
    public const string Compare = "compare";
    public const string Evaluation = "evaluation";
    public const string Judge = "judge";
    public const string Probe = "probe";
    public const string ConnectionTest = "connection-test";
}
