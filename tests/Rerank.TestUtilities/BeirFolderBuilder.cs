using System.Text;
using System.Text.Json;

namespace Rerank.TestUtilities;

/// <summary>Writes a small collection in BEIR layout (corpus.jsonl, queries.jsonl, qrels/&lt;split&gt;.tsv) for tests.</summary>
public sealed class BeirFolderBuilder
{
    private readonly List<(string Id, string Title, string Text)> _documents = [];
    private readonly List<(string Id, string Text)> _queries = [];
    private readonly List<(string QueryId, string DocumentId, int Score)> _qrels = [];

    public BeirFolderBuilder Document(string id, string title, string text)
    {
        _documents.Add((id, title, text));
        return this;
    }

    public BeirFolderBuilder Query(string id, string text)
    {
        _queries.Add((id, text));
        return this;
    }

    public BeirFolderBuilder Judgment(string queryId, string documentId, int score)
    {
        _qrels.Add((queryId, documentId, score));
        return this;
    }

    /// <summary>Writes the collection into <paramref name="directory"/> and returns it.</summary>
    public string WriteTo(string directory, string split = "test")
    {
        Directory.CreateDirectory(Path.Combine(directory, "qrels"));
        var corpus = new StringBuilder();
        foreach (var (id, title, text) in _documents)
        {
            corpus.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = id, ["title"] = title, ["text"] = text })).Append('\n');
        }

        var queries = new StringBuilder();
        foreach (var (id, text) in _queries)
        {
            queries.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["_id"] = id, ["text"] = text })).Append('\n');
        }

        var qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        foreach (var (queryId, documentId, score) in _qrels)
        {
            qrels.Append(queryId).Append('\t').Append(documentId).Append('\t').Append(score).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, "corpus.jsonl"), corpus.ToString());
        File.WriteAllText(Path.Combine(directory, "queries.jsonl"), queries.ToString());
        File.WriteAllText(Path.Combine(directory, "qrels", split + ".tsv"), qrels.ToString());
        return directory;
    }
}
