using System.Globalization;
using Lucene.Net.Search.Similarities;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// An index's text scoring: <c>index.similarity.default</c> (type <c>BM25</c> with <c>k1</c>, <c>b</c>,
/// <c>discount_overlaps</c>), and which BM25 arithmetic the index's stored norms were written for. Immutable.
/// </summary>
public sealed record SimilaritySettings
{
    /// <summary>The settings prefix of Elasticsearch's similarity definitions.</summary>
    internal const string Prefix = "index.similarity.";

    private const string DefaultName = "default";
    private const string Bm25Type = "BM25";

    /// <summary>Elasticsearch's built-in similarity types: the only names a <c>type</c> may take there.</summary>
    private static readonly string[] BuiltInTypes = ["BM25", "boolean", "DFR", "IB", "LMDirichlet", "LMJelinekMercer", "DFI", "scripted"];

    /// <summary>Names that cannot be redefined in Elasticsearch (the similarities it always provides).</summary>
    private static readonly string[] PredefinedNames = ["BM25", "boolean"];

    /// <summary>BM25 term-frequency saturation. Default 1.2.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation. Default 0.75.</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>Whether overlapping tokens are left out of field lengths. Default true.</summary>
    public bool DiscountOverlaps { get; init; } = true;

    /// <summary>
    /// The BM25 arithmetic. Indices created by this engine version score as Elasticsearch
    /// (<see cref="Bm25Scoring.Elasticsearch"/>); indices created before it have Lucene 4.8 norms on disk and keep
    /// Lucene 4.8's BM25 (<see cref="IndexMetadata"/> format 1).
    /// </summary>
    public Bm25Scoring Scoring { get; init; } = Bm25Scoring.Elasticsearch;

    /// <summary>The Lucene similarity for the writer and every searcher of the index.</summary>
    internal PerFieldSimilarity CreateSimilarity() => new(Scoring switch
    {
        Bm25Scoring.Elasticsearch => new ElasticsearchBm25Similarity(K1, B, DiscountOverlaps),
        _ => new BM25Similarity(K1, B) { DiscountOverlaps = DiscountOverlaps },
    });

    /// <summary>
    /// Builds the similarity settings from the flat <c>index.similarity.*</c> keys, checked as Elasticsearch checks them
    /// when it creates an index, plus one refusal of its own: similarities other than <c>default</c> (which only a field
    /// mapping's <c>similarity</c> could use, and the engine does not support that mapping parameter).
    /// </summary>
    /// <exception cref="EngineException"><c>illegal_argument_exception</c> naming the similarity and the setting.</exception>
    internal static SimilaritySettings Parse(IReadOnlyDictionary<string, string> flat)
    {
        var groups = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (key, value) in flat)
        {
            if (!key.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key[Prefix.Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || dot == rest.Length - 1)
            {
                // "index.similarity.x" with no group: Elasticsearch has no such setting.
                throw StoreErrors.UnknownSetting(key);
            }

            var name = rest[..dot];
            if (!groups.TryGetValue(name, out var group))
            {
                group = new SortedDictionary<string, string>(StringComparer.Ordinal);
                groups[name] = group;
            }

            group[rest[(dot + 1)..]] = value;
        }

        var settings = new SimilaritySettings();
        foreach (var (name, group) in groups)
        {
            if (PredefinedNames.Contains(name, StringComparer.Ordinal))
            {
                throw EngineException.IllegalArgument($"Cannot redefine built-in Similarity [{name}]");
            }

            if (!group.TryGetValue("type", out var type))
            {
                throw EngineException.IllegalArgument($"Similarity [{name}] must have an associated type");
            }

            if (!BuiltInTypes.Contains(type, StringComparer.Ordinal))
            {
                throw EngineException.IllegalArgument($"Unknown Similarity type [{type}] for [{name}]");
            }

            if (name != DefaultName)
            {
                throw EngineException.IllegalArgument(
                    $"similarity [{name}] is not supported by the embedded engine: only [index.similarity.default] can be set, "
                    + "because fields cannot choose a similarity");
            }

            if (type != Bm25Type)
            {
                throw EngineException.IllegalArgument(
                    $"similarity type [{type}] for [{name}] is not supported by the embedded engine: only [{Bm25Type}] is");
            }

            settings = ParseBm25(group);
        }

        return settings;
    }

    private static SimilaritySettings ParseBm25(SortedDictionary<string, string> group)
    {
        var unknown = group.Keys.Where(key => key is not ("type" or "k1" or "b" or "discount_overlaps")).ToList();
        if (unknown.Count > 0)
        {
            throw EngineException.IllegalArgument($"Unknown settings for similarity of type [{Bm25Type}]: [{string.Join(", ", unknown)}]");
        }

        var k1 = group.TryGetValue("k1", out var k1Text) ? ParseFloat("k1", k1Text) : 1.2f;
        var b = group.TryGetValue("b", out var bText) ? ParseFloat("b", bText) : 0.75f;
        var discountOverlaps = !group.TryGetValue("discount_overlaps", out var overlapsText) || ParseBoolean(overlapsText);
        if (ElasticsearchBm25Similarity.ParameterError(k1, b) is { } error)
        {
            throw EngineException.IllegalArgument(error);
        }

        return new SimilaritySettings { K1 = k1, B = b, DiscountOverlaps = discountOverlaps };
    }

    private static float ParseFloat(string name, string value)
    {
        // Java's Float.parseFloat: decimal or exponent notation, surrounding whitespace allowed.
        if (float.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw EngineException.IllegalArgument($"Failed to parse float setting [{name}] with value [{value}]");
    }

    private static bool ParseBoolean(string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw EngineException.IllegalArgument($"Failed to parse value [{value}] as only [true] or [false] are allowed."),
    };
}
