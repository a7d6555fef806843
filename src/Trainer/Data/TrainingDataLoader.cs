using System.Globalization;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Pairs;
using Rerank.Model.Runtime;

namespace Rerank.Trainer.Data;

/// <summary>
/// Reads a BEIR folder or sentence-pair data into a <see cref="TrainingCorpus"/> (docs/training.md, "Data"). Malformed
/// lines are <see cref="BeirFormatException"/>s naming file, line and field; missing files are
/// <see cref="FileNotFoundException"/>s; bad settings <see cref="ArgumentException"/>s naming the option; data with
/// nothing to train on an <see cref="InvalidDataException"/>.
/// </summary>
/// <remarks>
/// <para>BEIR folder (asymmetric):</para>
/// <list type="number">
/// <item>Positives are the documents a query's <c>qrels/&lt;train split&gt;.tsv</c> scores above 0; a judged corpus-id
/// missing from corpus.jsonl is an error naming the qrels line; a judged document with a blank title and text is no
/// positive (counted in <see cref="TrainingCorpus.Notes"/>). Queries without a positive, without a line in
/// queries.jsonl or with blank text are left out and counted in <see cref="TrainingCorpus.Notes"/>.</item>
/// <item>Held out: the queries of <c>--heldout-split</c> (or of <c>dev</c> when <c>qrels/dev.tsv</c> exists), left out of
/// training where a query is in both; else a seeded slice of the training queries (<see cref="HeldOutSlice"/>).</item>
/// <item>Passage text is <c>title + " " + text</c>, an empty part left out.</item>
/// </list>
/// <para>Sentence pairs (symmetric), a file or a folder of <c>&lt;split&gt;.jsonl</c> files:</para>
/// <list type="number">
/// <item>Each distinct <c>text1</c> is a query with id <c>q/&lt;id of its first pair&gt;</c>; each pair's <c>text2</c> is a
/// passage with id <c>p/&lt;pair id&gt;</c> (held-out files: <c>heldout/q/...</c>, <c>heldout/p/...</c>). Repeated pair ids
/// become <c>id#2</c>, <c>id#3</c> (<see cref="SentencePairReader.ReadLines"/>).</item>
/// <item>NLI mode (labels): entailments are positives, contradictions given negatives, neutral pairs unused; every pair
/// needs a label among entailment, neutral, contradiction. Score mode: pairs scoring at least the minimum are positives;
/// every pair needs a score. Auto: NLI when any pair has a label.</item>
/// </list>
/// </remarks>
internal static class TrainingDataLoader
{
    public const string Entailment = "entailment";
    public const string Neutral = "neutral";
    public const string Contradiction = "contradiction";
    public const string HeldOutPrefix = "heldout/";

    public static TrainingCorpus Load(TrainingDataSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Validate(settings);
        var full = Path.GetFullPath(settings.Path).TrimEnd(Path.DirectorySeparatorChar);
        if (File.Exists(full))
        {
            if (settings.HeldOutSplit is not null)
            {
                throw new ArgumentException($"--heldout-split names a file in a folder; --data {full} is one file: give the held-out pairs with --heldout <file>.");
            }

            return LoadPairs(full, full, settings.HeldOutFile is null ? null : Path.GetFullPath(settings.HeldOutFile), settings);
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"--data: '{full}' does not exist.", full);
        }

        if (File.Exists(Path.Combine(full, "corpus.jsonl")))
        {
            if (settings.HeldOutFile is not null)
            {
                throw new ArgumentException($"--heldout is for sentence-pair data; {full} is a BEIR folder: name a qrels split with --heldout-split.");
            }

            return LoadBeir(full, settings);
        }

        var trainFile = Path.Combine(full, settings.TrainSplit + ".jsonl");
        if (!File.Exists(trainFile))
        {
            throw new FileNotFoundException(
                $"--data: '{full}' is neither a BEIR folder (no corpus.jsonl) nor a folder of sentence-pair files (no {settings.TrainSplit}.jsonl).", trainFile);
        }

        var heldOutFile = settings.HeldOutFile is not null ? Path.GetFullPath(settings.HeldOutFile)
            : settings.HeldOutSplit is not null ? RequireFile(Path.Combine(full, settings.HeldOutSplit + ".jsonl"), "--heldout-split")
            : DefaultHeldOutSplit(settings) is { } dev && File.Exists(Path.Combine(full, dev + ".jsonl")) ? Path.Combine(full, dev + ".jsonl")
            : null;
        return LoadPairs(full, trainFile, heldOutFile, settings);
    }

    private static void Validate(TrainingDataSettings settings)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.TrainSplit))
        {
            errors.Add("--train-split must not be empty");
        }

        if (!(settings.HeldOutFraction > 0 && settings.HeldOutFraction < 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--heldout-fraction must be above 0 and below 1, got {settings.HeldOutFraction}"));
        }

        if (settings.HeldOutMax < 1)
        {
            errors.Add($"--heldout-max must be at least 1, got {settings.HeldOutMax}");
        }

        if (!double.IsFinite(settings.MinScore))
        {
            errors.Add("--min-score must be a finite number");
        }

        if (settings.HeldOutFile is not null && settings.HeldOutSplit is not null)
        {
            errors.Add("give --heldout or --heldout-split, not both");
        }

        if (settings.HeldOutSplit is not null && string.Equals(settings.HeldOutSplit, settings.TrainSplit, StringComparison.Ordinal))
        {
            errors.Add($"--heldout-split '{settings.HeldOutSplit}' is the training split; held-out queries are never trained on");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors) + ".");
        }
    }

    private static string? DefaultHeldOutSplit(TrainingDataSettings settings) =>
        string.Equals(settings.TrainSplit, "dev", StringComparison.Ordinal) ? null : "dev";

    private static string RequireFile(string path, string option) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{option}: {path} does not exist.", path);

    private static TrainingCorpus LoadBeir(string folder, TrainingDataSettings settings)
    {
        var notes = new List<string>();
        var trainQrelsPath = QrelsPath(folder, settings.TrainSplit, "--train-split");
        var heldOutSplit = settings.HeldOutSplit
            ?? (DefaultHeldOutSplit(settings) is { } dev && File.Exists(Path.Combine(folder, "qrels", dev + ".tsv")) ? dev : null);
        var heldOutQrelsPath = heldOutSplit is null ? null : QrelsPath(folder, heldOutSplit, "--heldout-split");

        var queries = BeirReader.ReadQueries(Path.Combine(folder, "queries.jsonl"));
        var passages = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in BeirReader.ReadCorpus(Path.Combine(folder, "corpus.jsonl")))
        {
            passages[document.Id] = document.Title.Length == 0 ? document.Text
                : document.Text.Length == 0 ? document.Title
                : document.Title + " " + document.Text;
        }

        var passageIds = passages.Keys.ToHashSet(StringComparer.Ordinal);
        var trainQrels = BeirReader.ReadQrels(trainQrelsPath);
        trainQrels.Validate(passageIds, queryIds: null);
        IReadOnlyList<TrainingQuery> train = BeirQueries(queries, trainQrels, passages, settings.TrainSplit, notes);

        IReadOnlyList<TrainingQuery> heldOut;
        string description;
        if (heldOutQrelsPath is not null)
        {
            var heldOutQrels = BeirReader.ReadQrels(heldOutQrelsPath);
            heldOutQrels.Validate(passageIds, queryIds: null);
            heldOut = BeirQueries(queries, heldOutQrels, passages, heldOutSplit!, notes);
            var heldOutIds = heldOut.Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal);
            var overlap = train.Count(q => heldOutIds.Contains(q.QueryId));
            if (overlap > 0)
            {
                notes.Add($"{overlap} {settings.TrainSplit} queries also in {heldOutSplit} left out of training (held-out queries are never trained on)");
                train = [.. train.Where(q => !heldOutIds.Contains(q.QueryId))];
            }

            description = $"split {heldOutSplit}";
        }
        else
        {
            (train, heldOut, description) = HeldOutSlice(train, settings);
        }

        RequireTraining(train, trainQrelsPath);
        var queryTexts = queries.ToDictionary(q => q.Id, q => q.Text, StringComparer.Ordinal);
        return new TrainingCorpus
        {
            Name = Path.GetFileName(folder),
            Source = folder,
            Branch = StudentBranch.Asymmetric,
            Queries = train.Concat(heldOut).ToDictionary(q => q.QueryId, q => queryTexts[q.QueryId], StringComparer.Ordinal),
            Passages = passages,
            Train = train,
            HeldOut = heldOut,
            HeldOutDescription = description,
            Notes = notes,
        };
    }

    private static string QrelsPath(string folder, string split, string option)
    {
        var path = Path.Combine(folder, "qrels", split + ".tsv");
        if (File.Exists(path))
        {
            return path;
        }

        var qrelsFolder = Path.Combine(folder, "qrels");
        var available = Directory.Exists(qrelsFolder)
            ? Directory.GetFiles(qrelsFolder, "*.tsv").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()
            : [];
        throw new FileNotFoundException(
            $"{option}: split '{split}' not found: {path} is missing; available splits: {(available.Length == 0 ? "none" : string.Join(", ", available))}.", path);
    }

    private static List<TrainingQuery> BeirQueries(IReadOnlyList<BeirQuery> queries, Qrels qrels, Dictionary<string, string> passages, string split, List<string> notes)
    {
        var result = new List<TrainingQuery>();
        var (withoutPositive, blank, blankPassages) = (0, 0, 0);
        var judged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            if (!qrels.ByQuery.TryGetValue(query.Id, out var grades))
            {
                continue;
            }

            judged.Add(query.Id);
            // A judged document with a blank title and text is no positive (the teacher would score an empty passage).
            var positives = grades.Where(g => g.Value > 0).Select(g => g.Key).ToList();
            blankPassages += positives.RemoveAll(p => string.IsNullOrWhiteSpace(passages[p]));
            if (positives.Count == 0)
            {
                withoutPositive++;
            }
            else if (string.IsNullOrWhiteSpace(query.Text))
            {
                blank++;
            }
            else
            {
                result.Add(new TrainingQuery(query.Id, positives, []));
            }
        }

        var missing = qrels.ByQuery.Keys.Count(id => !judged.Contains(id));
        AddNote(notes, withoutPositive, $"{split} queries without a positive (no qrels score above 0) left out");
        AddNote(notes, blank, $"{split} queries with blank text left out");
        AddNote(notes, blankPassages, $"{split} judgments of documents with a blank title and text not used as positives");
        AddNote(notes, missing, $"{split} queries judged in the qrels but not in queries.jsonl left out");
        return result;
    }

    private static TrainingCorpus LoadPairs(string source, string trainFile, string? heldOutFile, TrainingDataSettings settings)
    {
        var notes = new List<string>();
        var passages = new Dictionary<string, string>(StringComparer.Ordinal);
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        var trainLines = SentencePairReader.ReadLines(trainFile, renameRepeatedIds: true).ToList();
        var mode = settings.PairMode != PairMode.Auto ? settings.PairMode
            : trainLines.Any(l => l.Pair.Label is not null) ? PairMode.Nli
            : PairMode.Score;
        IReadOnlyList<TrainingQuery> train = PairQueries(trainFile, trainLines, "", mode, settings.MinScore, queries, passages, notes);

        IReadOnlyList<TrainingQuery> heldOut;
        string description;
        if (heldOutFile is not null)
        {
            var heldOutLines = SentencePairReader.ReadLines(heldOutFile, renameRepeatedIds: true).ToList();
            heldOut = PairQueries(heldOutFile, heldOutLines, HeldOutPrefix, mode, settings.MinScore, queries, passages, notes);
            description = $"file {Path.GetFileName(heldOutFile)}";
        }
        else
        {
            (train, heldOut, description) = HeldOutSlice(train, settings);
        }

        RequireTraining(train, trainFile);
        var modeText = mode == PairMode.Nli
            ? "NLI pairs: entailments are positives, contradictions given negatives"
            : string.Create(CultureInfo.InvariantCulture, $"scored pairs: score >= {settings.MinScore} is a positive");
        notes.Insert(0, modeText);
        var kept = train.Concat(heldOut).Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal);
        return new TrainingCorpus
        {
            Name = Path.GetFileName(source),
            Source = source,
            Branch = StudentBranch.Symmetric,
            Queries = queries.Where(q => kept.Contains(q.Key)).ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal),
            Passages = passages,
            Train = train,
            HeldOut = heldOut,
            HeldOutDescription = description,
            Notes = notes,
        };
    }

    private static List<TrainingQuery> PairQueries(
        string file,
        List<(int LineNumber, SentencePair Pair)> lines,
        string prefix,
        PairMode mode,
        double minScore,
        Dictionary<string, string> queryTexts,
        Dictionary<string, string> passages,
        List<string> notes)
    {
        var byText = new Dictionary<string, (string Id, List<string> Positives, List<string> Negatives)>(StringComparer.Ordinal);
        var (blank, renamed) = (0, 0);
        var baseIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lineNumber, pair) in lines)
        {
            var hash = pair.Id.LastIndexOf('#');
            if (hash > 0 && baseIds.Contains(pair.Id[..hash]) && int.TryParse(pair.Id.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                renamed++;
            }

            baseIds.Add(pair.Id);
            var positive = IsPositive(file, lineNumber, pair, mode, minScore, out var negative);
            if (string.IsNullOrWhiteSpace(pair.Text1) || string.IsNullOrWhiteSpace(pair.Text2))
            {
                blank++;
                continue;
            }

            var passageId = prefix + "p/" + pair.Id;
            passages[passageId] = pair.Text2;

            if (!byText.TryGetValue(pair.Text1, out var query))
            {
                byText[pair.Text1] = query = (prefix + "q/" + pair.Id, [], []);
            }

            if (positive)
            {
                query.Positives.Add(passageId);
            }
            else if (negative)
            {
                query.Negatives.Add(passageId);
            }
        }

        var result = new List<TrainingQuery>();
        foreach (var (text, query) in byText)
        {
            if (query.Positives.Count > 0)
            {
                queryTexts[query.Id] = text;
                result.Add(new TrainingQuery(query.Id, query.Positives, query.Negatives));
            }
        }

        var name = Path.GetFileName(file);
        AddNote(notes, renamed, $"repeated pair ids in {name} renamed id#2, id#3, ...");
        AddNote(notes, blank, $"pairs of {name} with a blank text1 or text2 left out");
        AddNote(notes, byText.Count - result.Count, mode == PairMode.Nli
            ? $"texts of {name} without an entailment left out as queries"
            : string.Create(CultureInfo.InvariantCulture, $"texts of {name} without a pair scoring >= {minScore} left out as queries"));
        return result;
    }

    private static bool IsPositive(string file, int lineNumber, SentencePair pair, PairMode mode, double minScore, out bool givenNegative)
    {
        givenNegative = false;
        if (mode == PairMode.Nli)
        {
            switch (pair.Label)
            {
                case null:
                    throw new BeirFormatException(file, lineNumber, "field 'label' is missing; NLI pairs (--pair-mode nli) need entailment, neutral or contradiction on every line");
                case Entailment:
                    return true;
                case Contradiction:
                    givenNegative = true;
                    return false;
                case Neutral:
                    return false;
                default:
                    throw new BeirFormatException(file, lineNumber, $"field 'label' must be entailment, neutral or contradiction, found '{pair.Label}'");
            }
        }

        return pair.Score is { } score
            ? score >= minScore
            : throw new BeirFormatException(file, lineNumber, "field 'score' is missing; scored pairs (--pair-mode score) need a score on every line");
    }

    /// <summary>
    /// The held-out slice: round(fraction x n) of the n training queries (at least 1, at most <c>--heldout-max</c>, and
    /// never all of them), chosen by a seeded shuffle; both parts keep file order.
    /// </summary>
    internal static (IReadOnlyList<TrainingQuery> Train, IReadOnlyList<TrainingQuery> HeldOut, string Description) HeldOutSlice(
        IReadOnlyList<TrainingQuery> queries, TrainingDataSettings settings)
    {
        if (queries.Count < 2)
        {
            throw new InvalidDataException(
                $"{settings.Path}: {queries.Count} training queries with a positive; a held-out slice needs at least 2 (or name held-out data with --heldout-split / --heldout).");
        }

        var count = (int)Math.Round(settings.HeldOutFraction * queries.Count, MidpointRounding.AwayFromZero);
        count = Math.Min(Math.Clamp(count, 1, settings.HeldOutMax), queries.Count - 1);
        var order = Enumerable.Range(0, queries.Count).ToArray();
        SeededRandom.For(settings.Seed, "heldout").Shuffle(order);
        var chosen = order.Take(count).ToHashSet();
        var heldOut = queries.Where((_, i) => chosen.Contains(i)).ToList();
        var train = queries.Where((_, i) => !chosen.Contains(i)).ToList();
        var description = string.Create(CultureInfo.InvariantCulture, $"{settings.HeldOutFraction:0.###} of train (at most {settings.HeldOutMax}), seed {settings.Seed}");
        return (train, heldOut, description);
    }

    private static void RequireTraining(IReadOnlyList<TrainingQuery> train, string file)
    {
        if (train.Count == 0)
        {
            throw new InvalidDataException($"{file}: no training query has a positive.");
        }
    }

    private static void AddNote(List<string> notes, int count, string what)
    {
        if (count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{count:N0} {what}"));
        }
    }
}
