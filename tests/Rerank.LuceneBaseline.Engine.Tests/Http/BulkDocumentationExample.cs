namespace Rerank.LuceneBaseline.Engine.Tests.Http;

/// <summary>The request of Elasticsearch's bulk API documentation, shared by the reader's unit tests and the HTTP contract tests.</summary>
internal static class BulkDocumentationExample
{
    /// <summary>Index, delete, create and update, one action each, as NDJSON with <c>\n</c> line ends and a final newline.</summary>
    public static string Ndjson { get; } = """
        { "index" : { "_index" : "test", "_id" : "1" } }
        { "field1" : "value1" }
        { "delete" : { "_index" : "test", "_id" : "2" } }
        { "create" : { "_index" : "test", "_id" : "3" } }
        { "field1" : "value3" }
        { "update" : {"_id" : "1", "_index" : "test"} }
        { "doc" : {"field2" : "value2"} }

        """.ReplaceLineEndings("\n");
}
