using System.Security.Cryptography;
using System.Text;
using Rerank.Model.Runtime;

namespace Rerank.Trainer.Data;

/// <summary>
/// A SHA-256 over everything a <see cref="TrainingCorpus"/> feeds the later stages (branch, training and held-out queries
/// with their texts, positives and given negatives, every passage): <c>mine</c> and <c>plan</c> record it, so a resume or a
/// plan on other data is refused instead of mixing the two.
/// </summary>
internal static class TrainingCorpusFingerprint
{
    public static string Compute(TrainingCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "rerank-corpus-1");
        Append(hash, corpus.Branch.ToName());
        foreach (var (part, queries) in new[] { ("train", corpus.Train), ("heldout", corpus.HeldOut) })
        {
            Append(hash, part);
            Append(hash, queries.Count);
            foreach (var query in queries)
            {
                Append(hash, query.QueryId);
                Append(hash, corpus.Queries[query.QueryId]);
                AppendList(hash, query.Positives);
                AppendList(hash, query.GivenNegatives);
            }
        }

        Append(hash, corpus.Passages.Count);
        foreach (var id in corpus.Passages.Keys.Order(StringComparer.Ordinal))
        {
            Append(hash, id);
            Append(hash, corpus.Passages[id]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendList(IncrementalHash hash, IReadOnlyList<string> items)
    {
        Append(hash, items.Count);
        foreach (var item in items)
        {
            Append(hash, item);
        }
    }

    // Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Append(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void Append(IncrementalHash hash, int value) => hash.AppendData(BitConverter.GetBytes(value));
}
