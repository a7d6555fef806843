using Rerank.Model.Architecture;

namespace Rerank.Model.Pretrained;

/// <summary>
/// A real pretrained sentence encoder that reaches this machine as a NuGet package with the ONNX export and the
/// vocabulary as assembly resources (docs/starter-model.md). How its authors use it is recorded here: pooling, query
/// prefix, token limit.
/// </summary>
internal sealed record PretrainedEncoder
{
    /// <summary>The name commands take: <c>minilm</c>, <c>arctic-xs</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The Hugging Face model the package ships.</summary>
    public required string ModelName { get; init; }

    public required string PackageId { get; init; }

    /// <summary>The pinned package version (also in src/Model/Rerank.Model.csproj's PackageDownload).</summary>
    public required string PackageVersion { get; init; }

    /// <summary>Manifest-resource name prefix inside the package's assembly: <c>{prefix}model.onnx</c>, <c>{prefix}vocab.txt</c>.</summary>
    public required string ResourcePrefix { get; init; }

    /// <summary>The sentence-transformers pooling of the model.</summary>
    public required EmbeddingPooling Pooling { get; init; }

    /// <summary>Put before queries (arctic-embed's retrieval instruction), or null.</summary>
    public string? QueryPrefix { get; init; }

    /// <summary>sentence-transformers' <c>max_seq_length</c>: tokens per text, [CLS] and [SEP] included.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>The licences, for docs and a bundle's provenance.</summary>
    public required string License { get; init; }

    /// <summary>The assembly file inside the package: <c>lib/netstandard2.1/{PackageId}.dll</c>.</summary>
    public string AssemblyFileName => PackageId + ".dll";

    public string ModelResource => ResourcePrefix + "model.onnx";

    public string VocabularyResource => ResourcePrefix + "vocab.txt";
}
