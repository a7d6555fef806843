using Rerank.LuceneBaseline.Beir;

namespace Rerank.LuceneBaseline.Indexing;

/// <summary>The names of a BEIR document's text fields and of the Lucene fields built from them.</summary>
public static class CorpusFields
{
    public const string Title = "title";
    public const string Text = "text";

    /// <summary>The stored, un-analysed document id.</summary>
    internal const string Id = "_id";

    /// <summary>The configured fields joined with the separator: what flat-mode search matches against.</summary>
    internal const string Contents = "contents";

    public static bool IsKnown(string field) => field is Title or Text;

    /// <summary>The Lucene field that holds one corpus field on its own, for multi-field search.</summary>
    internal static string LuceneField(string field) => "field." + field;

    internal static string Value(BeirDocument document, string field) => field switch
    {
        Title => document.Title,
        Text => document.Text,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown corpus field."),
    };
}
