namespace Portal.Data.Connections;

/// <summary>
/// A connection to an inference endpoint that a user saved. The API key is stored only as Data Protection
/// ciphertext; <see cref="KeyHint"/> keeps its last four characters so the UI can tell keys apart.
/// </summary>
public sealed class StoredConnection
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string Kind { get; set; }

    public required string Endpoint { get; set; }

    public required string Auth { get; set; }

    public string? ProtectedApiKey { get; set; }

    public string? KeyHint { get; set; }

    /// <summary>Model or deployment names, one per line.</summary>
    public string Models { get; set; } = "";

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }
}
