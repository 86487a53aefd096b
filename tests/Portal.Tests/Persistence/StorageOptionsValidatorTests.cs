using Portal.Data;

namespace Portal.Tests.Persistence;

public sealed class StorageOptionsValidatorTests
{
    private readonly StorageOptionsValidator _validator = new();

    [Fact]
    public void Validate_DefaultSqlite_Succeeds()
    {
        Assert.True(_validator.Validate(null, new StorageOptions()).Succeeded);
    }

    [Fact]
    public void Validate_PostgreSqlWithoutConnectionString_NamesTheSetting()
    {
        var result = _validator.Validate(null, new StorageOptions { Provider = StorageProvider.PostgreSql });

        Assert.True(result.Failed);
        Assert.Contains("Portal:Storage:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SqlitePathIsAFolder_NamesTheSetting()
    {
        var folder = Path.GetTempPath();

        var result = _validator.Validate(null, new StorageOptions { SqlitePath = folder });

        Assert.True(result.Failed);
        Assert.Contains("Portal:Storage:SqlitePath", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(31.0)]
    public void Validate_QuickTimeoutOutOfRange_NamesTheSetting(double seconds)
    {
        var result = _validator.Validate(null, new StorageOptions { QuickTimeout = TimeSpan.FromSeconds(seconds) });

        Assert.True(result.Failed);
        Assert.Contains("Portal:Storage:QuickTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSqlitePath_Unset_IsUnderLocalApplicationData()
    {
        var path = new StorageOptions().ResolveSqlitePath();

        Assert.EndsWith(Path.Combine("ModelCatalogPortal", "portal.db"), path, StringComparison.Ordinal);
        Assert.StartsWith(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), path, StringComparison.Ordinal);
    }
}
