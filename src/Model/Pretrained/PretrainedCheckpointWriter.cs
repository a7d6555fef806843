using System.Text;
using System.Text.Json.Nodes;
using Rerank.Model.Architecture;
using Rerank.Model.Checkpoints;

namespace Rerank.Model.Pretrained;

/// <summary>
/// Writes an imported BERT encoder as a Hugging Face model directory that a sentence-transformers user would recognise:
/// <c>config.json</c> (<c>BertModel</c>), <c>model.safetensors</c> (float32), <c>vocab.txt</c> (LF line ends),
/// <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> (<c>BertTokenizer</c>, lower-casing), and
/// sentence-transformers' <c>modules.json</c>, <c>1_Pooling/config.json</c>, <c>2_Normalize/</c>,
/// <c>sentence_bert_config.json</c>, <c>config_sentence_transformers.json</c>, plus a <c>README.md</c> model card
/// naming the source and licences. <see cref="SentenceTransformerSettings.Read(string)"/> reads the settings back.
/// </summary>
internal static class PretrainedCheckpointWriter
{
    public const string VocabularyFile = "vocab.txt";

    public const string TokenizerConfigFile = "tokenizer_config.json";

    public const string SpecialTokensMapFile = "special_tokens_map.json";

    /// <summary>BERT's special tokens, by their <c>tokenizer_config.json</c> keys.</summary>
    private static readonly (string Key, string Token)[] Specials =
        [("cls_token", "[CLS]"), ("mask_token", "[MASK]"), ("pad_token", "[PAD]"), ("sep_token", "[SEP]"), ("unk_token", "[UNK]")];

    /// <summary>Writes the directory (created; the files named above are replaced).</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="model">The recovered weights and shape.</param>
    /// <param name="vocabulary">The WordPiece vocabulary's text, one token per line (CRLF or LF).</param>
    /// <param name="vocabularySource">How messages name the vocabulary (its file or resource).</param>
    /// <param name="settings">Pooling, prefixes, token limit, licence and model name.</param>
    /// <param name="source">Where the weights came from, for the model card.</param>
    /// <exception cref="InvalidDataException">The vocabulary does not fit the model or is not BERT's kind; every problem, naming it.</exception>
    public static void Write(string directory, ImportedBert model, string vocabulary, string vocabularySource, SentenceTransformerSettings settings, string source)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(settings);
        var config = model.Config;
        var tokens = ReadVocabulary(vocabulary, vocabularySource, config);
        if (settings.MaxTokens < 2 || settings.MaxTokens > config.MaxPositionEmbeddings)
        {
            throw new ArgumentException($"The token limit {settings.MaxTokens} must be from 2 to the model's {config.MaxPositionEmbeddings} positions.", nameof(settings));
        }

        Directory.CreateDirectory(directory);
        var hfConfig = new HfModelConfig { Decoder = config, PadTokenId = tokens.IndexOf("[PAD]"), TorchDtype = SafetensorsDtype.F32 };
        HfCheckpointWriter.Write(
            directory, hfConfig, [.. model.Weights.Tensors.Select(t => SafetensorsWriteEntry.FromSingles(t.Name, SafetensorsDtype.F32, t.Shape, t.Values))]);

        File.WriteAllText(Path.Combine(directory, VocabularyFile), string.Concat(tokens.Select(t => t + "\n")), new UTF8Encoding(false));
        var tokenizerConfig = new JsonObject
        {
            ["clean_up_tokenization_spaces"] = true,
            ["do_basic_tokenize"] = true,
            ["do_lower_case"] = true,
            ["model_max_length"] = config.MaxPositionEmbeddings,
            ["never_split"] = null,
            ["strip_accents"] = null,
            ["tokenize_chinese_chars"] = true,
            ["tokenizer_class"] = "BertTokenizer",
        };
        var specialsMap = new JsonObject();
        foreach (var (key, token) in Specials)
        {
            tokenizerConfig[key] = token;
            specialsMap[key] = token;
        }

        HfModelConfig.WriteJson(Path.Combine(directory, TokenizerConfigFile), Sorted(tokenizerConfig));
        HfModelConfig.WriteJson(Path.Combine(directory, SpecialTokensMapFile), specialsMap);

        // sentence-transformers' own files, as its save() writes them.
        HfModelConfig.WriteJson(Path.Combine(directory, SentenceTransformerSettings.ModulesFile), new JsonArray(
            Module(0, "", "Transformer"), Module(1, SentenceTransformerSettings.PoolingDirectory, "Pooling"), Module(2, SentenceTransformerSettings.NormalizeDirectory, "Normalize")));
        var poolingDirectory = Path.Combine(directory, SentenceTransformerSettings.PoolingDirectory);
        Directory.CreateDirectory(poolingDirectory);
        Directory.CreateDirectory(Path.Combine(directory, SentenceTransformerSettings.NormalizeDirectory));
        HfModelConfig.WriteJson(Path.Combine(poolingDirectory, CheckpointFiles.Config), new JsonObject
        {
            ["word_embedding_dimension"] = config.HiddenSize,
            ["pooling_mode_cls_token"] = settings.Pooling == EmbeddingPooling.Cls,
            ["pooling_mode_mean_tokens"] = settings.Pooling == EmbeddingPooling.Mean,
            ["pooling_mode_max_tokens"] = false,
            ["pooling_mode_mean_sqrt_len_tokens"] = false,
            ["pooling_mode_weightedmean_tokens"] = false,
            ["pooling_mode_lasttoken"] = false,
            ["include_prompt"] = true,
        });
        HfModelConfig.WriteJson(Path.Combine(directory, SentenceTransformerSettings.SentenceBertConfigFile), new JsonObject
        {
            ["max_seq_length"] = settings.MaxTokens,
            ["do_lower_case"] = false,
        });
        var prompts = new JsonObject();
        if (settings.QueryPrefix is { } query)
        {
            prompts["query"] = query;
        }

        if (settings.PassagePrefix is { } passage)
        {
            prompts["document"] = passage;
        }

        HfModelConfig.WriteJson(Path.Combine(directory, SentenceTransformerSettings.SentenceTransformersConfigFile), new JsonObject
        {
            ["prompts"] = prompts,
            ["default_prompt_name"] = null,
            ["similarity_fn_name"] = "cosine",
        });
        File.WriteAllText(Path.Combine(directory, SentenceTransformerSettings.ModelCardFile), ModelCard(config, settings, source), new UTF8Encoding(false));
    }

    /// <summary>The tokens, one per line; every problem that keeps them from serving this model.</summary>
    private static List<string> ReadVocabulary(string text, string source, BackboneConfig config)
    {
        var tokens = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (tokens.Count > 0 && tokens[^1].Length == 0)
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        var problems = new List<string>();
        var empty = tokens.FindIndex(t => t.Trim().Length == 0);
        if (empty >= 0)
        {
            problems.Add($"line {empty + 1} is empty (a WordPiece vocabulary has one token per line)");
        }

        foreach (var (_, token) in Specials.Where(s => !tokens.Contains(s.Token)))
        {
            problems.Add($"no {token} token (BERT's special tokens are [PAD], [UNK], [CLS], [SEP], [MASK])");
        }

        if (tokens.Count > config.VocabSize)
        {
            problems.Add($"{tokens.Count} tokens, but the model's word embedding has {config.VocabSize} rows");
        }

        // bert-base-uncased has 2 tokens with a capital (ℝ); a cased vocabulary has thousands.
        var capitals = tokens.Count(t => !(t.StartsWith('[') && t.EndsWith(']')) && t.Any(char.IsUpper));
        if (capitals > tokens.Count / 100)
        {
            problems.Add($"{capitals} tokens have capitals: a cased vocabulary is not supported (the tokenizer lower-cases)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source}: " + string.Join("; ", problems));
        }

        return tokens;
    }

    private static JsonObject Module(int index, string path, string type) => new()
    {
        ["idx"] = index,
        ["name"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["path"] = path,
        ["type"] = "sentence_transformers.models." + type,
    };

    private static JsonObject Sorted(JsonObject source)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in source.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
        {
            sorted[key] = value?.DeepClone();
        }

        return sorted;
    }

    private static string ModelCard(BackboneConfig config, SentenceTransformerSettings settings, string source)
    {
        var card = new StringBuilder();
        card.Append("---\n");
        if (settings.SourceModel is { } model)
        {
            card.Append($"base_model: {SentenceTransformerSettings.Quote(model)}\n");
        }

        card.Append("library_name: sentence-transformers\n");
        if (settings.License is { } license)
        {
            card.Append($"{SentenceTransformerSettings.LicenseKey}: {SentenceTransformerSettings.Quote(license)}\n");
        }

        card.Append("---\n\n");
        card.Append($"# {settings.SourceModel ?? "BERT encoder"}\n\n");
        card.Append($"Imported by `rerank-train pretrained import` from {source}: the ONNX export's weights under transformers' BertModel names.\n\n");
        card.Append($"- Licences: {settings.License ?? "not recorded"}\n");
        card.Append($"- Shape: {config.NumLayers} layers, hidden {config.HiddenSize}, {config.NumHeads} heads, intermediate {config.IntermediateSize}, vocabulary {config.VocabSize}, {config.MaxPositionEmbeddings} positions\n");
        card.Append($"- Sentence embedding: {(settings.Pooling == EmbeddingPooling.Cls ? "CLS" : "mean")} pooling, L2-normalised, at most {settings.MaxTokens} tokens\n");
        if (settings.QueryPrefix is { } prefix)
        {
            card.Append($"- Query prefix: {SentenceTransformerSettings.Quote(prefix)}\n");
        }

        if (settings.PassagePrefix is { } passagePrefix)
        {
            card.Append($"- Passage prefix: {SentenceTransformerSettings.Quote(passagePrefix)}\n");
        }

        return card.ToString();
    }
}
