namespace Portal.EndToEnd.Tests;

/// <summary>
/// The portal with sign-in on (<c>Portal:Auth:Mode=Oidc</c>) against a real OpenID Connect provider on loopback
/// (<see cref="OidcProviderFixture"/>): the provider starts first (the portal reads its address when it is built), then the
/// portal on port 0, then the provider learns the portal's redirect addresses. Open pages re-check the sign-in every
/// 2 seconds, so a role change or a sign-out in another tab shows within seconds.
/// </summary>
public sealed class SignInServerFixture : PortalServerFixture
{
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromSeconds(2);

    public OidcProviderFixture Provider { get; } = new();

    protected override Task BeforeBuildAsync() => Provider.StartAsync();

    protected override IEnumerable<string> ExtraArgs() =>
    [
        "--Portal:Auth:Mode=Oidc",
        $"--Portal:Auth:Oidc:Authority={Provider.Authority}",
        $"--Portal:Auth:Oidc:ClientId={OidcProviderFixture.ClientId}",
        $"--Portal:Auth:Oidc:ClientSecret={Provider.ClientSecret}",
        "--Portal:Auth:Oidc:RequireHttpsMetadata=false",
        "--Portal:Auth:Oidc:Scopes:0=openid profile email roles",
        $"--Portal:Auth:Oidc:Audience={OidcProviderFixture.ApiAudience}",
        $"--Portal:Auth:RevalidationInterval={RevalidationInterval:c}",
    ];

    protected override Task AfterStartAsync() => Provider.ConfigurePortalAsync(BaseUrl);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SignInServerGroup : ICollectionFixture<SignInServerFixture>
{
    public const string Name = "Portal server with sign-in against an OpenID Connect provider";
}
