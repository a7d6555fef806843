using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Bundle;

/// <summary>
/// Format version 2 (docs/model-bundle.md): the writer picks the lowest version that holds the bundle, and a reader
/// refuses a version-1 manifest that uses a BERT backbone or a prefix, naming why.
/// </summary>
public sealed class FormatVersionTests : IDisposable
{
    private static readonly RandomBundleSettings Decoder = new()
    {
        Layers = 1,
        Hidden = 16,
        Heads = 2,
        KeyValueHeads = 1,
        IemHidden = 8,
        Query = new TextLimits { MaxTokens = 32, MaxChars = 200 },
        Passage = new TextLimits { MaxTokens = 32, MaxChars = 200 },
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_DecoderWithoutPrefix_IsVersionOne()
    {
        Assert.Equal(1, RandomBundle.Write(Path.Combine(_temp.Path, "plain"), Decoder).FormatVersion);
    }

    [Fact]
    public void Write_DecoderWithPassagePrefix_IsVersionTwoAndLoadsThePrefix()
    {
        var directory = Path.Combine(_temp.Path, "prefixed");
        RandomBundle.Write(directory, Decoder with { Passage = Decoder.Passage with { Prefix = "passage: " } });

        var manifest = ModelBundle.Load(directory).Manifest;

        Assert.Equal(2, manifest.FormatVersion);
        Assert.Equal("passage: ", manifest.Passage.Prefix);
        Assert.Null(manifest.Query.Prefix);
        Assert.Equal("passage: ", JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ModelManifest.FileName)))!["passage"]!["prefix"]!.GetValue<string>());
    }

    [Fact]
    public void Load_BertManifestMarkedVersionOne_FailsNamingTheArchitecture()
    {
        var directory = Path.Combine(_temp.Path, "bert");
        RandomBundle.Write(directory, Decoder with { Architecture = BackboneArchitecture.Bert });
        var path = Path.Combine(directory, ModelManifest.FileName);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(2, manifest["formatVersion"]!.GetValue<int>());
        manifest["formatVersion"] = 1;
        File.WriteAllText(path, manifest.ToJsonString());

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        Assert.Contains("manifest.json: formatVersion: 1 cannot hold backbone.architecture bert; it needs format version 2", exception.Problems);
    }
}
