namespace Portal.Data.Preferences;

/// <summary>One remembered setting of one user (e.g. whether the navigation is collapsed).</summary>
public sealed class UserPreference
{
    public required string UserId { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedUtc { get; set; }
}
