using System.CommandLine;
using Rerank.Cli.Common;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Architecture;
using Rerank.Model.Bundle;

namespace Rerank.Cli.Model;

/// <summary><c>rerank model init</c>: a tiny, seeded, randomly initialised bundle of the real architecture.</summary>
internal static class ModelInitCommand
{
    public static Command Create()
    {
        var defaults = new RandomBundleSettings();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Bundle directory to write (created; bundle files in it are replaced).", Required = true };
        var arch = new Option<DecoderArchitecture>("--arch") { Description = "Backbone family: llama or qwen2 (q/k/v biases, rope theta 1e6).", DefaultValueFactory = _ => defaults.Architecture };
        var layers = PositiveInt("--layers", "Decoder layers.", defaults.Layers);
        var hidden = PositiveInt("--hidden", "Hidden size d (also PMA's width).", defaults.Hidden);
        var heads = PositiveInt("--heads", "Attention heads.", defaults.Heads);
        var kvHeads = PositiveInt("--kv-heads", "Key/value heads (grouped-query attention); must divide --heads.", defaults.KeyValueHeads);
        var intermediate = NonNegativeInt("--intermediate", "MLP width (default: 3 x --hidden).");
        var pmaHeads = NonNegativeInt("--pma-heads", "PMA heads (default: --heads).");
        var iemHidden = PositiveInt("--iem-hidden", "IEM hidden width (the size of u_p).", defaults.IemHidden);
        var vocabFrom = new Option<FileInfo?>("--vocab-from") { Description = "A BEIR corpus.jsonl to build the WordPiece vocabulary from (default: printable ASCII characters)." };
        var vocabSize = PositiveInt("--vocab-size", "Vocabulary size limit with --vocab-from.", defaults.VocabularySize);
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights: the same seed gives a byte-identical bundle.", DefaultValueFactory = _ => defaults.Seed };

        var command = new Command("init", "Write a tiny randomly initialised student bundle (LLaMA/Qwen2 backbone + PMA + IEM) for tests and demos. Its scores carry no relevance signal.")
        {
            outDir, arch, layers, hidden, heads, kvHeads, intermediate, pmaHeads, iemHidden, vocabFrom, vocabSize, seed,
        };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            return Task.FromResult(UserErrors.Run(parse.InvocationConfiguration.Error, () =>
            {
                var corpus = parse.GetValue(vocabFrom);
                var settings = new RandomBundleSettings
                {
                    Architecture = parse.GetValue(arch),
                    Layers = parse.GetValue(layers),
                    Hidden = parse.GetValue(hidden),
                    Heads = parse.GetValue(heads),
                    KeyValueHeads = parse.GetValue(kvHeads),
                    Intermediate = parse.GetValue(intermediate),
                    PmaHeads = parse.GetValue(pmaHeads),
                    IemHidden = parse.GetValue(iemHidden),
                    VocabularyTexts = corpus is null ? null : CorpusTexts(corpus.FullName),
                    VocabularySize = parse.GetValue(vocabSize),
                    Seed = parse.GetValue(seed),
                };
                var directory = parse.GetRequiredValue(outDir).FullName;
                if (File.Exists(directory))
                {
                    throw new ArgumentException($"--out: {directory} is a file, not a directory.");
                }

                var manifest = RandomBundle.Write(directory, settings);
                output.WriteLine($"model {manifest.ModelId} written to {directory}");
                output.WriteLine($"  {manifest.Backbone.Architecture.ToString().ToLowerInvariant()}: {manifest.Backbone.NumLayers} layers, hidden {manifest.Backbone.HiddenSize}, vocabulary {manifest.Backbone.VocabSize}; IEM hidden {manifest.Heads.IemHidden}");
                return 0;
            }));
        });
        return command;
    }

    private static IEnumerable<string> CorpusTexts(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--vocab-from: {path} does not exist.", path);
        }

        return BeirReader.ReadCorpus(path).Select(d => d.Title.Length == 0 ? d.Text : d.Title + " " + d.Text);
    }

    /// <summary>An optional size: 0 (the default) means "derived from the other options"; a negative value is an error, not 0.</summary>
    private static Option<int> NonNegativeInt(string name, string description)
    {
        var option = new Option<int>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"{name} must not be negative.");
            }
        });
        return option;
    }

    private static Option<int> PositiveInt(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError($"{name} must be at least 1.");
            }
        });
        return option;
    }
}
