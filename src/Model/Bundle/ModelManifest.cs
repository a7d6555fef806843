using Rerank.Model.Architecture;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Bundle;

/// <summary>
/// <c>manifest.json</c>: everything needed to load and trust a model bundle. Written and read with
/// <see cref="ManifestJson"/>; the contract is docs/model-bundle.md.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "manifest.json";
    /// <summary>
    /// The newest format this build reads and writes. Version 2 added BERT backbones and text prefixes; a manifest
    /// that uses neither is still written as version 1, so older bundles and their ids are unchanged.
    /// </summary>
    public const int CurrentFormatVersion = 2;

    /// <summary>The oldest format this build reads.</summary>
    public const int OldestFormatVersion = 1;

    /// <summary>The branch names by index: the scorer's branch input 0 is <c>sym</c>, 1 is <c>asym</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultBranches = ["sym", "asym"];

    /// <summary>Bumped on any change a reader of the previous version would misread.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>The content hash (see <see cref="ModelBundle.ComputeModelId"/>): equal ids mean equal models.</summary>
    public string ModelId { get; init; } = "";

    public required BackboneConfig Backbone { get; init; }

    public required StudentHeadsConfig Heads { get; init; }

    /// <summary>The tokenizer; its files are relative to <see cref="TokenizerDirectory"/>.</summary>
    public required TokenizerDescriptor Tokenizer { get; init; }

    /// <summary>The tokenizer's folder inside the bundle.</summary>
    public string TokenizerDirectory { get; init; } = "tokenizer";

    public required TextLimits Query { get; init; }

    public required TextLimits Passage { get; init; }

    /// <summary>Branch names by index; must be <see cref="DefaultBranches"/>.</summary>
    public IReadOnlyList<string> Branches { get; init; } = DefaultBranches;

    public BundleFiles Files { get; init; } = new();

    /// <summary>SHA-256 (lower-case hex) of every file in the bundle but the manifest, by relative path with '/' separators.</summary>
    public required IReadOnlyDictionary<string, string> FileHashes { get; init; }

    public required ModelProvenance Provenance { get; init; }

    /// <summary>
    /// The lowest format version that can hold this manifest, with the reason: 2 for a BERT backbone, the cosine term or a text prefix
    /// (a version-1 reader would tokenize without the prefix or run the wrong backbone), else 1.
    /// </summary>
    public static (int Version, string? Reason) RequiredFormatVersion(ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Backbone.Architecture == BackboneArchitecture.Bert)
        {
            return (2, "backbone.architecture bert");
        }

        if (manifest.Heads.CosinePooling is not null)
        {
            return (2, "heads.cosinePooling");
        }

        if (manifest.Query.Prefix is not null || manifest.Passage.Prefix is not null)
        {
            return (2, "a query or passage prefix");
        }

        return (1, null);
    }
}
