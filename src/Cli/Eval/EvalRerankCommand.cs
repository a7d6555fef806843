using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Rerank.Cli.Common;
using Rerank.CommandLine;
using Rerank.IngestPipeline.Contracts;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Evaluation;
using Rerank.Model.Architecture;
using Rerank.Model.Pretrained;
using Rerank.Model.Runtime;

namespace Rerank.Cli.Eval;

/// <summary>
/// <c>rerank eval rerank</c>: the student over a first-stage window on a BEIR collection, beside the first stage; offline
/// (BM25 as <c>eval bm25</c>, or a TREC run's candidates) or through a running sidecar (docs/cli.md).
/// </summary>
internal static class EvalRerankCommand
{
    /// <summary>The one baseline <c>--baseline</c> takes.</summary>
    public const string BaselineCosine = "cosine";

    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "The model bundle directory (offline; not with --sidecar)." };
        var data = new Option<DirectoryInfo>("--data") { Description = "BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.", Required = true };
        var split = new Option<string>("--split") { Description = "Qrels split to evaluate.", DefaultValueFactory = _ => "test" };
        var window = new Option<int>("--window") { Description = "First-stage candidates reranked per query (also the first stage's depth).", DefaultValueFactory = _ => RerankIndexConfig.DefaultWindow };
        var scoreMode = new Option<string>("--score-mode") { Description = "model: sigmoid of the logit; linear: weighted min-max fusion with the first stage; rrf: reciprocal rank fusion.", DefaultValueFactory = _ => ScoreModeNames.ToName(RerankIndexConfig.DefaultScoreMode) };
        var linearWeight = new Option<double>("--linear-weight") { Description = "The model's weight in --score-mode linear (0 to 1).", DefaultValueFactory = _ => RerankIndexConfig.DefaultLinearWeight };
        var rrfK = new Option<int>("--rrf-k") { Description = "The rank constant of --score-mode rrf.", DefaultValueFactory = _ => RerankIndexConfig.DefaultRrfK }.AtLeast(1);
        var branch = new Option<string>("--branch") { Description = "IEM branch: asym (retrieval) or sym (NLI/STS).", DefaultValueFactory = _ => StudentBranchNames.Asymmetric };
        var encoding = new Option<string>("--projection-encoding") { Description = "How projections are stored before scoring, as in the sidecar's index: float16, int8 or float32.", DefaultValueFactory = _ => ProjectionEncodingNames.Float16 };
        var candidates = new Option<FileInfo?>("--candidates") { Description = "First stage from this TREC run (qid Q0 docid rank score tag) instead of BM25." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the metrics as JSON to this file." };
        var run = new Option<FileInfo?>("--run") { Description = "Also write the reranked windows in TREC run format to this file (the score mode's scores)." };
        var sidecar = new Option<string?>("--sidecar") { Description = "Send every query through this running sidecar (its base URL) instead of reranking offline." };
        var index = new Option<string?>("--index") { Description = "With --sidecar: the index (or alias) to search." };
        var template = new Option<FileInfo?>("--query-template") { Description = "With --sidecar: a JSON search body in which {{query}} is replaced by the query text, JSON-escaped (write it inside quotes)." };
        var firstStageRun = new Option<FileInfo?>("--first-stage-run") { Description = "With --sidecar: write the first stage's hits as a TREC run to this file (scores as returned)." };
        var concurrency = new Option<int>("--concurrency") { Description = "With --sidecar: queries in flight at once.", DefaultValueFactory = _ => 2 }.AtLeast(1);
        var baseline = new Option<string?>("--baseline") { Description = "Rerank with a baseline instead of a student: cosine (the pooled-embedding cosine of --checkpoint's backbone)." };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "With --baseline cosine: the BERT checkpoint directory (config.json, model.safetensors, vocab.txt)." };
        var pooling = new Option<string?>("--pooling") { Description = "With --baseline cosine: mean or cls (default: the checkpoint's 1_Pooling/config.json, else mean)." };
        var timeout = new Option<int>("--timeout") { Description = "With --sidecar: seconds to wait for each answer.", DefaultValueFactory = _ => 60 }.AtLeast(1);
        scoreMode.AcceptOnlyFromAmong([.. ScoreModeNames.All]);
        baseline.AcceptOnlyFromAmong(BaselineCosine);
        pooling.AcceptOnlyFromAmong("mean", "cls");
        checkpoint.NotAFile();
        branch.AcceptOnlyFromAmong(StudentBranchNames.Asymmetric, StudentBranchNames.Symmetric);
        encoding.AcceptOnlyFromAmong([.. ProjectionEncodingNames.All]);
        model.NotAFile();
        json.OutputFile();
        run.OutputFile();
        firstStageRun.OutputFile();
        Between(window, 1, RerankIndexConfig.WindowLimit);
        Between(linearWeight, 0.0, 1.0);
        sidecar.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } value && !TryParseUrl(value, out _))
            {
                r.AddError($"--sidecar: '{value}' is not an absolute http or https URL.");
            }
        });
        var bm25 = new Bm25CommandOptions();

        var command = new Command("rerank", "Evaluate the student reranking a first-stage window (BM25 as eval bm25, a TREC run, or a running sidecar) beside the first stage: nDCG, MRR, recall, MAP and precision.")
        {
            model, data, split, window, scoreMode, linearWeight, rrfK, branch, encoding, candidates, json, run, sidecar, index, template, firstStageRun, concurrency, timeout,
            baseline, checkpoint, pooling,
        };
        foreach (var option in bm25.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked here rather than by a command validator: System.CommandLine reports a validator's errors instead
            // of a value it could not convert, and "--window abc" must name --window.
            var problems = ModeProblems(parse, [model, scoreMode, linearWeight, rrfK, encoding, candidates, baseline, .. bm25.All], [index, template, firstStageRun, concurrency, timeout], sidecar, index, baseline);
            problems.AddRange(BaselineProblems(parse, baseline, [checkpoint, pooling], [model, branch, encoding]));
            if (problems.Count > 0)
            {
                throw new ArgumentException(string.Join("; ", problems));
            }

            var output = parse.InvocationConfiguration.Output;
            var dataDirectory = parse.GetRequiredValue(data).FullName;
            StudentBranchNames.TryParse(parse.GetValue(branch), out var chosenBranch);
            ScoreModeNames.TryParse(parse.GetValue(scoreMode), out var chosenMode);
            ProjectionEncodingNames.TryParse(parse.GetValue(encoding), out var chosenEncoding);
            var indexOptions = bm25.IndexOptions(parse);
            var settings = new RerankSettings
            {
                Window = parse.GetValue(window),
                TextFields = indexOptions.Fields,
                Separator = indexOptions.Separator,
                ProjectionEncoding = chosenEncoding,
                Branch = chosenBranch,
                ScoreMode = chosenMode,
                LinearWeight = parse.GetValue(linearWeight),
                RrfK = parse.GetValue(rrfK),
            };

            RerankEvaluationResult result;
            if (parse.GetValue(sidecar) is { } sidecarUrl && TryParseUrl(sidecarUrl, out var url))
            {
                var branchName = parse.GetResult(branch) is { Implicit: false } ? parse.GetValue(branch) : null;
                result = await ThroughSidecarAsync(
                    url, parse.GetRequiredValue(index)!, dataDirectory, parse.GetRequiredValue(split), settings, branchName,
                    parse.GetValue(template)?.FullName, parse.GetValue(firstStageRun)?.FullName, parse.GetValue(concurrency),
                    TimeSpan.FromSeconds(parse.GetValue(timeout)), output, cancellationToken);
            }
            else if (parse.GetResult(baseline) is { Implicit: false })
            {
                using var logging = CliLogging.Create();
                var chosenPooling = parse.GetValue(pooling) is { } poolingName ? (poolingName == "cls" ? EmbeddingPooling.Cls : EmbeddingPooling.Mean) : (EmbeddingPooling?)null;
                var (cosine, encoder) = BiEncoderCheckpoint.Open(
                    parse.GetValue(checkpoint)!.FullName, chosenPooling, new StudentModelOptions { PreferGpu = true }, logging.CreateLogger("Rerank.Model"));
                using (encoder)
                {
                    output.WriteLine($"baseline: cosine of {cosine.Checkpoint}: {cosine.Origin}");
                    var bm25Settings = bm25.Settings(parse, dataDirectory, parse.GetRequiredValue(split), settings.Window);
                    var reranker = new CosineReranker(encoder, cosine, settings, output);
                    result = RerankEvaluation.Run(bm25Settings, parse.GetValue(candidates)?.FullName, reranker, settings, output, cancellationToken) with { Baseline = cosine };
                }
            }
            else
            {
                using var logging = CliLogging.Create();
                using var student = StudentModel.Load(
                    parse.GetValue(model)!.FullName, new StudentModelOptions { PreferGpu = true }, logging.CreateLogger("Rerank.Model"));
                var bm25Settings = bm25.Settings(parse, dataDirectory, parse.GetRequiredValue(split), settings.Window);
                result = RerankEvaluation.Run(bm25Settings, parse.GetValue(candidates)?.FullName, student, settings, output, cancellationToken);
            }

            output.WriteLine();
            RerankEvaluationOutput.WriteTable(output, result);
            if (parse.GetValue(json) is { } jsonFile)
            {
                RerankEvaluationOutput.WriteJson(jsonFile.FullName, result);
                output.WriteLine($"metrics written to {jsonFile.FullName}");
            }

            if (parse.GetValue(run) is { } runFile)
            {
                await using var writer = new StreamWriter(runFile.FullName);
                TrecRunFile.Write(writer, result.RerankRun, result.Sidecar is not null ? "rerank-sidecar" : result.Baseline is not null ? "rerank-cosine" : "rerank-student");
                output.WriteLine($"run written to {runFile.FullName}");
            }

            return 0;
        });

        return command;
    }

    /// <summary>What <c>--baseline</c> asks for: <c>--checkpoint</c>; what the student path uses is refused with it, and its own options without it.</summary>
    private static List<string> BaselineProblems(ParseResult parse, Option baseline, Option[] baselineOnly, Option[] studentOnly)
    {
        var problems = new List<string>();
        if (parse.GetResult(baseline) is { Implicit: false })
        {
            if (parse.GetResult(baselineOnly[0]) is null)
            {
                problems.Add($"--baseline {BaselineCosine} needs --checkpoint (a BERT checkpoint directory).");
            }

            problems.AddRange(studentOnly.Where(o => parse.GetResult(o) is { Implicit: false })
                .Select(o => $"{o.Name} is not supported with --baseline (it reranks with the checkpoint's cosine, not a student bundle)."));
        }
        else
        {
            problems.AddRange(baselineOnly.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => $"{o.Name} needs --baseline {BaselineCosine}."));
        }

        return problems;
    }

    /// <summary>What is wrong in the choice between offline and sidecar mode: each option the chosen mode does not use is refused by name.</summary>
    private static List<string> ModeProblems(ParseResult parse, Option[] offlineOnly, Option[] sidecarOnly, Option sidecar, Option index, Option baseline)
    {
        var problems = new List<string>();
        if (parse.GetResult(sidecar) is { Implicit: false })
        {
            if (parse.GetResult(index) is null)
            {
                problems.Add("--sidecar needs --index (the index to search).");
            }

            // The sidecar ranks under the index's own config; a setting it would not use is refused, not ignored.
            problems.AddRange(offlineOnly.Where(o => parse.GetResult(o) is { Implicit: false })
                .Select(o => $"{o.Name} is not supported with --sidecar (the sidecar uses the index's _meta.rerank)."));
        }
        else
        {
            if (parse.GetResult(offlineOnly[0]) is null && parse.GetResult(baseline) is not { Implicit: false })
            {
                problems.Add("--model is required (or --baseline cosine with --checkpoint, or --sidecar with --index).");
            }

            problems.AddRange(sidecarOnly.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => $"{o.Name} needs --sidecar."));
        }

        return problems;
    }

    /// <summary>Adds "from <paramref name="minimum"/> to <paramref name="maximum"/>"; a value that does not convert is the parser's to report.</summary>
    private static void Between<T>(Option<T> option, T minimum, T maximum)
        where T : struct, System.Numerics.INumber<T>
    {
        option.Validators.Add(r =>
        {
            T value;
            try
            {
                value = r.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;
            }

            if (value < minimum || value > maximum)
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be from {minimum} to {maximum} (is {value})."));
            }
        });
    }

    private static bool TryParseUrl(string value, out Uri url) =>
        Uri.TryCreate(value, UriKind.Absolute, out url!) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);

    private static async Task<RerankEvaluationResult> ThroughSidecarAsync(
        Uri url, string index, string dataDirectory, string split, RerankSettings settings, string? branch, string? templatePath,
        string? firstStageRunPath, int concurrency, TimeSpan timeout, TextWriter output, CancellationToken cancellationToken)
    {
        var dataset = BeirDataset.Open(dataDirectory, split);
        var template = templatePath is null ? null : await File.ReadAllTextAsync(templatePath, cancellationToken).ConfigureAwait(false);
        if (template is not null && !template.Contains(SidecarEvaluator.QueryPlaceholder, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{templatePath}: the template has no {SidecarEvaluator.QueryPlaceholder} placeholder");
        }

        using var http = new HttpClient { Timeout = timeout };
        var baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        var evaluator = new SidecarEvaluator(http, baseUrl, index, output);
        await evaluator.ReadConfigAsync(required: template is null, cancellationToken).ConfigureAwait(false);
        if (template is not null)
        {
            // Fails early, naming the file, when the template does not make a JSON object.
            evaluator.Body(template, templatePath!, "probe \"text\"", settings.Window, []);
        }

        var config = evaluator.Config;
        var used = config is null ? settings : settings with
        {
            TextFields = config.TextFields,
            Separator = config.Separator,
            ProjectionEncoding = config.ProjectionEncoding,
            ScoreMode = config.ScoreMode,
            LinearWeight = config.LinearWeight,
            RrfK = config.RrfK,
        };
        output.WriteLine($"sending {dataset.Queries.Count} queries twice to {baseUrl}{index}/_search, {concurrency} at a time");
        var stopwatch = Stopwatch.StartNew();
        var (firstStage, reranked, outcomes) = await evaluator.RunAsync(
            dataset.Queries, template, templatePath ?? "", settings.Window, branch, concurrency, cancellationToken).ConfigureAwait(false);
        var elapsed = stopwatch.Elapsed;
        if (firstStageRunPath is not null)
        {
            await using var writer = new StreamWriter(firstStageRunPath);
            TrecRunFile.Write(writer, firstStage, "rerank-sidecar-first-stage");
            output.WriteLine($"first-stage run written to {firstStageRunPath}");
        }

        var (bm25Report, rerankReport) = RerankEvaluation.Evaluate(firstStage, reranked, dataset.Qrels, settings.Window);
        return new RerankEvaluationResult
        {
            Dataset = dataset.Name,
            Split = dataset.Split,
            Settings = used,
            ModelId = outcomes.ModelIds.Count == 1 ? outcomes.ModelIds[0] : config?.ModelId,
            FirstStage = "sidecar",
            FirstStageDetail = $"{baseUrl}{index}",
            Bm25 = bm25Report,
            Rerank = rerankReport,
            FirstStageRun = firstStage,
            RerankRun = reranked,
            QueriesSearched = dataset.Queries.Count,
            FirstStageTime = elapsed,
            Sidecar = outcomes,
        };
    }
}
