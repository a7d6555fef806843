using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Checkpoints;

/// <summary>
/// The WordPiece tokenizer of a BERT checkpoint (transformers' <c>BertTokenizer</c> files: <c>vocab.txt</c>,
/// <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c>) as a <see cref="TokenizerDescriptor"/> that
/// <see cref="TextTokenizer.Load"/> loads. The trainer's <c>HfTokenizerLoader</c> builds its WordPiece descriptors here.
/// </summary>
/// <remarks>
/// 1. Special tokens from <c>tokenizer_config.json</c>, then <c>special_tokens_map.json</c> (a string or an
///    AddedToken object with <c>content</c>), then by id from <c>config.json</c>, else <c>BertTokenizer</c>'s
///    defaults: <c>[CLS]</c> (<c>cls_token</c>, else <c>bos_token</c>) first, <c>[SEP]</c> (<c>sep_token</c>, else
///    <c>eos_token</c>) last, <c>[PAD]</c>, <c>[UNK]</c>.
/// 2. <c>do_lower_case</c> (default true, as <c>BertTokenizer</c>) lower-cases and strips accents;
///    <c>strip_accents</c> other than null or equal to <c>do_lower_case</c>, and <c>tokenize_chinese_chars</c> false,
///    are refused by key: the serving tokenizer does not do them.
/// 3. <c>add_bos_token</c>/<c>add_eos_token</c> when given, else both true: <c>[CLS] text [SEP]</c>.
/// </remarks>
internal static class BertTokenizerFiles
{
    /// <summary>One token a line; the id is the line number.</summary>
    public const string VocabTxt = "vocab.txt";

    public const string TokenizerConfig = "tokenizer_config.json";

    public const string SpecialTokensMap = "special_tokens_map.json";

    public const string DefaultCls = "[CLS]";

    public const string DefaultSep = "[SEP]";

    public const string DefaultPad = "[PAD]";

    public const string DefaultUnk = "[UNK]";

    /// <summary>Reads the tokenizer files of <paramref name="directory"/> (see the remarks); vocab.txt must be there.</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="config">Its config.json, for special tokens given only by id; null when there is none.</param>
    /// <exception cref="CheckpointException">vocab.txt is missing, or a setting is not supported; every problem is listed, naming file and key.</exception>
    /// <exception cref="InvalidDataException">A JSON file is not valid; the message names it.</exception>
    public static TokenizerDescriptor Describe(string directory, HfModelConfig? config)
    {
        ArgumentNullException.ThrowIfNull(directory);
        directory = Path.GetFullPath(directory);
        var vocabPath = Path.Combine(directory, VocabTxt);
        if (!File.Exists(vocabPath))
        {
            throw new CheckpointException(directory, [$"{vocabPath}: not found (a BERT checkpoint's WordPiece vocabulary)"]);
        }

        var tokenizerConfig = ReadObject(Path.Combine(directory, TokenizerConfig));
        var specialsMap = ReadObject(Path.Combine(directory, SpecialTokensMap));
        string[]? byId = null;
        string? ById(int? id)
        {
            if (id is not { } value)
            {
                return null;
            }

            byId ??= File.ReadAllLines(vocabPath, Encoding.UTF8);
            return value >= 0 && value < byId.Length ? byId[value] : null;
        }

        return Describe(directory, tokenizerConfig, specialsMap, defaultLowerCase: true, ById, config);
    }

    /// <summary>The descriptor for already-read files (step 1 to 3 of the remarks); for callers that stage vocab.txt themselves.</summary>
    /// <param name="directory">Names the checkpoint in errors.</param>
    /// <param name="tokenizerConfig"><c>tokenizer_config.json</c>, or null.</param>
    /// <param name="specialsMap"><c>special_tokens_map.json</c>, or null.</param>
    /// <param name="defaultLowerCase">What to do without <c>do_lower_case</c> (a tokenizer.json's normalizer may say).</param>
    /// <param name="byId">The token of a vocabulary id, or null.</param>
    /// <param name="config">config.json, for special ids; or null.</param>
    /// <exception cref="CheckpointException">A setting is not supported.</exception>
    public static TokenizerDescriptor Describe(
        string directory, JsonObject? tokenizerConfig, JsonObject? specialsMap, bool defaultLowerCase, Func<int?, string?> byId, HfModelConfig? config)
    {
        ArgumentNullException.ThrowIfNull(byId);
        string? Token(string key) => TokenString(tokenizerConfig?[key]) ?? TokenString(specialsMap?[key]);
        bool? Flag(string key) => FlagAt(tokenizerConfig?[key]);

        // Step 2.
        var lowerCase = Flag("do_lower_case") ?? defaultLowerCase;
        var configPath = Path.Combine(directory, TokenizerConfig);
        var problems = new List<string>();
        if (Flag("strip_accents") is { } strip && strip != lowerCase)
        {
            problems.Add($"{configPath}: strip_accents {(strip ? "true" : "false")} with do_lower_case {(lowerCase ? "true" : "false")} is not supported (the serving tokenizer strips accents exactly when it lower-cases)");
        }

        if (Flag("tokenize_chinese_chars") == false)
        {
            problems.Add($"{configPath}: tokenize_chinese_chars false is not supported (the serving tokenizer makes each CJK ideograph a word)");
        }

        if (problems.Count > 0)
        {
            throw new CheckpointException(directory, problems);
        }

        // Steps 1 and 3.
        return new TokenizerDescriptor
        {
            Kind = TokenizerKind.WordPiece,
            Files = [VocabTxt],
            LowerCase = lowerCase,
            BosToken = Token("cls_token") ?? Token("bos_token") ?? byId(config?.BosTokenId) ?? DefaultCls,
            EosToken = Token("sep_token") ?? Token("eos_token") ?? byId(config?.EosTokenIds.FirstOrDefault()) ?? DefaultSep,
            PadToken = Token("pad_token") ?? byId(config?.PadTokenId) ?? DefaultPad,
            UnkToken = Token("unk_token") ?? DefaultUnk,
            AddBos = Flag("add_bos_token") ?? true,
            AddEos = Flag("add_eos_token") ?? true,
        };
    }

    /// <summary>A special token as tokenizer_config.json writes it: a string, or an AddedToken object with <c>content</c>.</summary>
    public static string? TokenString(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => node.GetValue<string>(),
        JsonValueKind.Object when node["content"]?.GetValueKind() == JsonValueKind.String => node["content"]!.GetValue<string>(),
        _ => null,
    };

    private static bool? FlagAt(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>The JSON object in <paramref name="path"/>, or null when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object; the message names it.</exception>
    public static JsonObject? ReadObject(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {ex.Message}", ex);
        }
    }
}
