namespace Portal.Data.Playground;

/// <summary>A saved playground session: its kind (chat, completions, images, compare), a title and its state as JSON.</summary>
public sealed class PlaygroundSessionRow
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Kind { get; set; }

    public required string Title { get; set; }

    public required string State { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }
}
