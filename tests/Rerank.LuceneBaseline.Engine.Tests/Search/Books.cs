namespace Rerank.LuceneBaseline.Engine.Tests.Search;

/// <summary>A small corpus shared by the search tests; ids follow document order.</summary>
internal static class Books
{
    public static readonly (string Id, string Source)[] Documents =
    [
        ("1", """{"title":"apple pie","tag":"food","year":2001,"price":2.5,"published":"2020-01-01","active":true}"""),
        ("2", """{"title":"banana split","tag":"food","year":1999,"price":4.0,"active":false}"""),
        ("3", """{"title":"cherry tree","tag":"plant","year":2010,"published":"2021-06-15T10:00:00Z"}"""),
        ("4", """{"title":"apple tree","year":2001}"""),
    ];

    public const string Mapping = """
        {"properties": {
          "title": {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
          "tag": {"type": "keyword"}, "year": {"type": "long"}, "price": {"type": "double"},
          "published": {"type": "date"}, "active": {"type": "boolean"}}}
        """;

    public static TestIndex Open(string name = "books", int maxResultWindow = 10_000, int segmentSize = int.MaxValue) =>
        new(name, Mapping, Documents, maxResultWindow, segmentSize);
}
