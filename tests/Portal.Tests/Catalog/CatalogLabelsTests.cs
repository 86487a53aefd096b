using Portal.Catalog;

namespace Portal.Tests.Catalog;

public sealed class CatalogLabelsTests
{
    [Theory]
    [InlineData("chat-completion", "Chat completion")]
    [InlineData("text-to-image", "Text to image")]
    [InlineData("automatic-speech-recognition", "Speech recognition")]
    [InlineData("CHAT-COMPLETION", "Chat completion")]
    [InlineData("some-new_task", "Some new task")]
    [InlineData(null, "")]
    public void Task_IsWords(string? id, string expected) => Assert.Equal(expected, CatalogLabels.Task(id));

    [Theory]
    [InlineData("mit", "MIT")]
    [InlineData("apache-2.0", "Apache 2.0")]
    [InlineData("llama3.1", "Llama 3.1 Community License")]
    [InlineData("Jamba Open Model License", "Jamba Open Model License")]
    [InlineData("  ", "")]
    public void License_IsItsUsualName(string? id, string expected) => Assert.Equal(expected, CatalogLabels.License(id));

    [Fact]
    public void Dates_HaveOneFormat()
    {
        Assert.Equal("2025-06-30", CatalogLabels.Date(new DateOnly(2025, 6, 30)));
        Assert.Equal("2024-04-23", CatalogLabels.Date("2024-04-23T00:00:00Z"));
        Assert.Equal("Oct 2023", CatalogLabels.Date("Oct 2023"));
        Assert.Equal("2025-06-30 14:05 UTC", CatalogLabels.DateTime(new DateTimeOffset(2025, 6, 30, 16, 5, 0, TimeSpan.FromHours(2))));
        Assert.Equal("", CatalogLabels.Date((DateOnly?)null));
    }

    [Fact]
    public void LicenseOf_SaysWhatTheDataSays()
    {
        Assert.Equal("MIT", CatalogLabels.LicenseOf(new CatalogModel { Id = "a", DisplayName = "A", License = "mit" }));
        Assert.Equal("Proprietary (Azure OpenAI terms)", CatalogLabels.LicenseOf(new CatalogModel
        {
            Id = "b", DisplayName = "B", Collection = "Azure OpenAI", LicenseNote = "Proprietary; used under Microsoft Product Terms.",
        }));
        Assert.Equal(CatalogLabels.NoLicense, CatalogLabels.LicenseOf(new CatalogModel { Id = "c", DisplayName = "C", Collection = "Azure OpenAI" }));
    }

    [Theory]
    [InlineData("https://github.com/MicrosoftDocs/azure-ai-docs/blob/abc/articles/models.md", "github.com › models.md")]
    [InlineData("https://huggingface.co/microsoft/Phi-3-mini-4k-instruct%20card/", "huggingface.co › Phi-3-mini-4k-instruct card")]
    [InlineData("https://www.example.com/", "example.com")]
    [InlineData("Embedded catalog", "Embedded catalog")]
    public void SourceTitle_IsReadable(string source, string expected) => Assert.Equal(expected, CatalogLabels.SourceTitle(source));
}
