using System.Text;
using Microsoft.ML.Tokenizers;

namespace Rerank.Model.Tokenization;

/// <summary>
/// A model bundle's tokenizer: Microsoft.ML.Tokenizers underneath, with the bundle's special tokens, character and
/// token truncation, and ids laid out the way the ONNX student expects.
/// </summary>
/// <remarks>
/// Thread safety: an instance is immutable after <see cref="Load"/>; <see cref="Encode"/> and <see cref="EncodeInto"/>
/// may be called concurrently from any number of threads (the underlying BPE and SentencePiece caches take a lock).
/// Load one per model and share it.
///
/// Encoding, in the order the methods' bodies refer to:
/// 1. cut the text to at most <c>maxChars</c> UTF-16 characters, one fewer when the cut would split a surrogate
///    pair (<c>maxChars</c> &lt;= 0: no cut);
/// 2. tokenize without any special tokens: WordPiece runs BERT's basic tokenizer first (lower-casing and accent
///    stripping when <see cref="TokenizerDescriptor.LowerCase"/>, one token per CJK ideograph and per punctuation
///    mark); BPE normalizes (NFC when <see cref="TokenizerDescriptor.Normalization"/> says so), splits with
///    <see cref="TokenizerDescriptor.PreTokenizerPattern"/> (GPT-2's by default) over code points and works on UTF-8
///    bytes, looking each piece up whole first when <see cref="TokenizerDescriptor.IgnoreMerges"/>; SentencePiece adds its dummy prefix "▁".
///    Special-token strings inside the text are tokenized as plain text, so a document cannot inject them;
/// 3. keep the first <c>maxTokens</c> minus the BOS and EOS slots of those tokens;
/// 4. put BOS in front and EOS at the end when the descriptor asks for them (<see cref="TokenizerDescriptor.AddBos"/>,
///    <see cref="TokenizerDescriptor.AddEos"/>), so truncation never removes them;
/// 5. if nothing is left (an empty or all-white-space text and no BOS/EOS), return the single id
///    <see cref="UnkId"/>, or <see cref="PadId"/> when there is no unknown token: every sequence has at least one
///    token, which keeps attention masks and pooling well defined.
/// </remarks>
public sealed class TextTokenizer
{
    private readonly Tokenizer _tokenizer;
    private readonly int? _leadingId;
    private readonly int? _trailingId;
    private readonly int _emptyTextId;

    // Set for a BPE tokenizer with ignoreMerges: then this class normalizes and splits, and looks each piece up whole.
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>>? _wholePieces;

    private TextTokenizer(Tokenizer tokenizer, TokenizerKind kind, int vocabularySize, int? bosId, int? eosId, int? padId, int? unkId, TokenizerDescriptor descriptor)
    {
        _tokenizer = tokenizer;
        if (descriptor.IgnoreMerges && tokenizer is BpeTokenizer bpe)
        {
            _normalizer = bpe.Normalizer;
            _preTokenizer = bpe.PreTokenizer;
            _wholePieces = new Dictionary<string, int>(bpe.Vocabulary, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        }

        Kind = kind;
        VocabularySize = vocabularySize;
        BosId = bosId;
        EosId = eosId;
        UnkId = unkId;
        PadId = padId ?? eosId ?? 0;
        _leadingId = descriptor.AddBos ? bosId : null;
        _trailingId = descriptor.AddEos ? eosId : null;
        _emptyTextId = unkId ?? PadId;
    }

    /// <summary>The tokenizer family.</summary>
    public TokenizerKind Kind { get; }

    /// <summary>One more than the largest token id: the number of rows the model's embedding table needs.</summary>
    public int VocabularySize { get; }

    /// <summary>The BOS id (the descriptor's BOS token, else for SentencePiece the model's own), or null when there is none.</summary>
    public int? BosId { get; }

    /// <summary>The EOS id (the descriptor's EOS token, else for SentencePiece the model's own), or null when there is none.</summary>
    public int? EosId { get; }

    /// <summary>
    /// The unknown-token id (WordPiece: <c>[UNK]</c> unless the descriptor names another; SentencePiece: the
    /// model's own unless the descriptor names another; BPE: only when the descriptor names one), or null.
    /// </summary>
    public int? UnkId { get; }

    /// <summary>The id to pad batches with: the descriptor's pad token; when it has none, <see cref="EosId"/>; else 0.</summary>
    public int PadId { get; }

    /// <summary>Loads the tokenizer that <paramref name="descriptor"/> describes from files in <paramref name="directory"/>.</summary>
    /// <param name="directory">The tokenizer directory that <see cref="TokenizerDescriptor.Files"/> are relative to.</param>
    /// <param name="descriptor">What manifest.json says about the tokenizer.</param>
    /// <exception cref="InvalidDataException">
    /// The descriptor is invalid (every problem listed), a file is missing, unreadable or corrupt (the message names
    /// its path), or a special token is not in the vocabulary (the message names the file, the field and the token).
    /// </exception>
    public static TextTokenizer Load(string directory, TokenizerDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(descriptor);
        var errors = descriptor.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException("Invalid tokenizer descriptor:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        var paths = descriptor.Files.Select(file => Path.GetFullPath(Path.Combine(directory, file))).ToArray();
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new InvalidDataException($"{path}: tokenizer file not found");
            }
        }

        return descriptor.Kind switch
        {
            TokenizerKind.WordPiece => LoadWordPiece(paths[0], descriptor),
            TokenizerKind.Bpe => LoadBpe(paths[0], paths[1], descriptor),
            _ => LoadSentencePiece(paths[0], descriptor),
        };
    }

    /// <summary>Encodes <paramref name="text"/> into token ids (see the remarks on <see cref="TextTokenizer"/> for the steps).</summary>
    /// <param name="text">The text; null is treated as empty.</param>
    /// <param name="maxTokens">Most ids to return, BOS and EOS included; must leave room for them (at least 1).</param>
    /// <param name="maxChars">Most UTF-16 characters to tokenize; 0 or less for no character limit.</param>
    /// <returns>At least one id and at most <paramref name="maxTokens"/>.</returns>
    public int[] Encode(string? text, int maxTokens, int maxChars)
    {
        var body = EncodeBody(text, maxTokens, maxChars, out var bodyCount);
        var ids = new int[Layout(bodyCount)];
        Fill(ids.AsSpan(), body, bodyCount);
        return ids;
    }

    /// <summary>
    /// Encodes like <see cref="Encode"/> and writes the ids as int64 (ONNX <c>input_ids</c>) into
    /// <paramref name="destination"/>, without allocating the result array.
    /// </summary>
    /// <returns>How many ids were written (at least 1).</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the encoded text.</exception>
    public int EncodeInto(string? text, int maxTokens, int maxChars, Span<long> destination)
    {
        var body = EncodeBody(text, maxTokens, maxChars, out var bodyCount);
        var count = Layout(bodyCount);
        if (destination.Length < count)
        {
            throw new ArgumentException($"The destination holds {destination.Length} ids but the text needs {count}.", nameof(destination));
        }

        Fill(destination[..count], body, bodyCount);
        return count;
    }

    /// <summary>
    /// Steps 1 to 3 only: the text's ids without BOS, EOS or the empty-text id (empty for an empty body), for callers that
    /// lay a prompt out from separately tokenised pieces (the trainer's teacher).
    /// </summary>
    internal int[] EncodeWithoutSpecials(string? text, int maxChars) => [.. EncodeBody(text, int.MaxValue, maxChars, out var count).Take(count)];

    private IReadOnlyList<int> EncodeBody(string? text, int maxTokens, int maxChars, out int bodyCount)
    {
        var specials = (_leadingId is null ? 0 : 1) + (_trailingId is null ? 0 : 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, Math.Max(1, specials));

        // Step 1.
        var span = CutToChars(text.AsSpan(), maxChars);

        // Step 2.
        var body = span.IsEmpty ? []
            : _wholePieces is { } wholePieces ? EncodeIgnoringMerges(span, wholePieces)
            : _tokenizer.EncodeToIds(span, considerPreTokenization: true, considerNormalization: true);

        // Step 3.
        bodyCount = Math.Min(body.Count, maxTokens - specials);
        return body;
    }

    private List<int> EncodeIgnoringMerges(ReadOnlySpan<char> text, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> wholePieces)
    {
        // Hugging Face's BPE with ignore_merges: a pre-token found in the vocabulary (in its byte-level form) is that
        // token; the others go through the merges as usual.
        var normalized = _normalizer is null ? text.ToString() : _normalizer.Normalize(text);
        var ids = new List<int>();
        foreach (var (offset, length) in _preTokenizer!.PreTokenize(normalized))
        {
            var piece = normalized.AsSpan(offset, length);
            var count = ByteLevelAlphabet.Encode(piece, out var buffer);
            var found = wholePieces.TryGetValue(buffer.AsSpan(0, count), out var id);
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            if (found)
            {
                ids.Add(id);
            }
            else
            {
                ids.AddRange(_tokenizer.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
            }
        }

        return ids;
    }

    private int Layout(int bodyCount)
    {
        var count = bodyCount + (_leadingId is null ? 0 : 1) + (_trailingId is null ? 0 : 1);
        return Math.Max(count, 1);
    }

    private void Fill<T>(Span<T> destination, IReadOnlyList<int> body, int bodyCount)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        // Step 5: the only way to have room left over is an empty body with no specials.
        if (destination.Length == 1 && bodyCount == 0 && _leadingId is null && _trailingId is null)
        {
            destination[0] = T.CreateTruncating(_emptyTextId);
            return;
        }

        // Step 4.
        var at = 0;
        if (_leadingId is { } bos)
        {
            destination[at++] = T.CreateTruncating(bos);
        }

        for (var i = 0; i < bodyCount; i++)
        {
            destination[at++] = T.CreateTruncating(body[i]);
        }

        if (_trailingId is { } eos)
        {
            destination[at] = T.CreateTruncating(eos);
        }
    }

    internal static ReadOnlySpan<char> CutToChars(ReadOnlySpan<char> text, int maxChars)
    {
        if (maxChars <= 0 || text.Length <= maxChars)
        {
            return text;
        }

        var end = maxChars;
        if (char.IsHighSurrogate(text[end - 1]) && char.IsLowSurrogate(text[end]))
        {
            end--;
        }

        return text[..end];
    }

    private static TextTokenizer LoadWordPiece(string path, TokenizerDescriptor descriptor)
    {
        var vocabulary = ReadWordPieceVocabulary(path);
        var unkToken = descriptor.UnkToken ?? "[UNK]";
        var unkId = RequireToken(vocabulary, path, "unkToken", unkToken);
        var (bosId, eosId, padId) = SpecialIds(vocabulary, path, descriptor);
        var options = new WordPieceOptions
        {
            UnknownToken = unkToken,
            ContinuingSubwordPrefix = "##",
            Normalizer = new BertBasicNormalizer(descriptor.LowerCase),
            PreTokenizer = SpaceSplitPreTokenizer.Instance,
        };
        var tokenizer = Wrap(path, () => WordPieceTokenizer.Create(path, options));
        return new TextTokenizer(tokenizer, TokenizerKind.WordPiece, vocabulary.Values.Max() + 1, bosId, eosId, padId, unkId, descriptor);
    }

    private static TextTokenizer LoadBpe(string vocabPath, string mergesPath, TokenizerDescriptor descriptor)
    {
        var tokenizer = Wrap(vocabPath + " / " + mergesPath, () => BpeTokenizer.Create(new BpeOptions(vocabPath, mergesPath)
        {
            ByteLevel = true,
            Normalizer = descriptor.Normalization == TextNormalization.Nfc ? NfcNormalizer.Instance : null,
            PreTokenizer = new SplitPreTokenizer(descriptor.PreTokenizerPattern ?? Gpt2PreTokenizerPattern, descriptor.PreTokenizerBehavior, descriptor.PreTokenizerInvert),
            UnknownToken = descriptor.UnkToken,
        }));
        var vocabulary = tokenizer.Vocabulary;
        if (vocabulary.Count == 0)
        {
            throw new InvalidDataException($"{vocabPath}: the vocabulary is empty");
        }

        var unkId = descriptor.UnkToken is null ? (int?)null : RequireToken(vocabulary, vocabPath, "unkToken", descriptor.UnkToken);
        var (bosId, eosId, padId) = SpecialIds(vocabulary, vocabPath, descriptor);
        return new TextTokenizer(tokenizer, TokenizerKind.Bpe, vocabulary.Values.Max() + 1, bosId, eosId, padId, unkId, descriptor);
    }

    private static TextTokenizer LoadSentencePiece(string path, TokenizerDescriptor descriptor)
    {
        var tokenizer = Wrap(path, () =>
        {
            using var stream = File.OpenRead(path);
            return SentencePieceTokenizer.Create(stream, false, false); // BOS and EOS are added here, after truncation.
        });
        var vocabulary = tokenizer.Vocabulary;
        if (vocabulary.Count == 0)
        {
            throw new InvalidDataException($"{path}: the SentencePiece model has no pieces");
        }

        var unkId = descriptor.UnkToken is null ? OwnId(tokenizer.UnknownId) : RequireToken(vocabulary, path, "unkToken", descriptor.UnkToken);
        var (bosId, eosId, padId) = SpecialIds(vocabulary, path, descriptor);
        bosId ??= OwnId(tokenizer.BeginningOfSentenceId);
        eosId ??= OwnId(tokenizer.EndOfSentenceId);
        if (descriptor.AddBos && bosId is null)
        {
            throw new InvalidDataException($"{path}: tokenizer.addBos is true but neither the descriptor nor the model names a BOS piece");
        }

        if (descriptor.AddEos && eosId is null)
        {
            throw new InvalidDataException($"{path}: tokenizer.addEos is true but neither the descriptor nor the model names an EOS piece");
        }

        return new TextTokenizer(tokenizer, TokenizerKind.SentencePiece, vocabulary.Values.Max() + 1, bosId, eosId, padId, unkId, descriptor);

        // sentencepiece uses -1 for "disabled" (pad_id by default, and bos/eos when trained without them).
        static int? OwnId(int id) => id >= 0 ? id : null;
    }

    private static (int? Bos, int? Eos, int? Pad) SpecialIds(IReadOnlyDictionary<string, int> vocabulary, string path, TokenizerDescriptor descriptor)
    {
        int? Optional(string field, string? token) => token is null ? null : RequireToken(vocabulary, path, field, token);
        return (Optional("bosToken", descriptor.BosToken), Optional("eosToken", descriptor.EosToken), Optional("padToken", descriptor.PadToken));
    }

    private static int RequireToken(IReadOnlyDictionary<string, int> vocabulary, string path, string field, string token) =>
        vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"{path}: tokenizer.{field} '{token}' is not in the vocabulary");

    private static Dictionary<string, int> ReadWordPieceVocabulary(string path)
    {
        // Same reading as WordPieceTokenizer: one token per line (ReadLine drops "\r"), id = line number.
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            var id = 0;
            while (reader.ReadLine() is { } line)
            {
                if (!vocabulary.TryAdd(line, id))
                {
                    throw new InvalidDataException($"{path}: token '{line}' appears on lines {vocabulary[line] + 1} and {id + 1}");
                }

                id++;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path}: cannot read the WordPiece vocabulary: {ex.Message}", ex);
        }

        return vocabulary.Count > 0 ? vocabulary : throw new InvalidDataException($"{path}: the vocabulary is empty");
    }

    private static T Wrap<T>(string path, Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !(ex is InvalidDataException && ex.Message.StartsWith(path, StringComparison.Ordinal)))
        {
            // Microsoft.ML.Tokenizers reports bad files as JsonException, InvalidProtocolBufferException,
            // ArgumentException, FormatException and, since 3.0, InvalidDataException without the path; callers get
            // one exception type that names the file.
            throw new InvalidDataException($"{path}: cannot load the tokenizer: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// GPT-2's pre-tokenization pattern (openai/gpt-2 encoder.py), what Hugging Face's <c>ByteLevel</c> pre-tokenizer
    /// splits with (<c>use_regex</c>) and what <see cref="TokenizerDescriptor.PreTokenizerPattern"/> defaults to.
    /// </summary>
    public const string Gpt2PreTokenizerPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
}
