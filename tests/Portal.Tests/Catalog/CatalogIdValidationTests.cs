using System.Text.Json;
using Portal.Catalog;
using Portal.Catalog.Facts;

namespace Portal.Tests.Catalog;

/// <summary>Every imported id can be opened at /models/{id}: no dot segments, separators, escapes, control or bidi characters.</summary>
public sealed class CatalogIdValidationTests
{
    private static readonly Provenance Test = new("test", "Test file", null, null);

    private static CatalogFileReadResult ReadWithIds(params string[] ids) =>
        CatalogFileReader.Read(JsonSerializer.Serialize(new { models = ids.Select(id => new { id }) }), Test);

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("%2e%2e%2fsettings")]
    [InlineData("a%20b")]
    [InlineData("nul\0id")]
    [InlineData("rtl\u202Egnp")]
    [InlineData("lrm\u200Eid")]
    [InlineData("bell\u0007")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("../settings")]
    public void Read_IdThatCannotBeOpened_IsRefusedWithItsPath(string id)
    {
        var result = ReadWithIds("fine-model", id);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal("$.models[1].id", error.Path);
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData("Meta-Llama-3.1-8B-Instruct")]
    [InlineData("mistral.large_2407")]
    [InlineData("phi-3:mini")]
    [InlineData("modèle-ü")]
    public void Read_OrdinaryId_IsAccepted(string id)
    {
        Assert.True(ReadWithIds(id).IsValid);
    }
}
