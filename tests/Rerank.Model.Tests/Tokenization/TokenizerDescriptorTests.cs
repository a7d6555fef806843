using System.Text.Json;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Tests.Tokenization;

public sealed class TokenizerDescriptorTests
{
    public static TheoryData<TokenizerDescriptor> ValidDescriptors => new()
    {
        new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"], LowerCase = true, PadToken = "[PAD]" },
        new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], EosToken = "<|endoftext|>", AddEos = true },
        new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["tokenizer.model"], AddBos = true }, // the model names its BOS
        new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["tok/vocab.txt"] },
        SplitBpeTokenizerTests.Qwen2Descriptor,
        SplitBpeTokenizerTests.Llama3Descriptor,
        new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], PreTokenizerPattern = @"\s+", PreTokenizerBehavior = PreTokenizerSplitBehavior.Removed, PreTokenizerInvert = true },
    };

    public static TheoryData<TokenizerDescriptor, string> InvalidDescriptors => new()
    {
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = [] }, "tokenizer.files: WordPiece needs exactly one file, vocab.txt (got 0)" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json"] }, "tokenizer.files: Bpe needs exactly two files, vocab.json then merges.txt (got 1)" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["merges.txt", "vocab.json"] }, "tokenizer.files: Bpe needs vocab.json first, then merges.txt (got 'merges.txt' first)" },
        { new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["a.model", "b.model"] }, "tokenizer.files: SentencePiece needs exactly one file, tokenizer.model (got 2)" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["../vocab.txt"] }, "tokenizer.files[0]: '../vocab.txt' must be relative to the tokenizer directory, without '..'" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = [" "] }, "tokenizer.files[0]: empty file name" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = null! }, "tokenizer.files: missing" },
        { new TokenizerDescriptor { Kind = (TokenizerKind)7, Files = ["x"] }, "tokenizer.kind: unknown kind '7'; expected WordPiece, Bpe or SentencePiece" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], LowerCase = true }, "tokenizer.lowerCase: only WordPiece lower-cases; Bpe must leave it false" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"], PadToken = "" }, "tokenizer.padToken: empty string; leave it out instead" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], AddEos = true }, "tokenizer.eosToken: addEos is true but no EOS token is given" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"], AddBos = true }, "tokenizer.bosToken: addBos is true but no BOS token is given" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"], PreTokenizerPattern = "a" }, "tokenizer.preTokenizerPattern: only Bpe takes it; WordPiece must leave it out" },
        { new TokenizerDescriptor { Kind = TokenizerKind.SentencePiece, Files = ["tokenizer.model"], Normalization = TextNormalization.Nfc }, "tokenizer.normalization: only Bpe takes it; SentencePiece must leave it out" },
        { new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"], IgnoreMerges = true }, "tokenizer.ignoreMerges: only Bpe takes it; WordPiece must leave it out" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], PreTokenizerPattern = "" }, "tokenizer.preTokenizerPattern: empty pattern; leave it out for GPT-2's" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], PreTokenizerPattern = @"\w+" }, @"tokenizer.preTokenizerPattern: \w at 0 is not supported (Oniguruma and .NET disagree on it)" },
        { new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"], PreTokenizerBehavior = (PreTokenizerSplitBehavior)4 }, "tokenizer.preTokenizerBehavior: unknown behavior '4'; expected isolated or removed" },
    };

    [Theory]
    [MemberData(nameof(ValidDescriptors))]
    public void Validate_Valid_ReturnsNoErrors(TokenizerDescriptor descriptor)
    {
        Assert.Empty(descriptor.Validate());
    }

    [Theory]
    [MemberData(nameof(InvalidDescriptors))]
    public void Validate_OneProblem_ReturnsItsMessage(TokenizerDescriptor descriptor, string expected)
    {
        Assert.Equal([expected], descriptor.Validate());
    }

    [Fact]
    public void Validate_SeveralProblems_ReturnsThemAll()
    {
        var descriptor = new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json"], LowerCase = true, UnkToken = "", AddBos = true };

        Assert.Equal(4, descriptor.Validate().Count);
    }

    [Fact]
    public void Deserialize_ManifestJson_ReadsCamelCaseAndKindByName()
    {
        const string Json = """
            {"kind": "SentencePiece", "files": ["tokenizer.model"], "bosToken": "<s>", "eosToken": "</s>", "addBos": true}
            """;

        var descriptor = JsonSerializer.Deserialize<TokenizerDescriptor>(Json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal(TokenizerKind.SentencePiece, descriptor.Kind);
        Assert.Equal(["tokenizer.model"], descriptor.Files);
        Assert.Equal("<s>", descriptor.BosToken);
        Assert.Equal("</s>", descriptor.EosToken);
        Assert.True(descriptor.AddBos);
        Assert.False(descriptor.AddEos);
        Assert.False(descriptor.LowerCase);
        Assert.Null(descriptor.PadToken);
    }

    [Fact]
    public void Serialize_WebDefaults_WritesKindByNameAndCamelCase()
    {
        var descriptor = new TokenizerDescriptor { Kind = TokenizerKind.WordPiece, Files = ["vocab.txt"], LowerCase = true };

        var json = JsonSerializer.Serialize(descriptor, new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

        Assert.Equal("""{"kind":"WordPiece","files":["vocab.txt"],"lowerCase":true,"addBos":false,"addEos":false}""", json);
    }

    [Fact]
    public void Serialize_ManifestOptions_WritesNewFieldsOnlyWhenSet()
    {
        // A GPT-2 descriptor serialises as before the fields existed, so old manifests keep their bytes and model id.
        var gpt2 = new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = ["vocab.json", "merges.txt"] };
        var qwen2 = SplitBpeTokenizerTests.Qwen2Descriptor;

        var gpt2Json = JsonSerializer.Serialize(gpt2, Rerank.Model.Bundle.ManifestJson.Options);
        var qwen2Json = JsonSerializer.Serialize(qwen2, Rerank.Model.Bundle.ManifestJson.Options);

        Assert.DoesNotContain("normalization", gpt2Json, StringComparison.Ordinal);
        Assert.DoesNotContain("preTokenizer", gpt2Json, StringComparison.Ordinal);
        Assert.DoesNotContain("ignoreMerges", gpt2Json, StringComparison.Ordinal);
        Assert.Contains("\"normalization\": \"nfc\"", qwen2Json, StringComparison.Ordinal);
        Assert.DoesNotContain("preTokenizerBehavior", qwen2Json, StringComparison.Ordinal);
        var back = JsonSerializer.Deserialize<TokenizerDescriptor>(qwen2Json, Rerank.Model.Bundle.ManifestJson.Options)!;
        Assert.Equal(SplitPreTokenizerTests.Qwen2Pattern, back.PreTokenizerPattern);
        Assert.Equal(TextNormalization.Nfc, back.Normalization);
        var llama3 = JsonSerializer.Deserialize<TokenizerDescriptor>(
            JsonSerializer.Serialize(SplitBpeTokenizerTests.Llama3Descriptor with { PreTokenizerBehavior = PreTokenizerSplitBehavior.Removed, PreTokenizerInvert = true }, Rerank.Model.Bundle.ManifestJson.Options),
            Rerank.Model.Bundle.ManifestJson.Options)!;
        Assert.True(llama3.IgnoreMerges);
        Assert.True(llama3.PreTokenizerInvert);
        Assert.Equal(PreTokenizerSplitBehavior.Removed, llama3.PreTokenizerBehavior);
    }
}
