using System.Text;
using System.Text.Json.Nodes;

namespace Rerank.LuceneBaseline.Beir;

/// <summary>
/// BEIR corpus documents as an Elasticsearch <c>_bulk</c> body (NDJSON, every line ended by <c>\n</c>): per document an
/// <c>index</c> action naming its <c>_id</c>, then its source. The source's <c>contents</c> is the BM25 baseline's
/// flat-mode field: title and text joined with one space, an empty part left out (the defaults of
/// <see cref="Indexing.Bm25IndexOptions"/>), so that a <c>match</c> on it searches what the baseline searches.
/// </summary>
/// <remarks>Stateless and thread-safe. The caller chooses the batch size; the body is built in memory.</remarks>
public static class BeirBulkBody
{
    /// <summary>The source field holding the joined title and text.</summary>
    public const string ContentsField = "contents";

    /// <summary>The bulk body for <paramref name="documents"/>, in their order.</summary>
    /// <param name="documents">The documents of one bulk request.</param>
    /// <param name="withTitleAndText">Whether each source also carries <c>title</c> and <c>text</c> as they are (default: only <c>contents</c>).</param>
    public static string Build(IEnumerable<BeirDocument> documents, bool withTitleAndText = false)
    {
        var text = new StringBuilder();
        foreach (var document in documents)
        {
            var source = new JsonObject { [ContentsField] = Contents(document) };
            if (withTitleAndText)
            {
                source["title"] = document.Title;
                source["text"] = document.Text;
            }

            text.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = document.Id } }.ToJsonString()).Append('\n');
            text.Append(source.ToJsonString()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Title and text joined with one space, an empty part left out.</summary>
    public static string Contents(BeirDocument document) =>
        document.Title.Length == 0 ? document.Text : document.Text.Length == 0 ? document.Title : document.Title + " " + document.Text;
}
