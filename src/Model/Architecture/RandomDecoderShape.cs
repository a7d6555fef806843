using System.Globalization;
using Rerank.Model.Tokenization;

namespace Rerank.Model.Architecture;

/// <summary>
/// The shape of a tiny, randomly initialised decoder of a real architecture and the vocabulary it is built over: what
/// <c>rerank model init</c> (a bundle) and <c>rerank-train init-checkpoint</c> (a Hugging Face directory) share.
/// Defaults give a 2-layer LLaMA of width 64 with grouped-query attention (4 heads, 2 kv heads).
/// </summary>
internal record RandomDecoderShape
{
    public BackboneArchitecture Architecture { get; init; } = BackboneArchitecture.Llama;

    /// <summary><c>num_hidden_layers</c>.</summary>
    public int Layers { get; init; } = 2;

    /// <summary><c>hidden_size</c>.</summary>
    public int Hidden { get; init; } = 64;

    /// <summary><c>num_attention_heads</c>.</summary>
    public int Heads { get; init; } = 4;

    /// <summary><c>num_key_value_heads</c>; must divide <see cref="Heads"/>.</summary>
    public int KeyValueHeads { get; init; } = 2;

    /// <summary>The MLP width (<c>intermediate_size</c>); 0 (default) means three times <see cref="Hidden"/>.</summary>
    public int Intermediate { get; init; }

    /// <summary>
    /// Texts the WordPiece vocabulary is built from (a corpus), or null for a character-level vocabulary of printable
    /// ASCII, which tokenizes any English text, letter by letter.
    /// </summary>
    public IEnumerable<string>? VocabularyTexts { get; init; }

    /// <summary>The vocabulary's size limit when it is built from texts.</summary>
    public int VocabularySize { get; init; } = 8000;

    /// <summary>The seed of the random weights: the same settings give byte-identical output.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The lower-cased WordPiece vocabulary (src/Model's <see cref="WordPieceVocabularyBuilder"/>) over <see cref="VocabularyTexts"/>.</summary>
    public IReadOnlyList<string> BuildVocabulary() =>
        WordPieceVocabularyBuilder.Build(VocabularyTexts ?? [PrintableAscii()], VocabularySize, lowerCase: true);

    /// <summary>
    /// The decoder config of this shape over a vocabulary of <paramref name="vocabSize"/> entries: rope theta 10,000
    /// (LLaMA) or 1,000,000 (Qwen2), RMSNorm eps 1e-6. Not validated: callers report its problems with their own.
    /// </summary>
    public BackboneConfig ToDecoderConfig(int vocabSize, int maxPositionEmbeddings, bool tieWordEmbeddings = false) => new()
    {
        Architecture = Architecture,
        VocabSize = vocabSize,
        HiddenSize = Hidden,
        IntermediateSize = Intermediate > 0 ? Intermediate : (int)Math.Min(3L * Hidden, int.MaxValue),
        NumLayers = Layers,
        NumHeads = Heads,
        NumKeyValueHeads = KeyValueHeads,
        RopeTheta = Architecture == BackboneArchitecture.Qwen2 ? 1_000_000 : 10_000,
        RmsNormEps = 1e-6,
        MaxPositionEmbeddings = maxPositionEmbeddings,
        TieWordEmbeddings = tieWordEmbeddings,
    };

    /// <summary>
    /// Whether the random weights of <paramref name="config"/> (valid otherwise) can be made: every tensor is one float
    /// array (at most <see cref="Array.MaxLength"/> values), and all of them together take at most
    /// <paramref name="maxTotalBytes"/> as float32. Counted from a one- and a two-layer config, so a huge layer count
    /// costs nothing to check.
    /// </summary>
    public static IReadOnlyList<string> SizeProblems(BackboneConfig config, long maxTotalBytes, string limitReason)
    {
        ArgumentNullException.ThrowIfNull(config);
        var one = BackboneWeights.ParameterShapes(config with { NumLayers = 1 });
        var two = BackboneWeights.ParameterShapes(config with { NumLayers = 2 });
        static double Values(long[] shape) => shape.Aggregate(1d, (a, b) => a * b);
        var perLayer = two.Sum(s => Values(s.Shape)) - one.Sum(s => Values(s.Shape));
        var totalBytes = 4 * (one.Sum(s => Values(s.Shape)) + ((config.NumLayers - 1) * perLayer));
        var largest = one.MaxBy(s => Values(s.Shape));
        var problems = new List<string>();
        if (Values(largest.Shape) > Array.MaxLength)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"tensor {largest.Name} [{string.Join(", ", largest.Shape)}] would hold {Values(largest.Shape):0} values, more than one array holds ({Array.MaxLength})."));
        }

        if (totalBytes > maxTotalBytes)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"the weights would take {totalBytes:0} bytes, more than {maxTotalBytes} ({limitReason})."));
        }

        return problems;
    }

    private static string PrintableAscii() =>
        string.Join(' ', Enumerable.Range(33, 94).Select(c => ((char)c).ToString(CultureInfo.InvariantCulture)));
}
