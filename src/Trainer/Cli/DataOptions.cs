using System.CommandLine;
using System.Globalization;
using Rerank.CommandLine;
using Rerank.Trainer.Data;

namespace Rerank.Trainer.Cli;

/// <summary>
/// The data options every <c>rerank-train</c> stage shares (<see cref="TrainingDataSettings"/>; docs/training.md, "Data"):
/// <c>--data --train-split --heldout-split --heldout --heldout-fraction --heldout-max --heldout-seed --min-score --pair-mode</c>.
/// </summary>
internal sealed class DataOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "A BEIR folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv), a sentence-pair file (JSON lines id, text1, text2, label?, score?) or a folder of <split>.jsonl pair files.", Required = true };

    public Option<string> TrainSplit { get; } = new("--train-split") { Description = "The split trained on: qrels/<split>.tsv or <split>.jsonl.", DefaultValueFactory = _ => "train" };

    public Option<string?> HeldOutSplit { get; } = new("--heldout-split") { Description = "The held-out split (qrels/<split>.tsv or <split>.jsonl); default: dev when present, else a slice of the training queries." };

    public Option<FileInfo?> HeldOut { get; } = new("--heldout") { Description = "Sentence-pair data: a file of held-out pairs." };

    public Option<double> HeldOutFraction { get; } = new("--heldout-fraction") { Description = "Without a held-out split or file: the share of training queries held out (above 0, below 1).", DefaultValueFactory = _ => 0.1 };

    public Option<int> HeldOutMax { get; } = new Option<int>("--heldout-max") { Description = "At most this many queries in a held-out slice.", DefaultValueFactory = _ => 1000 }.AtLeast(1);

    public Option<int> HeldOutSeed { get; } = new("--heldout-seed") { Description = "Seed of the held-out slice.", DefaultValueFactory = _ => 1 };

    public Option<double> MinScore { get; } = new("--min-score") { Description = "Scored pairs: the lowest score that makes a positive (4.0 on STS-B's 0-5 scale).", DefaultValueFactory = _ => 4.0 };

    public Option<string> PairMode { get; } = CreatePairMode();

    public IEnumerable<Option> All => [Data, TrainSplit, HeldOutSplit, HeldOut, HeldOutFraction, HeldOutMax, HeldOutSeed, MinScore, PairMode];

    public TrainingDataSettings Settings(ParseResult parse) => new()
    {
        Path = parse.GetRequiredValue(Data),
        TrainSplit = parse.GetValue(TrainSplit)!,
        HeldOutSplit = parse.GetValue(HeldOutSplit),
        HeldOutFile = parse.GetValue(HeldOut)?.FullName,
        HeldOutFraction = parse.GetValue(HeldOutFraction),
        HeldOutMax = parse.GetValue(HeldOutMax),
        Seed = parse.GetValue(HeldOutSeed),
        MinScore = parse.GetValue(MinScore),
        PairMode = Enum.Parse<PairMode>(parse.GetValue(PairMode)!, ignoreCase: true),
    };

    /// <summary>Loads the data (<see cref="TrainingDataLoader"/>) and prints what was read and left out to <paramref name="output"/>.</summary>
    public TrainingCorpus Read(ParseResult parse, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var corpus = TrainingDataLoader.Load(Settings(parse));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data: {corpus.Name} ({corpus.Branch.ToString().ToLowerInvariant()}): {corpus.Train.Count:N0} training queries, {corpus.HeldOut.Count:N0} held out ({corpus.HeldOutDescription}), {corpus.Passages.Count:N0} passages"));
        foreach (var note in corpus.Notes)
        {
            output.WriteLine($"data: {note}");
        }

        return corpus;
    }

    private static Option<string> CreatePairMode()
    {
        var option = new Option<string>("--pair-mode") { Description = "Sentence-pair data: nli (labels: entailment positive, contradiction negative), score (score >= --min-score positive), or auto (nli when there are labels).", DefaultValueFactory = _ => "auto" };
        option.AcceptOnlyFromAmong("auto", "nli", "score");
        return option;
    }
}
