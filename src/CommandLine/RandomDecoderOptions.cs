using System.CommandLine;
using Rerank.Model.Architecture;

namespace Rerank.CommandLine;

/// <summary>
/// The command-line options of a <see cref="RandomDecoderShape"/>, defined once for <c>rerank model init</c> and
/// <c>rerank-train init-checkpoint</c> (which cannot share a project: the trainer has TorchSharp, the CLI must not):
/// <c>--arch --layers --hidden --heads --kv-heads --intermediate --vocab-from --vocab-size --seed</c>, with range checks
/// that name the option.
/// </summary>
internal sealed class RandomDecoderOptions
{
    private readonly Func<string, IEnumerable<string>> _corpusTexts;

    /// <param name="defaults">The defaults shown in help and used when an option is absent.</param>
    /// <param name="corpusTexts">Reads the texts of the <c>--vocab-from</c> corpus file (a BEIR corpus.jsonl), lazily.</param>
    public RandomDecoderOptions(RandomDecoderShape defaults, Func<string, IEnumerable<string>> corpusTexts)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(corpusTexts);
        _corpusTexts = corpusTexts;
        Architecture = new Option<BackboneArchitecture>("--arch") { Description = "llama or qwen2 (q/k/v biases, rope theta 1e6).", DefaultValueFactory = _ => defaults.Architecture };
        Layers = PositiveInt("--layers", "Decoder layers (num_hidden_layers).", defaults.Layers);
        Hidden = PositiveInt("--hidden", "hidden_size d (also the width of PMA and of the pooled embedding).", defaults.Hidden);
        Heads = PositiveInt("--heads", "num_attention_heads.", defaults.Heads);
        KeyValueHeads = PositiveInt("--kv-heads", "num_key_value_heads (grouped-query attention); must divide --heads.", defaults.KeyValueHeads);
        Intermediate = NonNegativeInt("--intermediate", "intermediate_size, the MLP width (default: 3 x --hidden).");
        VocabFrom = new Option<FileInfo?>("--vocab-from") { Description = "A BEIR corpus.jsonl to build the WordPiece vocabulary from (default: printable ASCII characters)." };
        VocabSize = PositiveInt("--vocab-size", "Vocabulary size limit with --vocab-from.", defaults.VocabularySize);
        Seed = new Option<int>("--seed") { Description = "Seed of the random weights: the same seed gives byte-identical files.", DefaultValueFactory = _ => defaults.Seed };
    }

    public Option<BackboneArchitecture> Architecture { get; }

    public Option<int> Layers { get; }

    public Option<int> Hidden { get; }

    public Option<int> Heads { get; }

    public Option<int> KeyValueHeads { get; }

    public Option<int> Intermediate { get; }

    public Option<FileInfo?> VocabFrom { get; }

    public Option<int> VocabSize { get; }

    public Option<int> Seed { get; }

    /// <summary>The shape options in help order; <c>--vocab-from</c>, <c>--vocab-size</c> and <c>--seed</c> are <see cref="Tail"/>.</summary>
    public IReadOnlyList<Option> Shape => [Architecture, Layers, Hidden, Heads, KeyValueHeads, Intermediate];

    /// <summary>The vocabulary and seed options.</summary>
    public IReadOnlyList<Option> Tail => [VocabFrom, VocabSize, Seed];

    /// <summary><paramref name="settings"/> with every shared option's parsed value.</summary>
    /// <exception cref="FileNotFoundException">The <c>--vocab-from</c> file does not exist.</exception>
    public T Read<T>(ParseResult parse, T settings) where T : RandomDecoderShape
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(settings);
        var corpus = parse.GetValue(VocabFrom);
        if (corpus is not null && !corpus.Exists)
        {
            throw new FileNotFoundException($"--vocab-from: {corpus.FullName} does not exist.", corpus.FullName);
        }

        return settings with
        {
            Architecture = parse.GetValue(Architecture),
            Layers = parse.GetValue(Layers),
            Hidden = parse.GetValue(Hidden),
            Heads = parse.GetValue(Heads),
            KeyValueHeads = parse.GetValue(KeyValueHeads),
            Intermediate = parse.GetValue(Intermediate),
            VocabularyTexts = corpus is null ? null : _corpusTexts(corpus.FullName),
            VocabularySize = parse.GetValue(VocabSize),
            Seed = parse.GetValue(Seed),
        };
    }

    /// <summary>An int option with a default that must be at least 1 (the error names the option).</summary>
    public static Option<int> PositiveInt(string name, string description, int defaultValue) =>
        new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue }.AtLeast(1);

    /// <summary>An optional size: 0 (the default) means "derived from the other options"; a negative value is an error.</summary>
    public static Option<int> NonNegativeInt(string name, string description) =>
        new Option<int>(name) { Description = description }.AtLeast(0);
}
