using Portal.TestPeers;

namespace Portal.Tests.Support;

/// <summary>A fact that needs a real PostgreSQL: skipped loudly where none is installed, unless PORTAL_REQUIRE_POSTGRES is set.</summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (!PostgreSqlServer.IsAvailable && Environment.GetEnvironmentVariable(PostgreSqlServer.RequireVariable) is null)
        {
            Skip = PostgreSqlServer.SkipReason;
        }
    }
}
