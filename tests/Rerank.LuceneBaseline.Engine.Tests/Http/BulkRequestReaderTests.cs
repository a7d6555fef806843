using System.Text;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Http;
using Rerank.LuceneBaseline.Engine.Store;

namespace Rerank.LuceneBaseline.Engine.Tests.Http;

public sealed class BulkRequestReaderTests
{
    private static Task<List<BulkOperation>> ReadAsync(string ndjson, string? defaultIndex = null) =>
        BulkRequestReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(ndjson)), defaultIndex, CancellationToken.None);

    [Fact]
    public async Task ReadAsync_TheDocumentationExample_GivesFourOperationsInOrder()
    {
        var operations = await ReadAsync(BulkDocumentationExample.Ndjson);

        Assert.Equal([BulkAction.Index, BulkAction.Delete, BulkAction.Create, BulkAction.Update], operations.Select(o => o.Action));
        Assert.Equal(["1", "2", "3", "1"], operations.Select(o => o.Id));
        Assert.All(operations, o => Assert.Equal("test", o.Index));
        Assert.Equal("value1", (string?)operations[0].Source!["field1"]);
        Assert.Null(operations[1].Source);
        Assert.Equal(OpType.Create, operations[2].Options.OpType);
        Assert.Equal("value2", (string?)operations[3].Update!.Doc!["field2"]);
    }

    [Fact]
    public async Task ReadAsync_PathIndexAndConditions_AreApplied()
    {
        var operations = await ReadAsync("{\"index\":{\"_id\":\"a\",\"if_seq_no\":3,\"if_primary_term\":1}}\n{\"x\":1}\n{\"index\":{}}\n{\"x\":2}\n", "books");

        Assert.Equal("books", operations[0].Index);
        Assert.Equal(3, operations[0].Options.IfSeqNo);
        Assert.Equal(1, operations[0].Options.IfPrimaryTerm);
        Assert.Null(operations[1].Id);
    }

    [Fact]
    public async Task ReadAsync_CrlfLines_AreAccepted()
    {
        var operations = await ReadAsync("{\"index\":{\"_index\":\"t\",\"_id\":\"1\"}}\r\n{\"x\":1}\r\n");

        Assert.Single(operations);
        Assert.Equal(1, (int)operations[0].Source!["x"]!);
    }

    [Fact]
    public async Task ReadAsync_MalformedSourceLine_FailsOnlyThatItem()
    {
        var operations = await ReadAsync("{\"index\":{\"_index\":\"t\",\"_id\":\"1\"}}\n{\"x\":\n{\"index\":{\"_index\":\"t\",\"_id\":\"2\"}}\n{\"x\":2}\n");

        Assert.Equal(2, operations.Count);
        Assert.Equal("document_parsing_exception", operations[0].SourceError!.Type);
        Assert.Null(operations[1].SourceError);
    }

    // Request-level failures, with Elasticsearch's reasons.
    [Theory]
    [InlineData("{\"index\":{\"_index\":\"t\"}}\n{\"x\":1}", "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]")]
    [InlineData("{\"index\":{\"_index\":\"t\"}}\n", "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]")]
    [InlineData("\"index\"\n", "illegal_argument_exception", "Malformed action/metadata line [1], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]")]
    [InlineData("{\"upsert\":{\"_index\":\"t\"}}\n{}\n", "illegal_argument_exception", "Malformed action/metadata line [1], expected field [create], [delete], [index] or [update] but found [upsert]")]
    [InlineData("{\"delete\":{\"_index\":\"t\",\"_id\":\"1\"}}\n{\"index\":{\"_index\":\"t\",\"colour\":\"red\"}}\n{}\n", "illegal_argument_exception", "Action/metadata line [2] contains an unknown parameter [colour]")]
    [InlineData("{\"index\":{}}\n{\"x\":1}\n", "action_request_validation_exception", "Validation Failed: 1: index is missing;")]
    [InlineData("{\"delete\":{\"_index\":\"t\"}}\n", "action_request_validation_exception", "Validation Failed: 1: id is missing;")]
    [InlineData("\n\n", "action_request_validation_exception", "Validation Failed: 1: no requests added;")]
    [InlineData("{\"update\":{\"_index\":\"t\",\"_id\":\"1\"}}\n{\"script\":\"ctx._source.x++\"}\n", "illegal_argument_exception", "[script] is not supported by the embedded engine: updates take a partial [doc]")]
    public async Task ReadAsync_BadRequest_IsRefusedWhole(string ndjson, string type, string reason)
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => ReadAsync(ndjson));

        Assert.Equal(400, error.Status);
        Assert.Equal(type, error.Type);
        Assert.Equal(reason, error.Reason);
    }
}
