using Portal.Web.Exports;
using Portal.Web.Hosting;

namespace Portal.Tests.Hosting;

public sealed class ExportOptionsValidatorTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Validate_LimitBelowOne_FailsNamingTheSetting(int limit)
    {
        var result = new ExportOptionsValidator().Validate(null, new ExportOptions { MaxConcurrentPerClient = limit });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Equal($"Portal:Exports:MaxConcurrentPerClient '{limit}' must be at least 1, for example 4.", failure);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Validate_PositiveLimit_Succeeds(int limit)
    {
        var result = new ExportOptionsValidator().Validate(null, new ExportOptions { MaxConcurrentPerClient = limit });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new ExportOptionsValidator().Validate(null, new ExportOptions()).Succeeded);
    }
}
