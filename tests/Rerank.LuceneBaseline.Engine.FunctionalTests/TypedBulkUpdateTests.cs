using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.TestUtilities;

namespace Rerank.LuceneBaseline.Engine.FunctionalTests;

/// <summary>
/// The official client's typed bulk update with <c>IfSeqNo</c>/<c>IfPrimaryTerm</c>, which it writes into the action
/// line and into the update's body line (as Elasticsearch's <c>UpdateRequest</c> parser accepts): a matching pair
/// applies, a stale one fails its own item with 409 <c>version_conflict_engine_exception</c> and the others proceed.
/// Needs no corpus: its own engine on 127.0.0.1.
/// </summary>
public sealed class TypedBulkUpdateTests
{
    private const string Index = "typed-bulk";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkUpdate_WithSeqNoAndPrimaryTerm_MatchingAppliesAndAStalePairIsAnItem409()
    {
        using var directory = new TempDirectory();
        await using var host = await EngineHost.StartAsync(new EngineHostOptions { DataDirectory = directory.Path, Urls = ["http://127.0.0.1:0"] }, cancellationToken: Ct);
        var client = new ElasticsearchClient(new ElasticsearchClientSettings(host.Urls[0]).DisableDirectStreaming());
        var first = await client.IndexAsync(new Paper { Title = "one" }, i => i.Index(Index).Id("1"), Ct);
        var second = await client.IndexAsync(new Paper { Title = "two" }, i => i.Index(Index).Id("2"), Ct);
        Assert.True(first.IsValidResponse, first.DebugInformation);
        Assert.True(second.IsValidResponse, second.DebugInformation);

        // Document 1 by its current pair; document 2 by document 1's pair, which is stale for it (seq_no 0, it is at 1).
        var bulk = await client.BulkAsync(
            new BulkRequest(Index)
            {
                Operations =
                [
                    new BulkUpdateOperation<Paper, Paper>("1") { Doc = new Paper { Title = "one, updated" }, IfSequenceNumber = first.SeqNo, IfPrimaryTerm = first.PrimaryTerm },
                    new BulkUpdateOperation<Paper, Paper>("2") { Doc = new Paper { Title = "two, lost" }, IfSequenceNumber = first.SeqNo, IfPrimaryTerm = first.PrimaryTerm },
                ],
            },
            Ct);
        var one = await client.GetAsync<Paper>(Index, "1", Ct);
        var two = await client.GetAsync<Paper>(Index, "2", Ct);

        Assert.Equal(200, bulk.ApiCallDetails.HttpStatusCode);
        Assert.True(bulk.Errors, bulk.DebugInformation);

        // The client really put the pair into the body line too (the reason this test exists).
        var lines = System.Text.Encoding.UTF8.GetString(bulk.ApiCallDetails.RequestBodyInBytes!).Split('\n');
        var body = System.Text.Json.Nodes.JsonNode.Parse(lines[1])!;
        Assert.Equal(0L, (long?)body["if_seq_no"]);
        Assert.Equal(1L, (long?)body["if_primary_term"]);
        var items = bulk.Items.ToList();
        Assert.Equal(200, items[0].Status);
        Assert.Equal("updated", items[0].Result);
        Assert.Equal(409, items[1].Status);
        Assert.Equal("version_conflict_engine_exception", items[1].Error!.Type);
        Assert.Equal(
            "[2]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]",
            items[1].Error!.Reason);
        Assert.Equal("one, updated", one.Source!.Title);
        Assert.Equal("two", two.Source!.Title);
    }
}
