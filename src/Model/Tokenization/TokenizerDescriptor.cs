using System.Text.Json.Serialization;

namespace Rerank.Model.Tokenization;

/// <summary>
/// How to load a bundle's tokenizer: what manifest.json stores under <c>"tokenizer"</c>. Plain properties so that
/// System.Text.Json reads and writes it with camelCase names (<c>kind</c>, <c>files</c>, <c>lowerCase</c>, ...).
/// </summary>
public sealed record TokenizerDescriptor
{
    /// <summary>The tokenizer family.</summary>
    public required TokenizerKind Kind { get; init; }

    /// <summary>
    /// File names relative to the tokenizer directory: <c>["vocab.txt"]</c> for <see cref="TokenizerKind.WordPiece"/>,
    /// <c>["vocab.json", "merges.txt"]</c> (in that order) for <see cref="TokenizerKind.Bpe"/>,
    /// <c>["tokenizer.model"]</c> for <see cref="TokenizerKind.SentencePiece"/>.
    /// </summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>
    /// WordPiece only: lower-case and strip accents before tokenizing (an "uncased" BERT vocabulary). Default false;
    /// setting it for another kind is a validation error.
    /// </summary>
    public bool LowerCase { get; init; }

    /// <summary>Beginning-of-sequence token, or null. A SentencePiece model falls back to its own BOS piece.</summary>
    public string? BosToken { get; init; }

    /// <summary>End-of-sequence token, or null. A SentencePiece model falls back to its own EOS piece.</summary>
    public string? EosToken { get; init; }

    /// <summary>Padding token, or null (then <see cref="TextTokenizer.PadId"/> is the EOS id, else 0).</summary>
    public string? PadToken { get; init; }

    /// <summary>
    /// Unknown token, or null. WordPiece defaults to <c>[UNK]</c>, SentencePiece to the model's own unknown piece;
    /// byte-level BPE needs none (every byte has a token).
    /// </summary>
    public string? UnkToken { get; init; }

    /// <summary>Prepend the BOS token to every encoded text (as LLaMA does). Default false.</summary>
    public bool AddBos { get; init; }

    /// <summary>Append the EOS token to every encoded text. Default false.</summary>
    public bool AddEos { get; init; }

    /// <summary>
    /// Bpe only: the Unicode normalization applied before splitting. Default <see cref="TextNormalization.None"/>
    /// (GPT-2, LLaMA 3); Qwen2 uses <see cref="TextNormalization.Nfc"/>. Optional in manifest.json (written only when
    /// not the default), so bundles written before it existed keep their bytes and model id.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TextNormalization Normalization { get; init; }

    /// <summary>
    /// Bpe only: the regex that splits (normalized) text into pieces before the byte-level BPE, as Hugging Face's
    /// <c>Split</c> pre-tokenizer's <c>pattern.Regex</c> writes it; null (the default, and every bundle written before
    /// this field) means GPT-2's pattern <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>.
    /// Applied with .NET's regex over code points (see tokenizers.md for what patterns may use).
    /// </summary>
    public string? PreTokenizerPattern { get; init; }

    /// <summary>Bpe only: what the split keeps, matches and gaps or gaps only. Default <see cref="PreTokenizerSplitBehavior.Isolated"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public PreTokenizerSplitBehavior PreTokenizerBehavior { get; init; }

    /// <summary>Bpe only: swap the roles of matches and gaps (Hugging Face's <c>invert</c>). Default false.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool PreTokenizerInvert { get; init; }

    /// <summary>
    /// Bpe only: a piece whose byte-level form is in the vocabulary is that one token, whatever the merges would make
    /// of it (Hugging Face's BPE <c>ignore_merges</c>, set by LLaMA 3 as tiktoken does). Default false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IgnoreMerges { get; init; }

    /// <summary>
    /// Checks the descriptor on its own (no files are read) and returns every problem at once, each message
    /// starting with the manifest field it concerns (<c>tokenizer.files: ...</c>); empty when valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Kind))
        {
            errors.Add($"tokenizer.kind: unknown kind '{Kind}'; expected WordPiece, Bpe or SentencePiece");
        }

        if (Files is null)
        {
            errors.Add("tokenizer.files: missing");
        }
        else
        {
            ValidateFiles(errors);
        }

        if (LowerCase && Kind != TokenizerKind.WordPiece)
        {
            errors.Add($"tokenizer.lowerCase: only WordPiece lower-cases; {Kind} must leave it false");
        }

        ValidateBpeOptions(errors);
        CheckToken(errors, "bosToken", BosToken);
        CheckToken(errors, "eosToken", EosToken);
        CheckToken(errors, "padToken", PadToken);
        CheckToken(errors, "unkToken", UnkToken);

        // SentencePiece models name their own BOS/EOS pieces; the other kinds have nothing to fall back on.
        if (AddBos && BosToken is null && Kind != TokenizerKind.SentencePiece)
        {
            errors.Add("tokenizer.bosToken: addBos is true but no BOS token is given");
        }

        if (AddEos && EosToken is null && Kind != TokenizerKind.SentencePiece)
        {
            errors.Add("tokenizer.eosToken: addEos is true but no EOS token is given");
        }

        return errors;
    }

    private void ValidateFiles(List<string> errors)
    {
        switch (Kind)
        {
            case TokenizerKind.WordPiece when Files.Count != 1:
                errors.Add($"tokenizer.files: WordPiece needs exactly one file, vocab.txt (got {Files.Count})");
                break;
            case TokenizerKind.Bpe when Files.Count != 2:
                errors.Add($"tokenizer.files: Bpe needs exactly two files, vocab.json then merges.txt (got {Files.Count})");
                break;
            case TokenizerKind.Bpe when Files[0] is { } vocab && !vocab.EndsWith(".json", StringComparison.OrdinalIgnoreCase):
                errors.Add($"tokenizer.files: Bpe needs vocab.json first, then merges.txt (got '{vocab}' first)");
                break;
            case TokenizerKind.SentencePiece when Files.Count != 1:
                errors.Add($"tokenizer.files: SentencePiece needs exactly one file, tokenizer.model (got {Files.Count})");
                break;
            default:
                break;
        }

        for (var i = 0; i < Files.Count; i++)
        {
            var file = Files[i];
            if (string.IsNullOrWhiteSpace(file))
            {
                errors.Add($"tokenizer.files[{i}]: empty file name");
            }
            else if (Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
            {
                // The bundle is copied around as a unit; a file outside its tokenizer directory would not travel with it.
                errors.Add($"tokenizer.files[{i}]: '{file}' must be relative to the tokenizer directory, without '..'");
            }
        }
    }

    private void ValidateBpeOptions(List<string> errors)
    {
        if (Kind != TokenizerKind.Bpe)
        {
            void OnlyBpe(string field, bool set)
            {
                if (set)
                {
                    errors.Add($"tokenizer.{field}: only Bpe takes it; {Kind} must leave it out");
                }
            }

            OnlyBpe("normalization", Normalization != TextNormalization.None);
            OnlyBpe("preTokenizerPattern", PreTokenizerPattern is not null);
            OnlyBpe("preTokenizerBehavior", PreTokenizerBehavior != PreTokenizerSplitBehavior.Isolated);
            OnlyBpe("preTokenizerInvert", PreTokenizerInvert);
            OnlyBpe("ignoreMerges", IgnoreMerges);
            return;
        }

        if (!Enum.IsDefined(Normalization))
        {
            errors.Add($"tokenizer.normalization: unknown normalization '{Normalization}'; expected none or nfc");
        }

        if (!Enum.IsDefined(PreTokenizerBehavior))
        {
            errors.Add($"tokenizer.preTokenizerBehavior: unknown behavior '{PreTokenizerBehavior}'; expected isolated or removed");
        }

        if (PreTokenizerPattern is { Length: 0 })
        {
            errors.Add("tokenizer.preTokenizerPattern: empty pattern; leave it out for GPT-2's");
        }
        else if (PreTokenizerPattern is not null && SplitPreTokenizer.CheckPattern(PreTokenizerPattern) is { } problem)
        {
            errors.Add($"tokenizer.preTokenizerPattern: {problem}");
        }
    }

    private static void CheckToken(List<string> errors, string field, string? token)
    {
        if (token is { Length: 0 })
        {
            errors.Add($"tokenizer.{field}: empty string; leave it out instead");
        }
    }
}
