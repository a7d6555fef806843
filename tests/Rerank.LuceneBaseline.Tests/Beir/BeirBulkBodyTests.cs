using Rerank.LuceneBaseline.Beir;

namespace Rerank.LuceneBaseline.Tests.Beir;

// The expected bodies are written by hand from the _bulk NDJSON format: an action line, a source line, each ended by '\n'.
public sealed class BeirBulkBodyTests
{
    private static readonly BeirDocument[] Documents =
    [
        new("d1", "Title one", "Body one."),
        new("d2", "", "No title."),
        new("d3", "Only a title", ""),
    ];

    [Fact]
    public void Build_Default_WritesIndexActionsAndJoinedContents()
    {
        var body = BeirBulkBody.Build(Documents);

        Assert.Equal(
            "{\"index\":{\"_id\":\"d1\"}}\n{\"contents\":\"Title one Body one.\"}\n"
            + "{\"index\":{\"_id\":\"d2\"}}\n{\"contents\":\"No title.\"}\n"
            + "{\"index\":{\"_id\":\"d3\"}}\n{\"contents\":\"Only a title\"}\n",
            body);
    }

    [Fact]
    public void Build_WithTitleAndText_AddsBothFieldsAfterContents()
    {
        var body = BeirBulkBody.Build(Documents[..2], withTitleAndText: true);

        Assert.Equal(
            "{\"index\":{\"_id\":\"d1\"}}\n{\"contents\":\"Title one Body one.\",\"title\":\"Title one\",\"text\":\"Body one.\"}\n"
            + "{\"index\":{\"_id\":\"d2\"}}\n{\"contents\":\"No title.\",\"title\":\"\",\"text\":\"No title.\"}\n",
            body);
    }

    [Fact]
    public void Build_NoDocuments_IsEmpty() => Assert.Equal("", BeirBulkBody.Build([]));
}
