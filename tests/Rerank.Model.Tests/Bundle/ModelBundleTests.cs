using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;
using Rerank.Model.Tokenization;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Bundle;

public sealed class ModelBundleTests : IDisposable
{
    private static readonly TextLimits QueryLimits = new() { MaxTokens = 32, MaxChars = 200 };
    private static readonly TextLimits PassageLimits = new() { MaxTokens = 96, MaxChars = 700 };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_WrittenBundle_ReturnsTheManifestWritten()
    {
        var directory = WriteBundle("bundle", seed: 7);

        var bundle = ModelBundle.Load(directory);

        var m = bundle.Manifest;
        Assert.Equal(1, m.FormatVersion);
        Assert.Equal(BackboneArchitecture.Llama, m.Backbone.Architecture);
        Assert.Equal(1, m.Backbone.NumLayers);
        Assert.Equal(16, m.Backbone.HiddenSize);
        Assert.Equal(2, m.Backbone.NumHeads);
        Assert.Equal(1, m.Backbone.NumKeyValueHeads);
        Assert.Equal(3 * 16, m.Backbone.IntermediateSize);
        Assert.Equal(10_000, m.Backbone.RopeTheta);
        Assert.Equal(File.ReadAllLines(Path.Combine(directory, "tokenizer", "vocab.txt")).Length, m.Backbone.VocabSize);
        Assert.Equal(16, m.Heads.Dim);
        Assert.Equal(2, m.Heads.PmaHeads);
        Assert.Equal(8, m.Heads.IemHidden);
        Assert.Equal(TokenizerKind.WordPiece, m.Tokenizer.Kind);
        Assert.Equal(["vocab.txt"], m.Tokenizer.Files);
        Assert.True(m.Tokenizer.LowerCase);
        Assert.Equal("tokenizer", m.TokenizerDirectory);
        Assert.Equal(QueryLimits, m.Query);
        Assert.Equal(PassageLimits, m.Passage);
        Assert.Equal(["sym", "asym"], m.Branches);
        Assert.Equal(7, m.Provenance.Seed);
        Assert.Equal(Path.GetFullPath(directory), bundle.Directory);
        Assert.Equal(Path.Combine(Path.GetFullPath(directory), "encoder.onnx"), bundle.EncoderPath);
    }

    [Fact]
    public void Load_WrittenBundle_ModelIdIsHashOfManifestWithIdBlanked()
    {
        var directory = WriteBundle("bundle", seed: 7);
        var text = File.ReadAllText(Path.Combine(directory, "manifest.json"));
        var id = JsonNode.Parse(text)!["modelId"]!.GetValue<string>();
        var blanked = text.Replace($"\"modelId\": \"{id}\"", "\"modelId\": \"\"", StringComparison.Ordinal);
        Assert.NotEqual(text, blanked);
        var expected = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(blanked)))[..24];

        var bundle = ModelBundle.Load(directory);

        Assert.Matches("^[0-9a-f]{24}$", bundle.ModelId);
        Assert.Equal(expected, bundle.ModelId);
    }

    [Fact]
    public void Load_WrittenBundle_FileHashesAreSha256OfEveryFileButTheManifest()
    {
        var directory = WriteBundle("bundle", seed: 7);
        var expected = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "manifest.json")
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), f => Hex(SHA256.HashData(File.ReadAllBytes(f))));

        var bundle = ModelBundle.Load(directory);

        Assert.Contains("encoder.onnx", expected.Keys);
        Assert.Contains("passage_projection.onnx", expected.Keys);
        Assert.Contains("scorer.onnx", expected.Keys);
        Assert.Contains("tokenizer/vocab.txt", expected.Keys);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), bundle.Manifest.FileHashes.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Write_SameSettingsTwice_GivesByteIdenticalDirectories()
    {
        var first = WriteBundle("first", seed: 3);
        var second = WriteBundle("second", seed: 3);

        var firstFiles = RelativeFiles(first);
        Assert.Equal(firstFiles, RelativeFiles(second));
        Assert.Contains("manifest.json", firstFiles);
        foreach (var file in firstFiles)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(first, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, file))),
                $"{file} differs between two writes with the same settings");
        }
    }

    [Fact]
    public void Write_AnotherSeed_GivesAnotherModelId()
    {
        var first = ModelBundle.Load(WriteBundle("first", seed: 3));
        var second = ModelBundle.Load(WriteBundle("second", seed: 4));

        Assert.NotEqual(first.ModelId, second.ModelId);
        Assert.NotEqual(first.Manifest.FileHashes["encoder.onnx"], second.Manifest.FileHashes["encoder.onnx"]);
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsNamingTheDirectory()
    {
        var directory = Path.Combine(_temp.Path, "nowhere");

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        Assert.Contains(directory, exception.Message);
        Assert.Equal(["the directory does not exist"], exception.Problems);
    }

    [Fact]
    public void Load_MissingManifest_ThrowsNamingManifestJson()
    {
        var directory = WriteBundle("bundle", seed: 1);
        File.Delete(Path.Combine(directory, "manifest.json"));

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        Assert.Equal(["manifest.json: missing"], exception.Problems);
        Assert.Contains(directory, exception.Message);
    }

    [Fact]
    public void Load_MalformedJson_ThrowsNamingManifestAndOneBasedLine()
    {
        var directory = Path.Combine(_temp.Path, "malformed");
        Directory.CreateDirectory(directory);

        // Line 5 holds the syntax error: a ']' where a value must start.
        File.WriteAllText(
            Path.Combine(directory, "manifest.json"),
            "{\n  \"formatVersion\": 1,\n  \"modelId\": \"\",\n  \"backbone\": {\n    \"architecture\": ],\n  }\n}\n");

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("manifest.json: ", problem, StringComparison.Ordinal);
        Assert.Contains("line 5:", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownProperty_ThrowsNamingTheProperty()
    {
        var directory = WriteBundle("bundle", seed: 1);
        EditManifest(directory, m => m["colour"] = "blue");

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("manifest.json: ", problem, StringComparison.Ordinal);
        Assert.Contains("colour", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownNestedProperty_ThrowsNamingThePath()
    {
        var directory = WriteBundle("bundle", seed: 1);
        EditManifest(directory, m => m["heads"]!["dropout"] = 0.1);

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("manifest.json: ", problem, StringComparison.Ordinal);
        Assert.Contains("heads", problem, StringComparison.Ordinal);
        Assert.Contains("dropout", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("formatVersion", "manifest.json: formatVersion: 3 is not supported")]
    [InlineData("heads.dim", "manifest.json: heads.dim: 32 differs from backbone.hiddenSize 16")]
    [InlineData("query.maxTokens", "manifest.json: query.maxTokens: must be at least 1 (is 0)")]
    [InlineData("passage.maxTokens", "manifest.json: passage.maxTokens: 513 exceeds backbone.maxPositionEmbeddings 512")]
    [InlineData("passage.maxChars", "manifest.json: passage.maxChars: must be 0 (no cut) or positive (is -1)")]
    [InlineData("branches", "manifest.json: branches: [asym, sym] must be [sym, asym]")]
    [InlineData("tokenizer.files", "manifest.json: tokenizer.files: WordPiece needs exactly one file, vocab.txt (got 0)")]
    [InlineData("backbone.numKeyValueHeads", "manifest.json: backbone: num_attention_heads 2 is not a multiple of num_key_value_heads 3.")]
    public void Load_OneBadField_ReportsOnlyThatFieldAndFile(string field, string expectedProblem)
    {
        var directory = WriteBundle("bundle", seed: 1);
        EditManifest(directory, m => BreakField(m, field));

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith(expectedProblem, problem, StringComparison.Ordinal);
        Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backbone")]
    [InlineData("heads")]
    [InlineData("tokenizer")]
    [InlineData("query")]
    [InlineData("passage")]
    [InlineData("branches")]
    [InlineData("files")]
    [InlineData("fileHashes")]
    [InlineData("provenance")]
    [InlineData("modelId")]
    [InlineData("files.encoder")]
    [InlineData("tokenizer.files")]
    public void Load_NullField_ThrowsNamingTheField(string field)
    {
        var directory = WriteBundle("bundle", seed: 1);
        EditManifest(directory, m =>
        {
            var path = field.Split('.');
            var parent = path[..^1].Aggregate(m, (node, name) => node[name]!);
            parent[path[^1]] = null;
        });

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("manifest.json: ", problem, StringComparison.Ordinal);
        Assert.Contains(field, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralBadFields_ReportsEveryOne()
    {
        var directory = WriteBundle("bundle", seed: 1);
        EditManifest(directory, m =>
        {
            BreakField(m, "formatVersion");
            BreakField(m, "query.maxTokens");
            BreakField(m, "branches");
            BreakField(m, "tokenizer.files");
        });

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        Assert.Equal(4, exception.Problems.Count);
        Assert.Contains(exception.Problems, p => p.StartsWith("manifest.json: formatVersion:", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("manifest.json: query.maxTokens:", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("manifest.json: branches:", StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.StartsWith("manifest.json: tokenizer.files:", StringComparison.Ordinal));
        foreach (var problem in exception.Problems)
        {
            Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_WeightFileEditedAfterWriting_ReportsHashMismatchOfThatFile()
    {
        var directory = WriteBundle("bundle", seed: 1);
        var encoder = Path.Combine(directory, "encoder.onnx");
        var bytes = File.ReadAllBytes(encoder);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(encoder, bytes);

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("encoder.onnx: ", problem, StringComparison.Ordinal);
        Assert.Contains("SHA-256", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TokenizerFileEdited_ReportsHashMismatchOfThatFile()
    {
        var directory = WriteBundle("bundle", seed: 1);
        File.AppendAllText(Path.Combine(directory, "tokenizer", "vocab.txt"), "extra\n");

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("tokenizer/vocab.txt: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ListedFileDeleted_ReportsItMissing()
    {
        var directory = WriteBundle("bundle", seed: 1);
        File.Delete(Path.Combine(directory, "scorer.onnx"));

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("scorer.onnx: missing", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileHashOutsideTheBundle_ReportsThePath()
    {
        var directory = WriteBundle("bundle", seed: 1);
        File.WriteAllText(Path.Combine(_temp.Path, "outside.bin"), "x");
        var hashOfX = Hex(SHA256.HashData("x"u8.ToArray()));
        EditManifest(directory, m => m["fileHashes"]!["../outside.bin"] = hashOfX);

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        Assert.Contains("manifest.json: fileHashes: '../outside.bin' is not a plain relative path inside the bundle", exception.Problems);
    }

    [Fact]
    public void Load_TokenizerFileWithoutHash_ReportsTokenizerFiles()
    {
        var directory = WriteBundle("bundle", seed: 1);
        EditManifest(directory, m => m["fileHashes"]!.AsObject().Remove("tokenizer/vocab.txt"));

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        Assert.Contains("manifest.json: tokenizer.files: 'tokenizer/vocab.txt' has no entry in fileHashes", exception.Problems);
    }

    [Fact]
    public void Load_ModelIdTampered_ReportsModelId()
    {
        var directory = WriteBundle("bundle", seed: 1);
        var path = Path.Combine(directory, "manifest.json");
        var text = File.ReadAllText(path);
        var id = JsonNode.Parse(text)!["modelId"]!.GetValue<string>();
        var forged = id[0] == '0' ? "1" + id[1..] : "0" + id[1..];
        File.WriteAllText(path, text.Replace(id, forged, StringComparison.Ordinal));

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("manifest.json: modelId: ", problem, StringComparison.Ordinal);
        Assert.Contains(forged, problem, StringComparison.Ordinal);
        Assert.Contains(id, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WeightAndHashChangedButIdNot_ReportsModelId()
    {
        // A consistent fileHashes entry is not enough: the id covers the hashes, so it must change too.
        var directory = WriteBundle("bundle", seed: 1);
        var encoder = Path.Combine(directory, "encoder.onnx");
        var oldHash = Hex(SHA256.HashData(File.ReadAllBytes(encoder)));
        File.AppendAllText(encoder, "x");
        var newHash = Hex(SHA256.HashData(File.ReadAllBytes(encoder)));
        var path = Path.Combine(directory, "manifest.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace(oldHash, newHash, StringComparison.Ordinal));

        var exception = Assert.Throws<ModelBundleException>(() => ModelBundle.Load(directory));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("manifest.json: modelId: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void StudentModelLoad_EncoderIsGarbageWithValidHashes_ThrowsNamingEncoderOnnx()
    {
        var directory = WriteBundle("bundle", seed: 1);
        var encoder = Path.Combine(directory, "encoder.onnx");
        var oldHash = Hex(SHA256.HashData(File.ReadAllBytes(encoder)));
        byte[] garbage = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 0x00, 0x07];
        File.WriteAllBytes(encoder, garbage);
        ReplaceHashAndRecomputeId(directory, oldHash, Hex(SHA256.HashData(garbage)));
        _ = ModelBundle.Load(directory); // Only ONNX Runtime can tell that the bytes are not a model.

        var exception = Assert.Throws<ModelBundleException>(() => StudentModel.Load(directory, new StudentModelOptions { PreferGpu = false }));

        var problem = Assert.Single(exception.Problems);
        Assert.StartsWith("encoder.onnx: ", problem, StringComparison.Ordinal);
    }

    private string WriteBundle(string name, int seed)
    {
        var directory = Path.Combine(_temp.Path, name);
        RandomBundle.Write(directory, new RandomBundleSettings
        {
            Layers = 1,
            Hidden = 16,
            Heads = 2,
            KeyValueHeads = 1,
            IemHidden = 8,
            Seed = seed,
            Query = QueryLimits,
            Passage = PassageLimits,
        });
        return directory;
    }

    private static void BreakField(JsonNode manifest, string field)
    {
        switch (field)
        {
            case "formatVersion":
                manifest["formatVersion"] = 3;
                break;
            case "heads.dim":
                manifest["heads"]!["dim"] = 32;
                break;
            case "query.maxTokens":
                manifest["query"]!["maxTokens"] = 0;
                break;
            case "passage.maxTokens":
                manifest["passage"]!["maxTokens"] = 513;
                break;
            case "passage.maxChars":
                manifest["passage"]!["maxChars"] = -1;
                break;
            case "branches":
                manifest["branches"] = new JsonArray("asym", "sym");
                break;
            case "tokenizer.files":
                manifest["tokenizer"]!["files"] = new JsonArray();
                break;
            case "backbone.numKeyValueHeads":
                manifest["backbone"]!["numKeyValueHeads"] = 3;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field, "No way to break this field.");
        }
    }

    /// <summary>Changes the manifest's JSON and nothing else: the id is not recomputed.</summary>
    private static void EditManifest(string directory, Action<JsonNode> edit)
    {
        var path = Path.Combine(directory, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Swaps one file hash in manifest.json's text, then sets modelId by the documented rule: the first 24 hex digits
    /// of SHA-256 over the manifest's bytes with the id's value blanked.
    /// </summary>
    private static void ReplaceHashAndRecomputeId(string directory, string oldHash, string newHash)
    {
        var path = Path.Combine(directory, "manifest.json");
        var text = File.ReadAllText(path);
        var id = JsonNode.Parse(text)!["modelId"]!.GetValue<string>();
        var idField = $"\"modelId\": \"{id}\"";
        Assert.Contains(oldHash, text, StringComparison.Ordinal);
        Assert.Contains(idField, text, StringComparison.Ordinal);
        var blanked = text.Replace(oldHash, newHash, StringComparison.Ordinal).Replace(idField, "\"modelId\": \"\"", StringComparison.Ordinal);
        var newId = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(blanked)))[..24];
        File.WriteAllText(path, blanked.Replace("\"modelId\": \"\"", $"\"modelId\": \"{newId}\"", StringComparison.Ordinal));
    }

    private static List<string> RelativeFiles(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static string Hex(byte[] hash) => string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
