using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Tokenization;
using Rerank.Model.Checkpoints;

namespace Rerank.Trainer.Tokenization;

/// <summary>
/// Loads the tokenizer of a Hugging Face model directory as src/Model's <see cref="TextTokenizer"/>, the one the
/// serving side runs, so training and serving tokenise identically; the descriptor and files it returns are what an
/// exported bundle carries.
/// </summary>
/// <remarks>
/// 1. Files, first match wins: <c>tokenizer.model</c> (SentencePiece); <c>vocab.json</c> + <c>merges.txt</c> or a BPE
///    <c>tokenizer.json</c> (byte-level BPE); <c>vocab.txt</c> or a WordPiece <c>tokenizer.json</c> (WordPiece).
///    A BPE vocabulary is staged (written to the staging directory) with <c>tokenizer.json</c>'s added tokens
///    (Qwen2's <c>&lt;|endoftext|&gt;</c> is not in vocab.json), and a tokenizer.json-only model is converted there.
/// 2. Where <c>tokenizer.json</c> is present, its normalizer, pre-tokenizer and model options must be ones
///    <see cref="TextTokenizer"/> reproduces, and go into the descriptor: for BPE no normalizer or NFC (Qwen2),
///    <c>ByteLevel</c> with GPT-2's split or a <c>Split</c> (pattern, <c>Isolated</c>/<c>Removed</c>, <c>invert</c>;
///    Qwen2's and LLaMA 3's patterns) then <c>ByteLevel</c> without <c>use_regex</c>, and <c>ignore_merges</c>
///    (LLaMA 3); BERT's for WordPiece. Anything else is refused by name rather than tokenised differently. A
///    <c>TemplateProcessing</c> post-processor decides BOS/EOS for BPE (LLaMA 3 prepends <c>&lt;|begin_of_text|&gt;</c>).
/// 3. Special tokens from <c>tokenizer_config.json</c> (then <c>special_tokens_map.json</c>), else by id from
///    <c>config.json</c>; whether to add BOS/EOS from <c>add_bos_token</c>/<c>add_eos_token</c>, else as transformers'
///    tokenizer class would: BERT adds <c>[CLS]</c> and <c>[SEP]</c>, LLaMA's SentencePiece BOS only, GPT-2/Qwen2 BPE
///    nothing.
/// 4. The loaded ids are checked against <c>config.json</c>: bos/eos/pad ids, and every id within <c>vocab_size</c>.
/// </remarks>
internal static class HfTokenizerLoader
{
    /// <summary>Loads the tokenizer of <paramref name="modelDirectory"/> (see the remarks).</summary>
    /// <param name="modelDirectory">The Hugging Face model directory.</param>
    /// <param name="config">Its config, for the special ids and vocab_size; null to skip step 4.</param>
    /// <param name="stagingDirectory">Where converted files go (created when needed); not the model directory, which is left untouched.</param>
    /// <exception cref="CheckpointException">The files are missing, unsupported or disagree with config.json; every problem is listed.</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is corrupt; the message names it.</exception>
    public static HfTokenizer Load(string modelDirectory, HfModelConfig? config, string stagingDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        ArgumentNullException.ThrowIfNull(stagingDirectory);
        modelDirectory = Path.GetFullPath(modelDirectory);
        string In(string file) => Path.Combine(modelDirectory, file);
        var tokenizerConfig = ReadObject(In(TokenizerFileNames.TokenizerConfig));
        var specialsMap = ReadObject(In(TokenizerFileNames.SpecialTokensMap));
        var tokenizerJson = ReadObject(In(TokenizerFileNames.TokenizerJson));
        var modelType = tokenizerJson?["model"]?["type"]?.GetValueKind() == JsonValueKind.String ? tokenizerJson["model"]!["type"]!.GetValue<string>() : null;
        string? Token(string key) => TokenString(tokenizerConfig?[key]) ?? TokenString(specialsMap?[key]);
        bool? Flag(string key) => tokenizerConfig?[key]?.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };

        // Step 1.
        TokenizerDescriptor descriptor;
        string directory;
        IReadOnlyDictionary<int, string>? byId;
        if (File.Exists(In(TokenizerFileNames.SentencePieceModel)))
        {
            (directory, byId) = (modelDirectory, null);
            descriptor = new TokenizerDescriptor
            {
                Kind = TokenizerKind.SentencePiece,
                Files = [TokenizerFileNames.SentencePieceModel],
                BosToken = Token("bos_token"),
                EosToken = Token("eos_token"),
                PadToken = Token("pad_token"),
                UnkToken = Token("unk_token"),
                AddBos = Flag("add_bos_token") ?? true,
                AddEos = Flag("add_eos_token") ?? false,
            };
        }
        else if ((File.Exists(In(TokenizerFileNames.VocabJson)) && File.Exists(In(TokenizerFileNames.Merges))) || modelType == "BPE")
        {
            // Step 2.
            var options = ReadByteLevel(In(TokenizerFileNames.TokenizerJson), tokenizerJson);
            var template = TemplateSpecials(tokenizerJson);
            directory = stagingDirectory;
            byId = StageBpe(modelDirectory, tokenizerJson, stagingDirectory);
            descriptor = new TokenizerDescriptor
            {
                Kind = TokenizerKind.Bpe,
                Files = [TokenizerFileNames.VocabJson, TokenizerFileNames.Merges],
                Normalization = options.Normalization,
                PreTokenizerPattern = options.Pattern,
                PreTokenizerBehavior = options.Behavior,
                PreTokenizerInvert = options.Invert,
                IgnoreMerges = options.IgnoreMerges,
                BosToken = template?.Bos ?? Token("bos_token") ?? ById(byId, config?.BosTokenId),
                EosToken = template?.Eos ?? Token("eos_token") ?? ById(byId, config?.EosTokenIds.FirstOrDefault()),
                PadToken = Token("pad_token") ?? ById(byId, config?.PadTokenId),
                UnkToken = Token("unk_token"),

                // A fast tokenizer adds what its post-processor's template says (LLaMA 3: <|begin_of_text|> first).
                AddBos = template is { } t ? t.Bos is not null : Flag("add_bos_token") ?? false,
                AddEos = template is { } u ? u.Eos is not null : Flag("add_eos_token") ?? false,
            };
        }
        else if (File.Exists(In(TokenizerFileNames.VocabTxt)) || modelType == "WordPiece")
        {
            CheckBert(In(TokenizerFileNames.TokenizerJson), tokenizerJson);
            var lowerCase = tokenizerJson?["normalizer"]?["lowercase"]?.GetValueKind() != JsonValueKind.False;
            if (File.Exists(In(TokenizerFileNames.VocabTxt)))
            {
                directory = modelDirectory;
                byId = File.ReadAllLines(In(TokenizerFileNames.VocabTxt), Encoding.UTF8).Select((t, i) => (t, i)).ToDictionary(p => p.i, p => p.t);
            }
            else
            {
                directory = stagingDirectory;
                byId = StageWordPiece(In(TokenizerFileNames.TokenizerJson), tokenizerJson!, stagingDirectory);
            }

            // The descriptor is src/Model's, which rerank also uses for a checkpoint's tokenizer.
            descriptor = BertTokenizerFiles.Describe(modelDirectory, tokenizerConfig, specialsMap, lowerCase, id => ById(byId, id), config);
        }
        else
        {
            var problem = modelType is null
                ? $"{modelDirectory}: no tokenizer (tokenizer.model, vocab.json + merges.txt, vocab.txt or tokenizer.json)"
                : $"{In(TokenizerFileNames.TokenizerJson)}: model type '{modelType}' is not supported without its tokenizer.model (BPE and WordPiece are)";
            throw new CheckpointException(modelDirectory, [problem]);
        }

        var tokenizer = TextTokenizer.Load(directory, descriptor);

        // Step 4.
        var problems = new List<string>();
        if (config is not null)
        {
            var configPath = Path.Combine(modelDirectory, CheckpointFiles.Config);
            if (config.BosTokenId is { } bos && tokenizer.BosId is { } tokenizerBos && bos != tokenizerBos)
            {
                problems.Add($"{configPath}: bos_token_id is {bos} but the tokenizer's BOS token '{descriptor.BosToken}' has id {tokenizerBos}");
            }

            if (config.EosTokenIds.Count > 0 && tokenizer.EosId is { } tokenizerEos && !config.EosTokenIds.Contains(tokenizerEos))
            {
                problems.Add($"{configPath}: eos_token_id is {string.Join(", ", config.EosTokenIds)} but the tokenizer's EOS token '{descriptor.EosToken}' has id {tokenizerEos}");
            }

            if (config.PadTokenId is { } pad && descriptor.PadToken is not null && tokenizer.PadId != pad)
            {
                problems.Add($"{configPath}: pad_token_id is {pad} but the tokenizer's pad token '{descriptor.PadToken}' has id {tokenizer.PadId}");
            }

            if (tokenizer.VocabularySize > config.Decoder.VocabSize)
            {
                problems.Add($"{configPath}: vocab_size is {config.Decoder.VocabSize} but the tokenizer has ids up to {tokenizer.VocabularySize - 1}");
            }
        }

        if (problems.Count > 0)
        {
            throw new CheckpointException(modelDirectory, problems);
        }

        return new HfTokenizer(descriptor, directory, tokenizer, config?.PadTokenId ?? tokenizer.PadId);
    }

    /// <summary>What a BPE tokenizer.json's normalizer, pre-tokenizer and model options become in the descriptor.</summary>
    private sealed record ByteLevelOptions(TextNormalization Normalization, string? Pattern, PreTokenizerSplitBehavior Behavior, bool Invert, bool IgnoreMerges);

    private static ByteLevelOptions ReadByteLevel(string path, JsonObject? tokenizerJson)
    {
        if (tokenizerJson is null)
        {
            return new ByteLevelOptions(TextNormalization.None, null, PreTokenizerSplitBehavior.Isolated, false, false);
        }

        var problems = new List<string>();
        var normalization = TextNormalization.None;
        if (tokenizerJson["normalizer"] is JsonNode normalizer && normalizer.GetValueKind() != JsonValueKind.Null)
        {
            if (TypeOf(normalizer) == "NFC")
            {
                normalization = TextNormalization.Nfc;
            }
            else
            {
                problems.Add($"{path}: normalizer '{TypeOf(normalizer) ?? normalizer.ToJsonString()}' is not supported for BPE (the serving tokenizer applies none or NFC)");
            }
        }

        string? pattern = null;
        var behavior = PreTokenizerSplitBehavior.Isolated;
        var invert = false;
        var pre = tokenizerJson["pre_tokenizer"];
        var supported = false;
        if (TypeOf(pre) == "ByteLevel")
        {
            // ByteLevel with use_regex splits with GPT-2's pattern itself.
            supported = pre!["use_regex"]?.GetValueKind() != JsonValueKind.False && pre["add_prefix_space"]?.GetValueKind() != JsonValueKind.True;
        }
        else if (TypeOf(pre) == "Sequence" && pre!["pretokenizers"] is JsonArray { Count: 2 } steps && TypeOf(steps[0]) == "Split" && TypeOf(steps[1]) == "ByteLevel"
            && steps[1]!["add_prefix_space"]?.GetValueKind() != JsonValueKind.True)
        {
            var split = steps[0]!;
            var regex = StringAt(split["pattern"]?["Regex"]) ?? (StringAt(split["pattern"]?["String"]) is { } literal ? System.Text.RegularExpressions.Regex.Escape(literal) : null);
            var behaviorName = StringAt(split["behavior"]);
            invert = split["invert"]?.GetValueKind() == JsonValueKind.True;
            var reSplits = steps[1]!["use_regex"]?.GetValueKind() == JsonValueKind.True;
            supported = true;
            if (regex is null)
            {
                problems.Add($"{path}: pre_tokenizer Split has no pattern.Regex or pattern.String");
            }
            else if (regex == TextTokenizer.Gpt2PreTokenizerPattern && behaviorName is "Isolated" && !invert)
            {
                pattern = null; // GPT-2's: the default, and ByteLevel's own split (use_regex or not) changes nothing
            }
            else if (reSplits)
            {
                problems.Add($"{path}: pre_tokenizer ByteLevel after a Split has use_regex true, which splits again with GPT-2's pattern; not supported");
            }
            else if (SplitPatternProblem(regex) is { } problem)
            {
                problems.Add($"{path}: pre_tokenizer Split pattern '{regex}' is not supported: {problem}");
            }
            else
            {
                pattern = regex;
            }

            behavior = behaviorName switch
            {
                "Isolated" => PreTokenizerSplitBehavior.Isolated,
                "Removed" => PreTokenizerSplitBehavior.Removed,
                _ => Refuse(behaviorName),
            };

            PreTokenizerSplitBehavior Refuse(string? name)
            {
                problems.Add($"{path}: pre_tokenizer Split behavior '{name}' is not supported (Isolated and Removed are)");
                return PreTokenizerSplitBehavior.Isolated;
            }
        }

        if (!supported)
        {
            problems.Add($"{path}: pre_tokenizer {pre?.ToJsonString() ?? "null"} is not supported (the serving tokenizer takes ByteLevel with use_regex, or a Split then ByteLevel, without a prefix space)");
        }

        var model = tokenizerJson["model"];
        if (model?["byte_fallback"]?.GetValueKind() == JsonValueKind.True)
        {
            problems.Add($"{path}: model.byte_fallback is not supported (byte-level BPE needs no fallback)");
        }

        if (model?["dropout"] is JsonNode dropout && dropout.GetValueKind() != JsonValueKind.Null)
        {
            problems.Add($"{path}: model.dropout {dropout.ToJsonString()} is not supported (encoding must be deterministic)");
        }

        foreach (var affix in (string[])["continuing_subword_prefix", "end_of_word_suffix"])
        {
            if (StringAt(model?[affix]) is { Length: > 0 } value)
            {
                problems.Add($"{path}: model.{affix} '{value}' is not supported");
            }
        }

        if (problems.Count > 0)
        {
            throw new CheckpointException(Path.GetDirectoryName(path)!, problems);
        }

        var ignoreMerges = model?["ignore_merges"]?.GetValueKind() == JsonValueKind.True;
        return new ByteLevelOptions(normalization, pattern, behavior, invert, ignoreMerges);
    }

    private static string? SplitPatternProblem(string pattern) =>
        new TokenizerDescriptor { Kind = TokenizerKind.Bpe, Files = [TokenizerFileNames.VocabJson, TokenizerFileNames.Merges], PreTokenizerPattern = pattern }
            .Validate()
            .Select(e => e["tokenizer.preTokenizerPattern: ".Length..])
            .FirstOrDefault();

    /// <summary>
    /// The special tokens a <c>TemplateProcessing</c> post-processor (alone or in a <c>Sequence</c>) puts before and
    /// after a single sequence, as LLaMA 3's puts <c>&lt;|begin_of_text|&gt;</c> first; null when there is no template.
    /// </summary>
    private static (string? Bos, string? Eos)? TemplateSpecials(JsonObject? tokenizerJson)
    {
        var post = tokenizerJson?["post_processor"];
        var template = TypeOf(post) == "TemplateProcessing" ? post
            : TypeOf(post) == "Sequence" ? (post!["processors"] as JsonArray ?? []).FirstOrDefault(p => TypeOf(p) == "TemplateProcessing")
            : null;
        if (template?["single"] is not JsonArray { Count: > 0 } single)
        {
            return null;
        }

        static string? Special(JsonNode? item) => StringAt(item?["SpecialToken"]?["id"]);
        return (Special(single[0]), single.Count > 1 ? Special(single[^1]) : null);
    }

    private static string? StringAt(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static void CheckBert(string path, JsonObject? tokenizerJson)
    {
        if (tokenizerJson is null)
        {
            return;
        }

        var normalizer = TypeOf(tokenizerJson["normalizer"]);
        var pre = TypeOf(tokenizerJson["pre_tokenizer"]);
        if (normalizer is not (null or "BertNormalizer") || pre is not (null or "BertPreTokenizer"))
        {
            throw new CheckpointException(Path.GetDirectoryName(path)!,
                [$"{path}: WordPiece with normalizer '{normalizer}' and pre_tokenizer '{pre}' is not supported (BertNormalizer and BertPreTokenizer are)"]);
        }
    }

    private static Dictionary<int, string> StageBpe(string modelDirectory, JsonObject? tokenizerJson, string staging)
    {
        var vocabPath = Path.Combine(modelDirectory, TokenizerFileNames.VocabJson);
        var jsonPath = Path.Combine(modelDirectory, TokenizerFileNames.TokenizerJson);
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var source = tokenizerJson?["model"]?["vocab"] as JsonObject ?? ReadObject(vocabPath)
            ?? throw new CheckpointException(modelDirectory, [$"{vocabPath}: not found"]);
        foreach (var (token, id) in source)
        {
            vocabulary[token] = id?.GetValueKind() == JsonValueKind.Number ? id.GetValue<int>() : throw new InvalidDataException($"{(tokenizerJson is null ? vocabPath : jsonPath)}: token '{token}' has no integer id");
        }

        foreach (var added in tokenizerJson?["added_tokens"] as JsonArray ?? [])
        {
            if (added?["content"]?.GetValueKind() == JsonValueKind.String && added["id"]?.GetValueKind() == JsonValueKind.Number)
            {
                vocabulary.TryAdd(added["content"]!.GetValue<string>(), added["id"]!.GetValue<int>());
            }
        }

        var merges = new StringBuilder("#version: 0.2\n");
        if (tokenizerJson?["model"]?["merges"] is JsonArray pairs)
        {
            foreach (var pair in pairs)
            {
                // tokenizers writes "a b" strings, or since 0.20 ["a", "b"] pairs.
                merges.Append(pair is JsonArray { Count: 2 } two ? two[0]!.GetValue<string>() + " " + two[1]!.GetValue<string>() : pair!.GetValue<string>()).Append('\n');
            }
        }
        else
        {
            foreach (var line in File.ReadLines(Path.Combine(modelDirectory, TokenizerFileNames.Merges), Encoding.UTF8))
            {
                if (!line.StartsWith("#version", StringComparison.Ordinal) && line.Length > 0)
                {
                    merges.Append(line).Append('\n');
                }
            }
        }

        Directory.CreateDirectory(staging);
        var vocabJson = new JsonObject();
        foreach (var (token, id) in vocabulary.OrderBy(p => p.Value))
        {
            vocabJson[token] = id;
        }

        File.WriteAllText(Path.Combine(staging, TokenizerFileNames.VocabJson), vocabJson.ToJsonString() + "\n", new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(staging, TokenizerFileNames.Merges), merges.ToString(), new UTF8Encoding(false));
        return vocabulary.GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.First().Key);
    }

    private static Dictionary<int, string> StageWordPiece(string path, JsonObject tokenizerJson, string staging)
    {
        var vocab = tokenizerJson["model"]?["vocab"] as JsonObject ?? throw new CheckpointException(Path.GetDirectoryName(path)!, [$"{path}: model.vocab is missing"]);
        var byId = new Dictionary<int, string>();
        foreach (var (token, id) in vocab)
        {
            byId[id!.GetValue<int>()] = token;
        }

        if (Enumerable.Range(0, byId.Count).Any(i => !byId.ContainsKey(i)))
        {
            throw new CheckpointException(Path.GetDirectoryName(path)!, [$"{path}: WordPiece ids must run 0 .. {byId.Count - 1} without gaps (vocab.txt ids are line numbers)"]);
        }

        Directory.CreateDirectory(staging);
        WordPieceVocabularyBuilder.Write([.. Enumerable.Range(0, byId.Count).Select(i => byId[i])], Path.Combine(staging, TokenizerFileNames.VocabTxt));
        return byId;
    }

    private static string? ById(IReadOnlyDictionary<int, string>? byId, int? id) =>
        byId is not null && id is { } value && byId.TryGetValue(value, out var token) ? token : null;

    private static string? TypeOf(JsonNode? node) =>
        node is JsonObject o && o["type"]?.GetValueKind() == JsonValueKind.String ? o["type"]!.GetValue<string>() : null;

    private static string? TokenString(JsonNode? node) => BertTokenizerFiles.TokenString(node);

    private static JsonObject? ReadObject(string path) => BertTokenizerFiles.ReadObject(path);
}
