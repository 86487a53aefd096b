namespace Portal.Web.Hosting;

/// <summary>Who is using the portal; preferences are kept per user.</summary>
public interface ICurrentUser
{
    string Id { get; }
}

/// <summary>The single-user default: everyone who reaches this instance is the local user, until sign-in exists.</summary>
internal sealed class LocalUser : ICurrentUser
{
    public string Id => "local";
}
