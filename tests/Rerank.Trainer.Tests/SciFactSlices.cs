using System.Text.Json.Nodes;
using Rerank.TestUtilities;

namespace Rerank.Trainer.Tests;

/// <summary>Small real training collections cut from the shared SciFact train split.</summary>
internal static class SciFactSlices
{
    /// <summary>
    /// Writes to <paramref name="root"/>/scifact-slice a BEIR folder of the first <paramref name="queries"/> SciFact
    /// training queries with their positives, filled up to <paramref name="documents"/> corpus documents in file order.
    /// </summary>
    public static string Write(string root, int queries, int documents)
    {
        var scifact = RepositoryPaths.RequireSharedCollection("scifact");
        var qrels = File.ReadLines(Path.Combine(scifact, "qrels", "train.tsv")).Skip(1).Select(l => l.Split('\t')).Where(c => c.Length == 3 && c[2].Trim() != "0").ToList();
        var chosen = qrels.Select(c => c[0]).Distinct(StringComparer.Ordinal).Take(queries).ToHashSet(StringComparer.Ordinal);
        var judgments = qrels.Where(c => chosen.Contains(c[0])).ToList();
        var keep = judgments.Select(c => c[1]).ToHashSet(StringComparer.Ordinal);
        var folder = Path.Combine(root, "scifact-slice");
        Directory.CreateDirectory(Path.Combine(folder, "qrels"));
        var corpus = File.ReadLines(Path.Combine(scifact, "corpus.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => (Line: l, Id: JsonNode.Parse(l)!["_id"]!.ToString()))
            .ToList();
        var extra = corpus.Where(d => !keep.Contains(d.Id)).Take(Math.Max(0, documents - keep.Count)).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        File.WriteAllLines(Path.Combine(folder, "corpus.jsonl"), corpus.Where(d => keep.Contains(d.Id) || extra.Contains(d.Id)).Select(d => d.Line));
        File.WriteAllLines(Path.Combine(folder, "queries.jsonl"), File.ReadLines(Path.Combine(scifact, "queries.jsonl")).Where(l => l.Length > 0 && chosen.Contains(JsonNode.Parse(l)!["_id"]!.ToString())));
        File.WriteAllLines(Path.Combine(folder, "qrels", "train.tsv"), judgments.Select(c => string.Join('\t', c)).Prepend("query-id\tcorpus-id\tscore"));
        return folder;
    }
}
