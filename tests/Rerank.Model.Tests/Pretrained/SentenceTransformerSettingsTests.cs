using Rerank.Model.Architecture;
using Rerank.Model.Pretrained;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Pretrained;

/// <summary>sentence-transformers' files as its save() writes them (hand-written here), read back.</summary>
public sealed class SentenceTransformerSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_HubLayout_GivesPoolingPromptsLimitAndLicence()
    {
        // A Hub model's files: the Pooling module under its own path, prompts for both sides, license in the card.
        Write("modules.json", """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "pool", "type": "sentence_transformers.models.Pooling"}]
            """);
        Write("pool/config.json", """{"word_embedding_dimension": 384, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": false}""");
        Write("sentence_bert_config.json", """{"max_seq_length": 128, "do_lower_case": false}""");
        Write("config_sentence_transformers.json", """{"prompts": {"query": "query: ", "document": "passage: "}, "default_prompt_name": null}""");
        Write("README.md", "---\nlanguage: en\nlicense: apache-2.0\nbase_model: org/model\n---\n# Model\nlicense: not this one\n");

        var settings = SentenceTransformerSettings.Read(_temp.Path, maxPositionEmbeddings: 512);

        Assert.Equal(
            new SentenceTransformerSettings { Pooling = EmbeddingPooling.Cls, QueryPrefix = "query: ", PassagePrefix = "passage: ", MaxTokens = 128, License = "apache-2.0", SourceModel = "org/model" },
            settings);
    }

    [Fact]
    public void Read_NoFiles_MeanPoolingNoPrefixesThePositions()
    {
        var settings = SentenceTransformerSettings.Read(_temp.Path, maxPositionEmbeddings: 512);

        Assert.Equal(new SentenceTransformerSettings { MaxTokens = 512 }, settings);
    }

    [Fact]
    public void Read_UnsupportedPoolingAndTooLongLimit_ListsBothProblems()
    {
        Write("1_Pooling/config.json", """{"pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": true}""");
        Write("sentence_bert_config.json", """{"max_seq_length": 1024}""");

        var exception = Assert.Throws<InvalidDataException>(() => SentenceTransformerSettings.Read(_temp.Path, maxPositionEmbeddings: 512));

        Assert.Contains("pooling_mode_max_tokens is not supported (mean and cls pooling are)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("max_seq_length must be an integer from 2 to max_position_embeddings 512 (is 1024)", exception.Message, StringComparison.Ordinal);
    }

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
