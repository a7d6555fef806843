using System.Globalization;
using Lucene.Net.Search.Similarities;
using Rerank.LuceneBaseline.Engine.Errors;
using Rerank.LuceneBaseline.Engine.Mapping;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.LuceneBaseline.Engine.Store;

/// <summary>
/// An index's text scoring: the similarities of <c>index.similarity.*</c> (type <c>BM25</c> with <c>k1</c>, <c>b</c>,
/// <c>discount_overlaps</c>, or <c>boolean</c>), the one named <c>default</c> scoring every field that names none, and
/// which BM25 arithmetic the index's stored norms were written for. Immutable.
/// </summary>
internal sealed record SimilaritySettings
{
    /// <summary>The settings prefix of Elasticsearch's similarity definitions.</summary>
    internal const string Prefix = "index.similarity.";

    private const string DefaultName = "default";
    private const string Bm25Name = "BM25";
    private const string BooleanName = "boolean";

    /// <summary>Elasticsearch's built-in similarity types: the only names a <c>type</c> may take there.</summary>
    private static readonly string[] BuiltInTypes = ["BM25", "boolean", "DFR", "IB", "LMDirichlet", "LMJelinekMercer", "DFI", "scripted"];

    /// <summary>The similarities a field may name without defining them, and that cannot be redefined.</summary>
    private static readonly Dictionary<string, SimilarityDefinition> Predefined = new(StringComparer.Ordinal)
    {
        [Bm25Name] = SimilarityDefinition.Bm25Defaults,
        [BooleanName] = SimilarityDefinition.Boolean,
    };

    /// <summary>What scores a field that names no similarity: <c>index.similarity.default</c>, else Elasticsearch's BM25.</summary>
    public SimilarityDefinition Default { get; init; } = SimilarityDefinition.Bm25Defaults;

    /// <summary>The similarities defined in the settings, by name (<c>default</c> among them when it is defined).</summary>
    public IReadOnlyDictionary<string, SimilarityDefinition> Defined { get; init; } = new Dictionary<string, SimilarityDefinition>(StringComparer.Ordinal);

    /// <summary>
    /// The BM25 arithmetic. Indices created by this engine version score as Elasticsearch
    /// (<see cref="Bm25Scoring.Elasticsearch"/>); indices created before it have Lucene 4.8 norms on disk and keep
    /// Lucene 4.8's BM25 (<see cref="IndexMetadata"/> format 1).
    /// </summary>
    public Bm25Scoring Scoring { get; init; } = Bm25Scoring.Elasticsearch;

    /// <summary>Whether a field may name <paramref name="name"/> in its <c>similarity</c>.</summary>
    public bool IsKnown(string name) => Predefined.ContainsKey(name) || Defined.ContainsKey(name);

    /// <summary>
    /// Checks that every field's <c>similarity</c> names a similarity of this index, as Elasticsearch checks it when it
    /// parses the mapping.
    /// </summary>
    /// <exception cref="EngineException"><c>mapper_parsing_exception</c> "Failed to parse mapping: Unknown Similarity type
    /// [x] for field [f]".</exception>
    internal void CheckMapping(IndexMapping mapping)
    {
        foreach (var field in mapping.FieldsByPath.Values)
        {
            if (field.TextSimilarity is { } name && !IsKnown(name))
            {
                throw MappingErrors.FailedToParse(MappingErrors.Parsing($"Unknown Similarity type [{name}] for field [{field.Name}]"));
            }
        }
    }

    /// <summary>The Lucene similarity for the writer and every searcher of the index; field similarities follow <paramref name="mapping"/>.</summary>
    internal PerFieldSimilarity CreateSimilarity(Func<IndexMapping> mapping)
    {
        var byName = new Dictionary<string, Similarity>(StringComparer.Ordinal);
        foreach (var (name, definition) in Predefined.Concat(Defined))
        {
            byName[name] = Create(definition);
        }

        return new PerFieldSimilarity(Create(Default), byName, mapping);
    }

    /// <summary>
    /// Builds the similarity settings from the flat <c>index.similarity.*</c> keys, checked as Elasticsearch checks them
    /// when it creates an index, plus the engine's refusal of the types it does not implement.
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

        var defined = new Dictionary<string, SimilarityDefinition>(StringComparer.Ordinal);
        foreach (var (name, group) in groups)
        {
            if (Predefined.ContainsKey(name))
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

            defined[name] = type switch
            {
                Bm25Name => ParseBm25(group),
                BooleanName => ParseBoolean(group),
                _ => throw EngineException.IllegalArgument(
                    $"similarity type [{type}] for [{name}] is not supported by the embedded engine: only [{Bm25Name}] and [{BooleanName}] are"),
            };
        }

        return new SimilaritySettings
        {
            Default = defined.GetValueOrDefault(DefaultName) ?? SimilarityDefinition.Bm25Defaults,
            Defined = defined,
        };
    }

    private Similarity Create(SimilarityDefinition definition) => definition.Type == SimilarityType.Boolean
        ? new BooleanSimilarity()
        : Bm25Similarities.Create(Scoring, definition.K1, definition.B, definition.DiscountOverlaps);

    private static SimilarityDefinition ParseBoolean(SortedDictionary<string, string> group)
    {
        var unknown = group.Keys.Where(key => key != "type").ToList();
        return unknown.Count > 0
            ? throw EngineException.IllegalArgument($"Unknown settings for similarity of type [{BooleanName}]: [{string.Join(", ", unknown)}]")
            : SimilarityDefinition.Boolean;
    }

    private static SimilarityDefinition ParseBm25(SortedDictionary<string, string> group)
    {
        var unknown = group.Keys.Where(key => key is not ("type" or "k1" or "b" or "discount_overlaps")).ToList();
        if (unknown.Count > 0)
        {
            throw EngineException.IllegalArgument($"Unknown settings for similarity of type [{Bm25Name}]: [{string.Join(", ", unknown)}]");
        }

        var k1 = group.TryGetValue("k1", out var k1Text) ? ParseFloat("k1", k1Text) : 1.2f;
        var b = group.TryGetValue("b", out var bText) ? ParseFloat("b", bText) : 0.75f;
        var discountOverlaps = !group.TryGetValue("discount_overlaps", out var overlapsText) || JavaBooleans.Parse(overlapsText);
        if (ElasticsearchBm25Similarity.ParameterError(k1, b) is { } error)
        {
            throw EngineException.IllegalArgument(error);
        }

        return new SimilarityDefinition { K1 = k1, B = b, DiscountOverlaps = discountOverlaps };
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
}
